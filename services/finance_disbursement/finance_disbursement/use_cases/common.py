"""What the finance use cases share: an item's move through its workflow and the event about it."""
from __future__ import annotations

from typing import Any

from finance_disbursement.adapters.repository import ItemRepository
from finance_disbursement.domain.workflows import ITEM
from shared.service import Tx


def emit_for_item(tx: Tx, event_type: str, item: dict, status: str, **extra: Any) -> None:
    tx.emit(event_type, subject=item["application_id"], region=item["county"], data={
        "application_id": item["application_id"], "application_no": item["application_no"],
        "county": item["county"], "city": item["city"], "unit_id": item["unit_id"], "status": status,
        "round": item["round"], "applicant_name": item["applicant_name"], "unit_name": item["unit_name"],
        "amount_fen": item["amount_fen"], "batch_id": item["batch_id"], **extra})


def move_item(tx: Tx, item: dict, action: str, **values: Any) -> str:
    """Move one application's money through ``action``; its new status."""
    status = ITEM.next(item["status"], action)
    tx.repository(ItemRepository).update(item, {"status": status, "updated_at": tx.now, **values})
    return status
