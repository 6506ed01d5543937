"""platform_v3: the outbox row's ``committed_at`` and the inbox row's ``handled_at`` are set at COMMIT
(deferred constraint triggers), not at the transaction's start like ``created_at``/``received_at``;
a rolled-back transaction leaves nothing. The benchmark's hand-off legs read these columns."""
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from shared.testing import db

SERVICE_DIR = Path(__file__).resolve().parents[3] / "services" / "org_confirmation"


@pytest.fixture(scope="module")
def engine():
    url = db.migrated_database("test_commit_times", SERVICE_DIR)
    engine = create_engine(url)
    yield engine
    engine.dispose()
    db.drop(url)


def test_outbox_row_gets_its_commit_time_at_commit(engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO platform_outbox (event_id, event_type, exchange, routing_key, body) "
                          "VALUES ('e-1', 'x.y', 'x.events', 'x.y', '{}')"))
        assert conn.execute(text("SELECT committed_at FROM platform_outbox WHERE event_id='e-1'")).scalar() is None
        conn.execute(text("SELECT pg_sleep(0.05)"))  # work after the insert: the commit comes later
    with engine.connect() as conn:
        row = conn.execute(text("SELECT created_at, committed_at, sent_at, picked_at FROM platform_outbox "
                                "WHERE event_id='e-1'")).one()
    assert row.committed_at is not None and row.committed_at > row.created_at
    assert (row.committed_at - row.created_at).total_seconds() >= 0.05
    assert row.sent_at is None and row.picked_at is None  # the relay sets those


def test_inbox_row_gets_its_commit_time_and_rollback_leaves_nothing(engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO platform_inbox (consumer, event_id, event_type) VALUES ('c', 'e-2', 'x.y')"))
        conn.execute(text("SELECT pg_sleep(0.05)"))
    with engine.connect() as conn:
        trans = conn.begin()
        conn.execute(text("INSERT INTO platform_inbox (consumer, event_id, event_type) VALUES ('c', 'e-3', 'x.y')"))
        trans.rollback()
        rows = conn.execute(text("SELECT event_id, received_at, handled_at FROM platform_inbox "
                                 "ORDER BY event_id")).all()
    assert [r.event_id for r in rows] == ["e-2"]
    assert (rows[0].handled_at - rows[0].received_at).total_seconds() >= 0.05
