"""The unit's review of 个人注册: 审核通过, 退回修改 and 一键审核通过."""
from __future__ import annotations

from typing import Any

from shared.errors import InvalidInput
from shared.service import Tx
from unit_registry import unit_registration, views
from unit_registry.domain.individuals import REVIEW
from unit_registry.domain.statuses import APPROVED, PENDING, check_opinion
from unit_registry.use_cases.common import (
    emit_people,
    emit_person,
    individual_not_found,
    individuals,
    load_individual,
)

MAX_BULK = 500
#: how many registrations of a one-click approval are read and written at a time
SLICE = 500


def _unit_individual(tx: Tx, individual_id: str) -> Any:
    """An individual of the clerk's own unit, locked for a decision; any other is 404."""
    row = load_individual(tx, individual_id, lock=True)
    if row["unit_id"] != tx.principal.unit_id:
        raise individual_not_found()
    return row


def _decide(tx: Tx, row: Any, action: str, opinion: str | None) -> dict:
    status = REVIEW.next(row["status"], action)
    after = individuals(tx).update(row, {"status": status, "opinion": opinion, "updated_at": tx.now,
                                         "approved_at": tx.now if status == APPROVED else row["approved_at"]})
    unit_registration.history(tx, "individual", row["id"], row["round"],
                              "approved" if status == APPROVED else "returned", opinion=opinion)
    emit_person(tx, "individual.approved" if status == APPROVED else "individual.returned", after)
    # last: the audit chain's lock is held from this write to the commit
    tx.audit(f"individual.{action}", "individual", row["id"], before=views.audit_view(row),
             after=views.audit_view(after), region=row["region"])
    return views.individual_view(after, full=False)


def approve_individual(tx: Tx, individual_id: str, opinion: str | None = None) -> dict:
    """审核通过. Emits ``individual.approved`` with what subsidy_review keeps of the person."""
    row = _unit_individual(tx, individual_id)
    return _decide(tx, row, "approve", check_opinion(opinion, required=False))


def return_individual(tx: Tx, individual_id: str, opinion: str) -> dict:
    """退回修改, with the reason. Emits ``individual.returned``."""
    row = _unit_individual(tx, individual_id)
    return _decide(tx, row, "return", check_opinion(opinion, required=True))


def approve_all_individuals(tx: Tx, individual_ids: list[str] | None = None) -> dict:
    """一键审核通过: every pending registration of the clerk's unit, or only the ticked ones when
    ``individual_ids`` is given (what the clerk saw, so a registration arriving meanwhile waits).
    One transaction (all or none; after a kill -9 the redelivered call starts over): every row is
    locked first by id, then approved :data:`SLICE` at a time, so memory stays that of one slice."""
    if individual_ids is not None and (
            not isinstance(individual_ids, list) or not individual_ids or len(individual_ids) > MAX_BULK
            or not all(isinstance(i, str) for i in individual_ids)):
        raise InvalidInput.field("individual_ids", "individual.ids_invalid", f"请选择1-{MAX_BULK}条注册信息")
    locked = individuals(tx).lock_of_unit(tx.principal.unit_id, individual_ids, PENDING)
    if individual_ids is not None and len(locked) != len(set(individual_ids)):
        raise individual_not_found()
    pending = [individual_id for individual_id, status in locked if status == PENDING]
    del locked
    for start in range(0, len(pending), SLICE):
        _approve_slice(tx, pending[start:start + SLICE])
    return {"approved": len(pending), "individual_ids": pending}


def _approve_slice(tx: Tx, ids: list[str]) -> None:
    """What :func:`_decide` writes for each, in a few statements for the slice (10,000 at once in
    seconds, not minutes); the slice's events are not kept by ``tx`` (only written)."""
    rows = individuals(tx).many(ids)
    status = REVIEW.next(PENDING, "approve")
    after = individuals(tx).update_many(rows, {"status": status, "opinion": None, "updated_at": tx.now,
                                               "approved_at": tx.now})
    unit_registration.history_many(tx, "individual", [(row["id"], row["round"]) for row in rows], "approved")
    tx.audit_many([{"action": "individual.approve", "subject_type": "individual", "subject_id": row["id"],
                    "before": views.audit_view(row), "after": views.audit_view(after[row["id"]]),
                    "region": row["region"]} for row in rows])
    emit_people(tx, "individual.approved", [after[row["id"]] for row in rows], keep=False)
