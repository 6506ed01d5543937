"""Booking into the append-only ledger and reading balances. Remittances, payments and withdrawals
(part 2) book here too, each with its business code."""
from __future__ import annotations

from housing_fund.adapters.repository import LedgerRepository
from housing_fund.domain.employees import business_label
from housing_fund.domain.ledger import Entry
from housing_fund.use_cases.records import iso
from shared.service import Tx


def book(tx: Tx, employee_id: str, employer_id: str, entry: Entry, *, ref_type: str | None = None,
         ref_id: str | None = None) -> None:
    tx.repository(LedgerRepository).add(dict(
        employee_id=employee_id, employer_id=employer_id, business_code=entry.business_code, month=entry.month,
        periods=entry.periods, amount_fen=entry.amount_fen, ref_type=ref_type, ref_id=ref_id, note=entry.note,
        at=tx.now))


def balance_of(tx: Tx, employee_id: str) -> tuple[int, int]:
    """(periods, fen) of an employee over every employer."""
    return tx.repository(LedgerRepository).balance(employee_id)


def balances_of(tx: Tx, employee_ids: list[str]) -> dict[str, tuple[int, int]]:
    if not employee_ids:
        return {}
    out = {i: (0, 0) for i in employee_ids}
    out.update(tx.repository(LedgerRepository).balances(employee_ids))
    return out


def history_of(tx: Tx, employee_id: str, employer_names: dict[str, str] | None = None) -> list[dict]:
    rows = tx.repository(LedgerRepository).entries(employee_id)
    running = 0
    out = []
    for r in rows:
        running += int(r["amount_fen"])
        out.append({"seq": int(r["seq"]), "business_code": r["business_code"],
                    "business_label": business_label(r["business_code"]), "month": r["month"],
                    "periods": int(r["periods"]), "amount_fen": int(r["amount_fen"]), "balance_fen": running,
                    "employer_id": r["employer_id"],
                    "employer_name": (employer_names or {}).get(r["employer_id"]), "note": r["note"],
                    "at": iso(r["at"])})
    return out
