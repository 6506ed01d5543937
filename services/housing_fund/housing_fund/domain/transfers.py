"""员工转入/转出: the sending employer transfers an employee out to a chosen employer; the receiving
employer reviews (审阅) and accepts, or returns it. The balance follows the employee through the
ledger: one entry out of the sender, one into the receiver, the sum unchanged."""
from __future__ import annotations

from shared.contracts.housing_fund import TRANSFER_STATUSES
from shared.errors import InvalidInput
from shared.workflow import Workflow

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
TRANSFER = Workflow("transfer", {(PENDING, "accept"): ACCEPTED, (PENDING, "reject"): REJECTED})


def status_label(status: str) -> str:
    return TRANSFER_STATUSES.get(status, status)


def check_target(from_employer_id: str, to_employer_id: str) -> None:
    if from_employer_id == to_employer_id:
        raise InvalidInput.field("to_employer_id", "transfer.same_employer", "不能转出到本单位")


def ledger_entries(balance_fen: int, periods: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(periods, fen) out of the sender and into the receiver: equal and opposite."""
    return (-periods, -balance_fen), (periods, balance_fen)
