"""追回: money paid to an individual that has to come back (found ineligible after payment, paid twice
by another channel...). A clawback has its own record and state (待追回 → 已追回) and never changes
what was paid: the totals show it apart."""
from __future__ import annotations

import uuid
from typing import Any

from finance_disbursement import views
from finance_disbursement.adapters.repository import ClawbackRepository, ItemRepository
from finance_disbursement.domain.rules import check_filters, check_id, check_reason
from finance_disbursement.domain.workflows import CLAWBACK, PAID_ITEM_STATUSES, item_application_status
from finance_disbursement.use_cases.common import emit_for_item
from shared.errors import Conflict, NotFound
from shared.service import Tx


def record_clawback(tx: Tx, application_id: Any, reason: Any) -> dict:
    """Record a clawback of the whole amount paid for the application's latest round: 409
    ``clawback.not_paid`` when the money never reached the individual, ``clawback.exists`` for a second."""
    item = tx.repository(ItemRepository).latest(check_id(application_id, "application_id"), lock=True)
    if item is None or item["transfer_id"] is None:
        raise NotFound("拨付记录不存在", code="disbursement_item.not_found")
    tx.principal.check_region(item["county"])
    if item["status"] not in PAID_ITEM_STATUSES or not item["payment_id"]:
        raise Conflict("该申请的补助尚未支付到个人，不能追回", code="clawback.not_paid",
                       details={"application_no": item["application_no"], "status": item["status"]})
    text = check_reason(reason, "追回原因", "clawback.reason_")
    clawback_id = str(uuid.uuid4())
    added = tx.repository(ClawbackRepository).add({
        "id": clawback_id, "application_id": item["application_id"], "round": item["round"],
        "payment_id": item["payment_id"], "batch_id": item["batch_id"], "county": item["county"],
        "city": item["city"], "amount_fen": item["amount_fen"], "reason": text, "status": "recorded",
        "recorded_by": tx.principal.account_id, "recorded_at": tx.now})
    if not added:
        raise Conflict("该申请已登记追回", code="clawback.exists", details={"application_no": item["application_no"]})
    emit_for_item(tx, "application.clawback_recorded", item, item_application_status(item["status"]),
                  clawback_id=clawback_id, reason=text)
    tx.audit("clawback.record", "clawback", clawback_id, region=item["county"], after={
        "application_id": item["application_id"], "amount_fen": item["amount_fen"], "reason": text})
    return views.clawback(tx.repository(ClawbackRepository).get(clawback_id))


def recover_clawback(tx: Tx, clawback_id: Any) -> dict:
    """The clawed-back money is back in the finance bureau's account (已追回)."""
    repo = tx.repository(ClawbackRepository)
    row = repo.get(check_id(clawback_id, "clawback_id"), lock=True)
    if row is None:
        raise NotFound("追回记录不存在", code="clawback.not_found")
    tx.principal.check_region(row["county"])
    status = CLAWBACK.next(row["status"], "recover")
    repo.update(row["id"], {"status": status, "recovered_by": tx.principal.account_id, "recovered_at": tx.now})
    [item] = tx.repository(ItemRepository).of_round(row["application_id"], row["round"])
    emit_for_item(tx, "application.clawback_recovered", item, item_application_status(item["status"]),
                  clawback_id=row["id"])
    tx.audit("clawback.recover", "clawback", row["id"], region=row["county"], before={"status": row["status"]},
             after={"status": status})
    return views.clawback(repo.get(row["id"]))


def list_clawbacks(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """追回记录 within the caller's jurisdiction, newest first."""
    wanted = check_filters(filters, {"status": CLAWBACK.statuses(), "batch_id": None})
    return tx.repository(ClawbackRepository).page(tx.principal, wanted, page, page_size, views.clawback)
