"""Stage 11: city finance releases a ready batch's money county by county (市财政局确认拨付)."""
from __future__ import annotations

import uuid
from typing import Any

from finance_disbursement import views
from finance_disbursement.adapters.repository import BatchRepository, ItemRepository, TransferRepository
from finance_disbursement.domain.reconciliation import CountyTotal, batch_lines
from finance_disbursement.domain.rules import check_county_choice, check_filters, check_id, transfer_no
from finance_disbursement.domain.workflows import BATCH, ITEM_APPLICATION_STATUS, release_action
from finance_disbursement.use_cases.common import emit_for_item, move_item
from finance_disbursement.use_cases.intake import reconciliation
from shared.clock import to_local
from shared.errors import Conflict, NotFound
from shared.service import Tx


def load_batch(tx: Tx, batch_id: Any, *, lock: bool = False) -> dict:
    batch = tx.repository(BatchRepository).get(check_id(batch_id, "batch_id"), lock=lock)
    if batch is None:
        raise NotFound("汇总批次不存在", code="disbursement_batch.not_found")
    tx.principal.check_region(batch["city"])
    return batch


def release(tx: Tx, batch_id: Any, county: Any = None) -> dict:
    """Release a ready batch's money to one county (or every county not yet released): one county
    transfer per county; its applications become 市财政局已拨付."""
    batch = load_batch(tx, batch_id, lock=True)
    lines = [line for line in batch_lines(batch) if line.count > 0]
    chosen = check_county_choice(county, [line.county for line in lines])
    released = tx.repository(TransferRepository).of_batch(batch["id"])
    if chosen in released:
        raise Conflict("该县区本批次资金已拨付，不能重复拨付", code="disbursement_batch.county_already_released",
                       details={"county": chosen, "transfer_no": released[chosen]["transfer_no"]})
    targets = [chosen] if chosen else [line.county for line in lines if line.county not in released]
    action = release_action({line.county for line in lines}, set(released), set(targets))
    status = BATCH.next(batch["status"], action)  # 409 while waiting for applications, or all released
    checked = reconciliation(tx, batch)
    if not checked.ready:  # an application that arrived after the batch was ready would be paid unchecked
        raise Conflict("汇总批次与到达的申请数据不符，暂不能拨付", code="disbursement_batch.discrepancy",
                       details={"discrepancies": [d.to_dict() for d in checked.discrepancies]})
    created = [_release_county(tx, batch, target) for target in targets]
    tx.repository(BatchRepository).update(batch["id"], {"status": status, "updated_at": tx.now})
    tx.audit("disbursement_batch.release", "disbursement_batch", batch["id"], before={"status": batch["status"]},
             after={"status": status, "counties": targets, "transfer_nos": [t["transfer_no"] for t in created]},
             region=batch["city"])
    return {**get_batch(tx, batch["id"]), "released_transfers": [views.transfer(t) for t in created]}


def _next_transfer_no(tx: Tx, county: str) -> str:
    day = to_local(tx.now).date()
    transfers = tx.repository(TransferRepository)
    # numbers are per county and day; the lock keeps two batches released at once from taking the same
    transfers.lock(f"transfer-no:{county}")
    prefix = transfer_no(county, day, 0)[:-2]
    return transfer_no(county, day, transfers.count_numbered(county, prefix) + 1)


def _release_county(tx: Tx, batch: dict, county: str) -> dict:
    released = tx.repository(ItemRepository).of_batch(batch["id"], county=county, status="confirmed", lock=True)
    transfer = {"id": str(uuid.uuid4()), "transfer_no": _next_transfer_no(tx, county), "batch_id": batch["id"],
                "city": batch["city"], "county": county, "count": len(released),
                "amount_fen": sum(i["amount_fen"] for i in released), "status": "released",
                "released_by": tx.principal.account_id, "released_at": tx.now, "paid_by": None, "paid_at": None,
                "batch_no": batch["batch_no"]}
    tx.repository(TransferRepository).add({k: v for k, v in transfer.items() if k != "batch_no"})
    for item in released:
        status = move_item(tx, item, "release", transfer_id=transfer["id"])
        emit_for_item(tx, "application.funds_released", item, ITEM_APPLICATION_STATUS[status],
                      transfer_id=transfer["id"])
    tx.emit("county_transfer.released", subject=transfer["id"], region=county, data={
        "transfer_id": transfer["id"], "transfer_no": transfer["transfer_no"], "city": batch["city"],
        "county": county, "batch_id": batch["id"], "batch_no": batch["batch_no"], "count": transfer["count"],
        "amount_fen": transfer["amount_fen"]})
    tx.audit("county_transfer.release", "county_transfer", transfer["id"], after={
        "transfer_no": transfer["transfer_no"], "batch_id": batch["id"], "count": transfer["count"],
        "amount_fen": transfer["amount_fen"], "application_ids": [i["application_id"] for i in released]},
        region=county)
    return transfer


def list_batches(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """City finance's batches of its city, newest first; filters ``status`` (ready = 待拨付) and ``q``
    (batch number)."""
    wanted = check_filters(filters, {"status": BATCH.statuses(), "q": None})
    return tx.repository(BatchRepository).page(tx.principal.region, wanted, page, page_size, views.batch)


def get_batch(tx: Tx, batch_id: Any) -> dict:
    """A batch with its county lines (announced, arrived, released), its reconciliation and items."""
    batch = load_batch(tx, batch_id)
    summary = tx.repository(BatchRepository).summary(batch["id"])
    arrived = {t.county: t for t in tx.repository(BatchRepository).arrived_by_county(batch["id"])}
    transfers = tx.repository(TransferRepository).of_batch(batch["id"])
    return {**views.batch(summary),
            "counties": [views.county_line(line, arrived.get(line.county, CountyTotal(line.county, 0, 0)),
                                           transfers.get(line.county)) for line in batch_lines(batch)],
            "reconciliation": reconciliation(tx, batch).to_dict(),
            "items": [views.item(i) for i in tx.repository(ItemRepository).of_batch(batch["id"])]}
