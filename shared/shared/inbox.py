"""The inbox: a consumer records each event id in the same transaction as the event's effect."""
from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shared.db.engine import affected_rows
from shared.db.tables import inbox


def claim(session: Session, consumer: str, event_id: str, event_type: str) -> bool:
    """Record ``event_id`` for ``consumer``; False when it was already processed (a duplicate).

    A concurrent duplicate blocks on the primary key until the first transaction ends, then finds the
    row: exactly one of them applies the effect.
    """
    stmt = (pg_insert(inbox).values(consumer=consumer, event_id=event_id, event_type=event_type)
            .on_conflict_do_nothing(index_elements=["consumer", "event_id"]))
    return affected_rows(session.execute(stmt)) == 1


def claim_many(session: Session, consumer: str, events: list[tuple[str, str]]) -> set[str]:
    """:func:`claim` for several ``(event_id, event_type)`` in one statement; returns the ids recorded now
    (the others were processed already, or are repeated in ``events``: only the first of a repeat counts)."""
    first: dict[str, str] = {}
    for event_id, event_type in events:
        first.setdefault(event_id, event_type)
    if not first:
        return set()
    stmt = (pg_insert(inbox).values([{"consumer": consumer, "event_id": i, "event_type": t} for i, t in first.items()])
            .on_conflict_do_nothing(index_elements=["consumer", "event_id"]).returning(inbox.c.event_id))
    return set(session.execute(stmt).scalars())
