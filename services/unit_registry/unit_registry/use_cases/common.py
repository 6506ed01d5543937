"""What the use cases of individuals share: loading one the caller may see, and the event about it.

Who sees what: a graduate their own registration, a unit clerk the people of their unit, the county
HRSS the units and people of its county, city officers the units of their city. Anything else is 404.
"""
from __future__ import annotations

from typing import Any

from shared import attachment_records as records
from shared.auth.roles import Role
from shared.errors import NotFound
from shared.service import Tx
from unit_registry import unit_registration, views
from unit_registry.adapters.orm import attachments
from unit_registry.adapters.repository import IndividualRepository


def individuals(tx: Tx) -> IndividualRepository:
    return tx.repository(IndividualRepository)


def individual_not_found() -> NotFound:
    return NotFound("个人注册信息不存在或不在您的管辖范围内", code="individual.not_found")


def load_individual(tx: Tx, individual_id: str, *, lock: bool = False) -> Any:
    row = individuals(tx).get(str(individual_id), lock=lock)
    if row is None:
        raise individual_not_found()
    return row


def visible(tx: Tx, row: Any) -> bool:
    principal = tx.principal
    if principal.role == Role.INDIVIDUAL:
        return row["account_id"] == principal.account_id
    if principal.role == Role.UNIT_ADMIN:
        return row["unit_id"] == principal.unit_id
    return principal.sees_region(row["region"])


def may_see_individual(tx: Tx, individual_id: str) -> bool:
    """Whether the individual exists and the caller may see it (for its attachments' downloads)."""
    row = individuals(tx).get(str(individual_id))
    return row is not None and visible(tx, row)


def own_registration(tx: Tx, *, lock: bool = False) -> Any:
    row = individuals(tx).of_account(tx.principal.account_id, lock=lock)
    if row is None:
        raise NotFound("您尚未提交个人注册信息", code="individual.not_registered")
    return row


#: the events that carry the bank account: the hand-off, and the graduate's own correction after it
BANK_ACCOUNT_EVENTS = frozenset({"individual.approved", "individual.bank_account_changed"})


def emit_person(tx: Tx, event_type: str, row: Any) -> None:
    tx.emit(event_type, subject=row["id"], region=row["region"],
            data=views.person_event(row, with_bank_account=event_type in BANK_ACCOUNT_EVENTS))


def emit_people(tx: Tx, event_type: str, rows: list[Any], *, keep: bool = True) -> None:
    """:func:`emit_person` for many, in one insert (``keep``: see :meth:`Tx.emit_many`)."""
    tx.emit_many([{"event_type": event_type, "subject": row["id"], "region": row["region"],
                   "data": views.person_event(row, with_bank_account=event_type in BANK_ACCOUNT_EVENTS)}
                  for row in rows], keep=keep)


def individual_detail(tx: Tx, row: Any) -> dict:
    """The full view with the proof materials (证明材料) and every round of the unit's review."""
    return {**views.individual_view(row, full=True),
            "attachments": records.views_of(tx, attachments, row["attachment_ids"] or []),
            "history": unit_registration.history_of(tx, "individual", [row["id"]])}
