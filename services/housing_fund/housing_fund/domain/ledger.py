"""The per-employee ledger (个人明细账): append-only entries, each with a business code (业务类型),
the employer it is booked at, periods and an amount in fen (signed). The balance of an employee is
the sum of their entries; an employer's part is the sum of the entries booked at it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    business_code: str
    periods: int
    amount_fen: int
    month: str | None = None
    note: str | None = None


def balance(entries: list[Entry]) -> tuple[int, int]:
    """(periods, fen) summed over ``entries``."""
    return sum(e.periods for e in entries), sum(e.amount_fen for e in entries)
