"""``applications.waiting_since`` in SQL (the write paths' refresh and migration 0014's fill) is the
Python rule of the stage clocks (``domain.stage_times.waiting_since``, the open stay of ``stays``) on
random paths: entries of any stage in any order of arrival, ties in time, every status, no entry."""
from __future__ import annotations

import importlib.util
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from shared.contracts.statuses import APPLICATION_STATUSES
from subsidy_review.adapters.orm import applications, timeline
from subsidy_review.adapters.repository import ApplicationRepository
from subsidy_review.domain.stage_times import WAITING_STAGE, Step, waiting_since

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0014_waiting_since.py"
START = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)


def migration():
    spec = importlib.util.spec_from_file_location("m0014", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def application(app_id: str, status: str) -> dict:
    return {"id": app_id, "application_no": app_id[:20], "individual_id": app_id, "unit_id": "u", "unit_name": "单位",
            "county": "440703", "city": "440700", "applicant_name": "张三", "id_type": "resident_id",
            "id_number": "440703199001011234", "degree": "bachelor", "start_date": START.date(), "months": 6,
            "standard_fen": 1, "amount_fen": 6, "policy_version": 1, "status": status}


def random_paths(rnd: random.Random, count: int) -> dict[str, tuple[str, list[tuple[int, datetime]]]]:
    """``{id: (status, [(stage, at), ...] in the order they arrive)}``; few stages, so runs are common."""
    statuses = sorted(APPLICATION_STATUSES)
    paths = {}
    for _ in range(count):
        entries = [(rnd.choice([1, 2, 3, 4, 5, 5, 5, 6, 13]), START + timedelta(hours=rnd.randrange(0, 12)))
                   for _ in range(rnd.randrange(0, 6))]
        paths[str(uuid.uuid4())] = (rnd.choice(statuses), entries)
    return paths


def expected(conn, app_id: str, status: str):
    rows = conn.execute(select(timeline.c.stage, timeline.c.at).where(timeline.c.application_id == app_id)
                        .order_by(timeline.c.at, timeline.c.id)).all()
    return waiting_since(status, [Step(r.stage, r.at) for r in rows])


@pytest.fixture
def engine(subsidy_review_db):
    engine = create_engine(subsidy_review_db)
    yield engine
    engine.dispose()


def test_the_write_paths_keep_it_by_the_rule(engine):
    rnd = random.Random(15)
    paths = random_paths(rnd, 300)
    with Session(engine) as session, session.begin():
        repo = ApplicationRepository(session)
        for app_id in paths:
            repo.add(application(app_id, "pending_unit_review"))
        for app_id, (status, entries) in paths.items():   # one by one, as the events arrive
            for n, (stage, at) in enumerate(entries):
                if n == len(entries) // 2:   # a status change, then its entry (some entries come without one)
                    repo.update(app_id, {"status": status})
                repo.add_timeline_entry({"application_id": app_id, "stage": stage, "event_type": "x", "round": 1,
                                         "event_id": str(uuid.uuid4()), "at": at})
            if not entries:
                repo.update(app_id, {"status": status})
    with engine.connect() as conn:
        kept = dict(conn.execute(select(applications.c.id, applications.c.waiting_since)).all())
        for app_id, (status, _entries) in paths.items():
            assert kept[app_id] == expected(conn, app_id, status), (status, _entries)
    assert any(v is not None for v in kept.values()) and any(v is None for v in kept.values())


def test_a_batch_of_entries_and_the_migrations_fill_follow_the_same_rule(engine):
    rnd = random.Random(16)
    paths = random_paths(rnd, 300)
    with Session(engine) as session, session.begin():
        repo = ApplicationRepository(session)
        for app_id, (status, _entries) in paths.items():
            repo.add(application(app_id, status))
        repo.add_timeline_entries([{"application_id": app_id, "stage": stage, "event_type": "x", "round": 1,
                                    "event_id": str(uuid.uuid4()), "at": at}
                                   for app_id, (_status, entries) in paths.items() for stage, at in entries])
    with engine.connect() as conn:
        batch = dict(conn.execute(select(applications.c.id, applications.c.waiting_since)).all())
        for app_id, (status, _entries) in paths.items():
            assert batch[app_id] == expected(conn, app_id, status)
    fill = migration()
    assert fill.WAITING_STAGE == WAITING_STAGE   # a new status needs a migration that fills it
    with engine.begin() as conn:
        conn.execute(text("UPDATE applications SET waiting_since = NULL"))
        values = ", ".join(f"('{s}', {n})" for s, n in fill.WAITING_STAGE.items())
        conn.execute(text(fill.FILL.format(values=values)))
        assert dict(conn.execute(select(applications.c.id, applications.c.waiting_since)).all()) == batch

