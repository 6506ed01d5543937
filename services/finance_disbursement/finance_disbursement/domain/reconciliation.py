"""Does a city batch add up? The batch event and its applications' events arrive separately and in any
order; city finance may release the money only when every application has arrived and the amounts
agree, per county and in total, with what the city organisation department confirmed."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from shared import regions
from shared.money import format_cny


@dataclass(frozen=True)
class CountyTotal:
    """Count and amount of one county (a line of the batch, or what has arrived for it)."""

    county: str
    count: int
    amount_fen: int


@dataclass(frozen=True)
class Discrepancy:
    """One figure that does not agree: ``scope`` is a county code, ``total`` or ``lines``."""

    scope: str
    measure: str  # count | amount_fen
    expected: int
    actual: int

    @property
    def message(self) -> str:
        where = {"total": "批次合计", "lines": "批次各县区合计"}.get(self.scope) or regions.name_of(self.scope) \
            or self.scope
        if self.measure == "amount_fen":
            return f"{where}金额不符：批次记载{format_cny(self.expected)}，实际{format_cny(self.actual)}"
        return f"{where}人数不符：批次记载{self.expected}人，实际{self.actual}人"

    def to_dict(self) -> dict:
        return {"scope": self.scope, "measure": self.measure, "expected": self.expected, "actual": self.actual,
                "message": self.message}


@dataclass(frozen=True)
class Reconciliation:
    """What has arrived for a batch compared with what it announced."""

    expected_count: int
    expected_amount_fen: int
    arrived_count: int
    arrived_amount_fen: int
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every announced application has arrived (more than announced is a discrepancy)."""
        return self.arrived_count >= self.expected_count

    @property
    def ready(self) -> bool:
        return self.complete and not self.discrepancies

    def to_dict(self) -> dict:
        return {"expected_count": self.expected_count, "expected_amount_fen": self.expected_amount_fen,
                "arrived_count": self.arrived_count, "arrived_amount_fen": self.arrived_amount_fen,
                "missing_count": max(self.expected_count - self.arrived_count, 0), "complete": self.complete,
                "ready": self.ready, "discrepancies": [d.to_dict() for d in self.discrepancies]}


def _compare(scope: str, expected: CountyTotal, actual: CountyTotal) -> list[Discrepancy]:
    found = []
    if expected.count != actual.count:
        found.append(Discrepancy(scope, "count", expected.count, actual.count))
    if expected.amount_fen != actual.amount_fen:
        found.append(Discrepancy(scope, "amount_fen", expected.amount_fen, actual.amount_fen))
    return found


def _sum(scope: str, totals: Iterable[CountyTotal]) -> CountyTotal:
    totals = list(totals)
    return CountyTotal(scope, sum(t.count for t in totals), sum(t.amount_fen for t in totals))


def reconcile(expected_count: int, expected_amount_fen: int, lines: Iterable[CountyTotal],
              arrived: Iterable[CountyTotal]) -> Reconciliation:
    """Compare a batch's announced totals (header and county lines) with the applications arrived.

    While applications are still missing only the batch's own consistency is checked: a partial sum
    differs from the total by nature and is no discrepancy yet.
    """
    lines, arrived = list(lines), list(arrived)
    header = CountyTotal("total", expected_count, expected_amount_fen)
    got = _sum("total", arrived)
    # org_confirmation computed the header and the lines from the same applications: if they disagree
    # the batch event itself is wrong and no money may move on it
    found = _compare("lines", header, _sum("lines", lines))
    if got.count >= expected_count:
        found += _compare("total", header, got)
        by_county = {t.county: t for t in arrived}
        for county in sorted({t.county for t in lines} | set(by_county)):
            line = next((t for t in lines if t.county == county), CountyTotal(county, 0, 0))
            found += _compare(county, line, by_county.get(county, CountyTotal(county, 0, 0)))
    return Reconciliation(expected_count, expected_amount_fen, got.count, got.amount_fen, found)


def batch_lines(batch: dict) -> list[CountyTotal]:
    """The county lines of a batch as the city organisation department confirmed them."""
    return [CountyTotal(c["county"], int(c["count"]), int(c["amount_fen"])) for c in batch["counties"] or []]
