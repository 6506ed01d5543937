"""Stage 13: the individual confirms (or disputes) the receipt (个人确认拨付)."""
from __future__ import annotations

from typing import Any

from finance_disbursement import views
from finance_disbursement.adapters.repository import ItemRepository, PaymentRepository
from finance_disbursement.domain.rules import check_filters, check_id, check_opinion
from finance_disbursement.domain.workflows import ITEM_APPLICATION_STATUS, PAYMENT
from finance_disbursement.use_cases.common import emit_for_item, move_item
from shared.errors import NotFound
from shared.service import Tx


def _load_own_payment(tx: Tx, payment_id: Any) -> dict:
    payment = tx.repository(PaymentRepository).get(check_id(payment_id, "payment_id"), lock=True)
    if payment is None or payment["account_id"] != tx.principal.account_id:
        raise NotFound("补助拨付记录不存在", code="payment.not_found")
    return payment


def _answer_receipt(tx: Tx, payment_id: Any, action: str, opinion: str | None = None) -> dict:
    payment = _load_own_payment(tx, payment_id)
    status = PAYMENT.next(payment["status"], action)
    values: dict[str, Any] = {"status": status}
    if action == "confirm_receipt":
        values["confirmed_at"] = tx.now
    else:
        values.update(disputed_at=tx.now, dispute_opinion=opinion)
    tx.repository(PaymentRepository).update(payment["id"], values)
    [item] = tx.repository(ItemRepository).of_round(payment["application_id"], payment["round"], lock=True)
    item_status = move_item(tx, item, action)
    event_type = "application.receipt_confirmed" if action == "confirm_receipt" else "application.receipt_disputed"
    extra = {"opinion": opinion} if opinion else {}
    emit_for_item(tx, event_type, item, ITEM_APPLICATION_STATUS[item_status], **extra)
    tx.audit(f"payment.{action}", "payment", payment["id"], before={"status": payment["status"]},
             after={"status": status, **extra}, region=item["county"])
    return views.payment(tx.repository(PaymentRepository).get(payment["id"]))


def confirm_receipt(tx: Tx, payment_id: Any) -> dict:
    """The individual confirms the subsidy has reached their account (个人已确认收到)."""
    return _answer_receipt(tx, payment_id, "confirm_receipt")


def dispute_receipt(tx: Tx, payment_id: Any, opinion: Any) -> dict:
    """The individual reports the subsidy has not arrived, with an explanation (个人反馈未收到)."""
    return _answer_receipt(tx, payment_id, "dispute_receipt", check_opinion(opinion))


def my_payments(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """The caller's own payments, newest first."""
    wanted = check_filters(filters, {"status": PAYMENT.statuses()})
    return tx.repository(PaymentRepository).page(tx.principal.account_id, wanted, page, page_size, views.payment)
