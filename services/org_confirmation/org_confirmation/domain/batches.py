"""The city batch (市级汇总批次): what the city HRSS aggregates and the city organisation department
confirms or returns as a whole; its totals per county, in integer fen, and its number."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.errors import NotFound
from shared.workflow import Workflow

AGGREGATED = "aggregated"
CONFIRMED = "confirmed"
RETURNED = "returned"

STATUSES = (AGGREGATED, CONFIRMED, RETURNED)
STATUS_LABELS = {AGGREGATED: "已汇总，待市组织部确认", CONFIRMED: "市组织部已确认，已通知市财政局",
                 RETURNED: "市组织部已退回"}

BATCH_FLOW = Workflow("city_batch", {
    (AGGREGATED, "city_confirm"): CONFIRMED,
    (AGGREGATED, "city_return"): RETURNED,
    # one application returned: the batch stays to be confirmed with the others
    (AGGREGATED, "return_application"): AGGREGATED,
})

BATCH_NO_PREFIX = "HZ"  # 汇总


def advance(batch: Mapping[str, Any], action: str) -> str:
    """The batch's status after ``action``, or 409 naming the batch and its current status."""
    return BATCH_FLOW.next(batch["status"], action, details={"batch_id": batch["id"]},
                           message=f"汇总批次{batch['batch_no']}当前状态为“{STATUS_LABELS[batch['status']]}”，不能办理此操作")


def not_a_member(batch: Mapping[str, Any], application_id: str) -> NotFound:
    """404 for an application that is not (or no longer) in the batch."""
    return NotFound(f"申请不在汇总批次{batch['batch_no']}中", code="city_batch.application_not_in_batch",
                    details={"batch_id": batch["id"], "application_id": application_id})


@dataclass(frozen=True)
class CountyTotal:
    county: str
    count: int
    amount_fen: int

    def as_dict(self) -> dict:
        """The shape of ``counties`` in the batch record and in the city batch events."""
        return {"county": self.county, "count": self.count, "amount_fen": self.amount_fen}


@dataclass(frozen=True)
class Totals:
    count: int
    amount_fen: int
    counties: tuple[CountyTotal, ...]


def totals(cases: Iterable[tuple[str, int]]) -> Totals:
    """Count and amount of ``(county, amount_fen)`` pairs, overall and per county (ordered by code).

    Integer fen only: a float amount is a programming error, never rounded away.
    """
    per_county: dict[str, list[int]] = {}
    for county, amount in cases:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"amount must be integer fen, not {type(amount).__name__}")
        line = per_county.setdefault(county, [0, 0])
        line[0] += 1
        line[1] += amount
    counties = tuple(CountyTotal(c, n, fen) for c, (n, fen) in sorted(per_county.items()))
    return Totals(count=sum(c.count for c in counties), amount_fen=sum(c.amount_fen for c in counties),
                  counties=counties)


def batch_no_prefix(city: str, day: date) -> str:
    """``HZ440700-20261125-``: the numbers of a city's batches of one (local) day share it."""
    return f"{BATCH_NO_PREFIX}{city}-{day:%Y%m%d}-"


def batch_no(city: str, day: date, seq: int) -> str:
    """``HZ440700-20261125-01`` for the city's first batch of that day."""
    if seq < 1:
        raise ValueError("a batch sequence starts at 1")
    return f"{batch_no_prefix(city, day)}{seq:02d}"


def next_seq(existing: Iterable[str], city: str, day: date) -> int:
    """The sequence number after the highest one among the day's existing batch numbers."""
    prefix = batch_no_prefix(city, day)
    taken = [int(no[len(prefix):]) for no in existing if no.startswith(prefix) and no[len(prefix):].isdigit()]
    return max(taken, default=0) + 1
