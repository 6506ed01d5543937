"""The state machines of the finance bureau's records and their Chinese labels.

A batch waits for its applications, is released county by county (one transfer per county), each
transfer is paid out to the individuals, and each individual confirms (or disputes) the receipt.
"""
from __future__ import annotations

from shared.contracts.finance_disbursement import CLAWBACK_LABELS
from shared.contracts.finance_disbursement import TRANSFER_LABELS as TRANSFER_STATUS_LABELS
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
#: a county transfer still at county finance (released to it, not yet paid to the individuals)
TRANSFER_AT_COUNTY = ("released", "received")

# One application's money in one round.
ITEM = Workflow("item", {
    ("confirmed", "release"): "released",
    ("released", "pay"): "paid",
    ("released", "fail_payment"): "payment_failed",
    # a failed payment goes to the bank again once the account is corrected, or is returned for good
    ("payment_failed", "retry"): "released",
    ("payment_failed", "return"): "payment_returned",
    ("paid", "confirm_receipt"): "receipt_confirmed",
    ("paid", "dispute_receipt"): "receipt_disputed",
    # money that was reported missing may arrive late; the individual then confirms after all
    ("receipt_disputed", "confirm_receipt"): "receipt_confirmed",
}, error_subject="application")  # a refusal names the application the money belongs to
# the item's status in the application's overall vocabulary (shared.contracts.statuses)
ITEM_APPLICATION_STATUS = {
    "confirmed": "city_org_confirmed", "released": "funds_released", "paid": "paid",
    "payment_failed": "payment_failed", "receipt_confirmed": "receipt_confirmed",
    "receipt_disputed": "receipt_disputed", "payment_returned": "payment_returned",
}

# City finance's transfer to one county finance bureau.
# County finance first confirms the city's money has arrived in its account (到账确认), then pays out.
TRANSFER = Workflow("county_transfer", {("released", "confirm_arrival"): "received", ("received", "pay"): "paid"})
TRANSFER_LABELS = TRANSFER_STATUS_LABELS

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


# A clawback (追回) of money paid: recorded with its reason, then recovered when the money is back.
CLAWBACK = Workflow("clawback", {("recorded", "recover"): "recovered"})


def clawback_label(status: str) -> str:
    """中文 label of a clawback status."""
    return CLAWBACK_LABELS.get(status, status)


# statistics: money that has left the city's account, and money that has reached individuals' banks
RELEASED_ITEM_STATUSES = frozenset({"released", "paid", "payment_failed", "receipt_confirmed", "receipt_disputed",
                                    "payment_returned"})
PAID_ITEM_STATUSES = frozenset({"paid", "receipt_confirmed", "receipt_disputed"})
# the reconciliation's columns: released = paid + failed (open) + pending + returned
RECONCILIATION_COLUMNS = {"paid": PAID_ITEM_STATUSES, "failed": frozenset({"payment_failed"}),
                          "pending": frozenset({"released"}), "returned": frozenset({"payment_returned"})}
