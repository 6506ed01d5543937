"""The append-only audit trail: who did what, when, with the record before and after.

Rows are only ever inserted (a database trigger refuses UPDATE and DELETE). Every decision (approve,
return, confirm, pay) and every read of personal data is recorded in the service that made it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from shared.db.tables import audit_log


def record(session: Session, *, action: str, subject_type: str, subject_id: str, actor: Any = None,
           before: dict | None = None, after: dict | None = None, region: str | None = None,
           correlation_id: str | None = None, at=None) -> None:
    """Append one audit row in the caller's transaction. ``actor`` is a Principal (or None: system)."""
    values = {
        "action": action, "subject_type": subject_type, "subject_id": str(subject_id),
        "actor_account": getattr(actor, "account_id", None), "actor_role": getattr(actor, "role", None),
        "actor_name": getattr(actor, "name", None), "before": before, "after": after, "region": region,
        "correlation_id": correlation_id,
    }
    if at is not None:
        values["at"] = at
    session.execute(insert(audit_log).values(**values))


def trail(session: Session, subject_type: str, subject_id: str) -> list[dict]:
    """The audit rows of one record, oldest first."""
    rows = session.execute(select(audit_log).where(
        audit_log.c.subject_type == subject_type, audit_log.c.subject_id == str(subject_id))
        .order_by(audit_log.c.id)).mappings()
    return [dict(r) for r in rows]
