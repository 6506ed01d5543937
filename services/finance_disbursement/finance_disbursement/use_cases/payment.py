"""Stage 12: county finance pays each individual of a released transfer (县财政局拨付至个人)."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from finance_disbursement import views
from finance_disbursement.adapters.repository import (
    BankFileRepository,
    CorrectionRepository,
    ItemRepository,
    PaymentRepository,
    TransferRepository,
)
from finance_disbursement.domain.rules import (
    NO_BANK_ACCOUNT,
    check_filters,
    check_id,
    has_bank_account,
    takes_correction,
)
from finance_disbursement.domain.workflows import ITEM_APPLICATION_STATUS, TRANSFER
from finance_disbursement.use_cases.common import emit_for_item, move_item
from shared.clock import to_local
from shared.errors import Conflict, NotFound
from shared.service import Tx


def load_transfer(tx: Tx, transfer_id: Any, *, lock: bool = False) -> dict:
    transfer = tx.repository(TransferRepository).get(check_id(transfer_id, "transfer_id"), lock=lock)
    if transfer is None:
        raise NotFound("拨付单不存在", code="county_transfer.not_found")
    tx.principal.check_region(transfer["county"])
    return transfer


def check_received(transfer: dict) -> None:
    """409 ``county_transfer.not_received`` while county finance has not confirmed the city's money
    arrived: nothing is paid out of an account the money has not reached."""
    if transfer["status"] == "released":
        raise Conflict("市财政局拨款尚未确认到账，请先确认到账再支付", code="county_transfer.not_received",
                       details={"transfer_no": transfer["transfer_no"]})


def confirm_arrival(tx: Tx, transfer_id: Any) -> dict:
    """到账确认: county finance confirms the city's transfer has reached its account."""
    transfer = load_transfer(tx, transfer_id, lock=True)
    status = TRANSFER.next(transfer["status"], "confirm_arrival")
    tx.repository(TransferRepository).update(transfer["id"], {
        "status": status, "received_by": tx.principal.account_id, "received_at": tx.now})
    tx.emit("county_transfer.arrival_confirmed", subject=transfer["id"], region=transfer["county"], data={
        "transfer_id": transfer["id"], "transfer_no": transfer["transfer_no"], "city": transfer["city"],
        "county": transfer["county"], "batch_id": transfer["batch_id"], "count": transfer["count"],
        "amount_fen": transfer["amount_fen"]})
    tx.audit("county_transfer.confirm_arrival", "county_transfer", transfer["id"],
             before={"status": transfer["status"]}, after={"status": status}, region=transfer["county"])
    return transfer_detail(tx, transfer["id"], full_bank=False)


def pay(tx: Tx, transfer_id: Any) -> dict:
    """Pay every pending application of a received transfer to its bank account: one payment each,
    which the UNIQUE (application, round) of ``payments`` makes impossible to repeat."""
    transfer = load_transfer(tx, transfer_id, lock=True)
    check_received(transfer)
    status = TRANSFER.next(transfer["status"], "pay")
    paid_on = to_local(tx.now).date()
    paid, failed = 0, 0
    for item in tx.repository(ItemRepository).of_transfer(transfer["id"], lock=True):
        if item["status"] != "released":
            continue  # settled by a bank result file already
        if has_bank_account(item):
            pay_item(tx, transfer, item, paid_on)
            paid += 1
        else:
            fail_item(tx, item, NO_BANK_ACCOUNT)
            failed += 1
    tx.repository(TransferRepository).update(transfer["id"], {
        "status": status, "paid_by": tx.principal.account_id, "paid_at": tx.now})
    tx.audit("county_transfer.pay", "county_transfer", transfer["id"], before={"status": transfer["status"]},
             after={"status": status, "paid_on": paid_on.isoformat(), "paid": paid, "failed": failed},
             region=transfer["county"])
    return transfer_detail(tx, transfer["id"], full_bank=False)


def pay_item(tx: Tx, transfer: dict, item: dict, paid_on: date) -> None:
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


def fail_item(tx: Tx, item: dict, reason: str) -> None:
    """The payment failed (回盘, or no account). If the graduate corrected the account before the
    failure (after the account that failed was stated), the latest correction waits on it for the retry,
    as one made after the failure does (:func:`offer_correction`)."""
    attempt_id = str(uuid.uuid4())  # names the failed attempt in the timeline; no money moved
    status = move_item(tx, item, "fail_payment", payment_id=attempt_id, failure_reason=reason)
    emit_for_item(tx, "application.payment_failed", item, ITEM_APPLICATION_STATUS[status],
                  payment_id=attempt_id, reason=reason)
    if item["account_id"]:
        offer_correction(tx, item, tx.repository(CorrectionRepository).latest(str(item["account_id"])))


def offer_correction(tx: Tx, item: dict, correction: dict | None) -> bool:
    """Keep ``correction`` on the failed payment ``item`` when it takes it (``takes_correction``);
    nothing is paid until county finance retries. Whether it was kept."""
    if not takes_correction(item, correction):
        return False
    assert correction is not None
    tx.repository(ItemRepository).update(item, {
        "corrected_bank_holder": correction["bank_holder"], "corrected_bank_name": correction["bank_name"],
        "corrected_bank_number": correction["bank_number"], "corrected_at": correction["corrected_at"],
        "updated_at": tx.now})
    return True


def list_transfers(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """County finance's transfers from city finance (待支付 = released)."""
    wanted = check_filters(filters, {"status": TRANSFER.statuses(), "batch_id": None, "q": None})
    return tx.repository(TransferRepository).page(tx.principal.region, wanted, page, page_size, views.transfer)


def list_failed(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """支付失败 applications of the caller's county (to retry with a corrected account or return)."""
    wanted = check_filters(filters, {"transfer_id": None, "q": None})
    return tx.repository(ItemRepository).failed_page(tx.principal.region, wanted, page, page_size,
                                                     lambda r: views.item(dict(r._mapping)))


def transfer_detail(tx: Tx, transfer_id: str, *, full_bank: bool) -> dict:
    transfer = tx.repository(TransferRepository).get(transfer_id)
    return {**views.transfer(transfer),
            "items": [views.item(i, full_bank=full_bank)
                      for i in tx.repository(ItemRepository).of_transfer(transfer_id)],
            "bank_results": [{"id": f["id"], "filename": f["filename"], "imported_at": f["imported_at"].isoformat(),
                              **{k: f["summary"].get(k, 0) for k in ("paid", "failed", "unchanged", "rejected")}}
                             for f in tx.repository(BankFileRepository).of_transfer(transfer_id)]}


def get_transfer(tx: Tx, transfer_id: Any) -> dict:
    """A transfer with its applications and their full bank accounts: the read is audited."""
    transfer = load_transfer(tx, transfer_id)
    detail = transfer_detail(tx, transfer["id"], full_bank=True)
    tx.audit("payment.bank_read", "county_transfer", transfer["id"],
             after={"application_ids": [i["application_id"] for i in detail["items"]]}, region=transfer["county"])
    return detail
