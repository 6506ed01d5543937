"""一键审核通过 in chunks: ``bulk_chunk`` writes, for a chunk of applications at once, the same rows, events,
timeline entries and audit rows as ``bulk_item`` one by one, and refuses the items that may not move
(another unit's, gone, no longer pending, the same id twice) one by one as their outcomes."""
from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.auth.roles import Role
from shared.clock import SystemClock
from shared.errors import PlatformError
from shared.service import Tx
from subsidy_review import use_cases

UNIT, OTHER = str(uuid.uuid4()), str(uuid.uuid4())
CLERK = Principal(account_id=str(uuid.uuid4()), role=Role.UNIT_ADMIN, unit_id=UNIT, name="李经办")

INSERT = text("""
INSERT INTO applications (id, application_no, individual_id, account_id, unit_id, unit_name, county, city,
    applicant_name, id_type, id_number, degree, start_date, months, standard_fen, amount_fen, policy_version,
    status, round, submitted_at, created_at, updated_at)
VALUES (:id, :no, :id, :id, :unit, '测试单位', '440703', '440700', '王小明', 'resident_id', '440703199803151233',
    'bachelor', DATE '2026-07-01', 12, 120000, 1440000, 1, :status, 0, now(), now(), now())""")


def add(conn, status="pending_unit_review", unit=UNIT) -> str:
    app_id = str(uuid.uuid4())
    conn.execute(INSERT, {"id": app_id, "no": "BZ" + app_id[:12], "unit": unit, "status": status})
    return app_id


def run(url, fn):
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            tx = Tx(session=session, principal=CLERK, service="subsidy_review", clock=SystemClock())
            return fn(tx)
    finally:
        engine.dispose()


def written(url, app_id) -> dict:
    """What moving ``app_id`` left: its row, its timeline, its events and audit rows (ids and times left out)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT status, opinion, round, reported_at IS NOT NULL AS reported "
                                "FROM applications WHERE id = :i"), {"i": app_id}).mappings().one()
        timeline = [dict(r) for r in conn.execute(text(
            "SELECT stage, event_type, status, round, actor_role, actor_account, actor_name, opinion FROM timeline "
            "WHERE application_id = :i ORDER BY id"), {"i": app_id}).mappings()]
        events = [(r.event_type, {k: v for k, v in r.data.items() if k not in ("application_id", "application_no")})
                  for r in conn.execute(text(
                      "SELECT event_type, body::json->'data' AS data FROM platform_outbox WHERE exchange NOT LIKE "
                      "'platform.%' AND body::json->>'subject' = :i ORDER BY seq"), {"i": app_id})]
        audits = [tuple(r) for r in conn.execute(text(
            "SELECT action, before::text, after::text, region, actor_role, actor_name FROM platform_audit_log "
            "WHERE subject_id = :i ORDER BY id"),
            {"i": app_id})]
    engine.dispose()
    return {"row": dict(row), "timeline": timeline, "events": events, "audits": audits}


def test_a_chunk_writes_what_item_by_item_writes_and_refuses_item_by_item(subsidy_review_db):
    engine = create_engine(subsidy_review_db)
    with engine.begin() as conn:
        one, two, three, alone = (add(conn) for _ in range(4))
        withdrawn, others = add(conn, "withdrawn"), add(conn, unit=OTHER)
    engine.dispose()
    payloads = [{"application_id": i} for i in (one, two, withdrawn, others, str(uuid.uuid4()), one, three)]

    outcomes = run(subsidy_review_db, lambda tx: use_cases.bulk_chunk(tx, payloads))
    single = run(subsidy_review_db, lambda tx: use_cases.bulk_item(tx, {"application_id": alone}))

    refused = {i: (o.status, o.code) for i, o in enumerate(outcomes) if isinstance(o, PlatformError)}
    assert refused == {2: (409, "application.illegal_transition"), 3: (404, "application.not_found"),
                       4: (404, "application.not_found"), 5: (409, "application.illegal_transition")}
    assert [o["status"] for o in outcomes if isinstance(o, dict)] == ["pending_county_review"] * 3
    assert single["status"] == "pending_county_review"
    reference = written(subsidy_review_db, alone)
    assert [t["stage"] for t in reference["timeline"]] == [2, 3]
    assert [e for e, _ in reference["events"]] == ["application.unit_approved", "application.reported"]
    assert len(reference["audits"]) == 2
    for app_id in (one, two, three):
        assert written(subsidy_review_db, app_id) == reference
    for app_id, status in ((withdrawn, "withdrawn"), (others, "pending_unit_review")):
        untouched = written(subsidy_review_db, app_id)
        assert (untouched["row"]["status"], untouched["timeline"], untouched["events"]) == (status, [], [])
