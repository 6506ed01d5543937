"""The state machines of the finance bureau's records and their Chinese labels.

A batch waits for its applications, is released county by county (one transfer per county), each
transfer is paid out to the individuals, and each individual confirms (or disputes) the receipt.
"""
from __future__ import annotations

from shared.contracts.statuses import status_label
from shared.workflow import Workflow

# The city batch as city finance sees it (待拨付 once every application has arrived and adds up).
BATCH = Workflow("disbursement_batch", {
    ("waiting_items", "items_complete"): "ready",
    ("ready", "release_part"): "partly_released",
    ("ready", "release_all"): "released",
    ("partly_released", "release_part"): "partly_released",
    ("partly_released", "release_all"): "released",
})
BATCH_LABELS = {"waiting_items": "等待申请数据到齐", "ready": "待拨付", "partly_released": "部分县区已拨付",
                "released": "已拨付"}
RELEASABLE_BATCH = ("ready", "partly_released")

# One application's money in one round.
ITEM = Workflow("item", {
    ("confirmed", "release"): "released",
    ("released", "pay"): "paid",
    ("released", "fail_payment"): "payment_failed",
    ("paid", "confirm_receipt"): "receipt_confirmed",
    ("paid", "dispute_receipt"): "receipt_disputed",
    # money that was reported missing may arrive late; the individual then confirms after all
    ("receipt_disputed", "confirm_receipt"): "receipt_confirmed",
}, error_subject="application")  # a refusal names the application the money belongs to
# the item's status in the application's overall vocabulary (shared.contracts.statuses)
ITEM_APPLICATION_STATUS = {
    "confirmed": "city_org_confirmed", "released": "funds_released", "paid": "paid",
    "payment_failed": "payment_failed", "receipt_confirmed": "receipt_confirmed",
    "receipt_disputed": "receipt_disputed",
}

# City finance's transfer to one county finance bureau.
TRANSFER = Workflow("county_transfer", {("released", "pay"): "paid"})
TRANSFER_LABELS = {"released": "市财政局已拨付，待支付到个人", "paid": "已支付到个人"}

# The payment to one individual's bank account.
PAYMENT = Workflow("payment", {
    ("paid", "confirm_receipt"): "receipt_confirmed",
    ("paid", "dispute_receipt"): "receipt_disputed",
    ("receipt_disputed", "confirm_receipt"): "receipt_confirmed",
})


def batch_label(status: str) -> str:
    """中文 label of a batch status."""
    return BATCH_LABELS.get(status, status)


def transfer_label(status: str) -> str:
    """中文 label of a county transfer status."""
    return TRANSFER_LABELS.get(status, status)


def item_application_status(status: str) -> str:
    """The application status an item status stands for."""
    return ITEM_APPLICATION_STATUS.get(status, status)


def item_label(status: str) -> str:
    """中文 label of an item status, in the words the application's timeline uses."""
    return status_label(item_application_status(status))


def payment_label(status: str) -> str:
    """中文 label of a payment status (payments use the application's own status names)."""
    return status_label(status)


def release_action(all_counties: set[str], released_before: set[str], releasing: set[str]) -> str:
    """``release_all`` when this release leaves no county of the batch unreleased."""
    return "release_all" if all_counties <= released_before | releasing else "release_part"


# statistics: money that has left the city's account, and money that has reached individuals' banks
RELEASED_ITEM_STATUSES = frozenset({"released", "paid", "payment_failed", "receipt_confirmed", "receipt_disputed"})
PAID_ITEM_STATUSES = frozenset({"paid", "receipt_confirmed", "receipt_disputed"})
