"""Stage 12: county finance pays each individual of a released transfer (县财政局拨付至个人)."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from finance_disbursement import views
from finance_disbursement.adapters import queries
from finance_disbursement.adapters.orm import county_transfers, disbursement_batches
from finance_disbursement.adapters.repository import ItemRepository, PaymentRepository, TransferRepository
from finance_disbursement.domain.rules import NO_BANK_ACCOUNT, check_filters, check_id, has_bank_account
from finance_disbursement.domain.workflows import ITEM_APPLICATION_STATUS, TRANSFER
from finance_disbursement.use_cases.common import emit_for_item, move_item
from shared.clock import to_local
from shared.errors import Conflict, NotFound
from shared.pagination import narrowed, paginate
from shared.service import Tx


def _load_transfer(tx: Tx, transfer_id: Any, *, lock: bool = False) -> dict:
    transfer = tx.repository(TransferRepository).get(check_id(transfer_id, "transfer_id"), lock=lock)
    if transfer is None:
        raise NotFound("拨付单不存在", code="county_transfer.not_found")
    tx.principal.check_region(transfer["county"])
    return transfer


def pay(tx: Tx, transfer_id: Any) -> dict:
    """Pay every application of a released transfer to its bank account: one payment each, which the
    UNIQUE (application, round) of ``payments`` makes impossible to repeat."""
    transfer = _load_transfer(tx, transfer_id, lock=True)
    status = TRANSFER.next(transfer["status"], "pay")
    paid_on = to_local(tx.now).date()
    paid, failed = 0, 0
    for item in tx.repository(ItemRepository).of_transfer(transfer["id"], lock=True):
        if has_bank_account(item):
            _pay_item(tx, transfer, item, paid_on)
            paid += 1
        else:
            _fail_item(tx, item, NO_BANK_ACCOUNT)
            failed += 1
    tx.repository(TransferRepository).update(transfer["id"], {
        "status": status, "paid_by": tx.principal.account_id, "paid_at": tx.now})
    tx.audit("county_transfer.pay", "county_transfer", transfer["id"], before={"status": transfer["status"]},
             after={"status": status, "paid_on": paid_on.isoformat(), "paid": paid, "failed": failed},
             region=transfer["county"])
    return _transfer_detail(tx, transfer["id"], full_bank=False)


def _pay_item(tx: Tx, transfer: dict, item: dict, paid_on: date) -> None:
    payment_id = str(uuid.uuid4())
    inserted = tx.repository(PaymentRepository).add({
        "id": payment_id, "application_id": item["application_id"], "round": item["round"],
        "transfer_id": transfer["id"], "account_id": item["account_id"], "amount_fen": item["amount_fen"],
        "bank_holder": item["bank_holder"], "bank_name": item["bank_name"], "bank_number": item["bank_number"],
        "paid_on": paid_on, "paid_by": tx.principal.account_id, "paid_at": tx.now, "status": "paid"})
    if not inserted:  # the workflow should make this unreachable; the money must never go out twice
        raise Conflict("该申请本轮补助已支付，不能重复支付", code="payment.already_paid",
                       details={"application_no": item["application_no"], "round": item["round"]})
    status = move_item(tx, item, "pay", payment_id=payment_id)
    emit_for_item(tx, "application.paid", item, ITEM_APPLICATION_STATUS[status], payment_id=payment_id,
                  paid_on=paid_on.isoformat())


def _fail_item(tx: Tx, item: dict, reason: str) -> None:
    attempt_id = str(uuid.uuid4())  # names the failed attempt in the timeline; no money moved
    status = move_item(tx, item, "fail_payment", payment_id=attempt_id, failure_reason=reason)
    emit_for_item(tx, "application.payment_failed", item, ITEM_APPLICATION_STATUS[status],
                  payment_id=attempt_id, reason=reason)


def list_transfers(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """County finance's transfers from city finance (待支付 = released)."""
    wanted = check_filters(filters, {"status": TRANSFER.statuses(), "batch_id": None, "q": None})
    stmt = narrowed(queries.transfer_list_stmt().where(county_transfers.c.county == tx.principal.region), wanted,
                    equal={"status": county_transfers.c.status, "batch_id": county_transfers.c.batch_id},
                    search=(county_transfers.c.transfer_no, disbursement_batches.c.batch_no))
    stmt = stmt.order_by(county_transfers.c.released_at.desc(), county_transfers.c.id)
    return paginate(tx.session, stmt, page, page_size, views.transfer)


def _transfer_detail(tx: Tx, transfer_id: str, *, full_bank: bool) -> dict:
    transfer = tx.repository(TransferRepository).get(transfer_id)
    return {**views.transfer(transfer),
            "items": [views.item(i, full_bank=full_bank)
                      for i in tx.repository(ItemRepository).of_transfer(transfer_id)]}


def get_transfer(tx: Tx, transfer_id: Any) -> dict:
    """A transfer with its applications and their full bank accounts: the read is audited."""
    transfer = _load_transfer(tx, transfer_id)
    detail = _transfer_detail(tx, transfer["id"], full_bank=True)
    tx.audit("payment.bank_read", "county_transfer", transfer["id"],
             after={"application_ids": [i["application_id"] for i in detail["items"]]}, region=transfer["county"])
    return detail
