"""The JSON shapes finance_disbursement answers with: ids, Chinese labels beside status codes, money
as ``*_fen`` integers, bank card numbers masked unless a detail view asks for them (and audits it)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from finance_disbursement.domain.workflows import (
    PAID_ITEM_STATUSES,
    RECONCILIATION_COLUMNS,
    RELEASABLE_BATCH,
    RELEASED_ITEM_STATUSES,
    TRANSFER_AT_COUNTY,
    batch_label,
    clawback_label,
    item_application_status,
    item_label,
    payment_label,
    transfer_label,
)
from shared import regions
from shared.contracts.waiting import waiting
from shared.validators import mask_bank_number


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(code: str | None) -> str | None:
    return regions.name_of(code) if code else None


def batch_waiting(r: Any) -> dict | None:
    """市财政局拨付 (stage 11): a batch waits since the aggregation reached city finance, until every
    county is released (the list's and the counter's 超时 alike)."""
    return waiting(r["city"], 11, r["received_at"]) if r["status"] in RELEASABLE_BATCH else None


def transfer_waiting(r: Any) -> dict | None:
    """县财政局拨付 (stage 12): a transfer waits since city finance released it, until it is paid."""
    return waiting(r["city"], 12, r["released_at"]) if r["status"] in TRANSFER_AT_COUNTY else None


def batch(row: Any) -> dict:
    """A batch in city finance's list (待拨付 and the others)."""
    r = row._mapping if hasattr(row, "_mapping") else row
    return {
        "id": r["id"], "batch_no": r["batch_no"], "city": r["city"], "city_name": _name(r["city"]),
        "expected_count": r["expected_count"], "amount_fen": r["amount_fen"],
        "arrived_count": int(r.get("arrived_count") or 0), "arrived_amount_fen": int(r.get("arrived_amount_fen") or 0),
        "county_count": len([c for c in r["counties"] or [] if c["count"] > 0]),
        "released_county_count": int(r.get("released_county_count") or 0),
        "status": r["status"], "status_label": batch_label(r["status"]),
        "received_at": _iso(r["received_at"]), "ready_at": _iso(r["ready_at"]),
        "waiting": batch_waiting(r),
    }


def _corrected(r: dict, full_bank: bool) -> dict | None:
    """个人已更正账户: the account the graduate corrected while the payment had failed (None: not corrected)."""
    if not r.get("corrected_bank_number"):
        return None
    number = r["corrected_bank_number"]
    return {"holder": r["corrected_bank_holder"], "bank": r["corrected_bank_name"],
            "number": number if full_bank else mask_bank_number(number), "corrected_at": _iso(r["corrected_at"])}


def item(r: dict, *, full_bank: bool = False) -> dict:
    """One application's money in one round."""
    return {
        "application_id": r["application_id"], "round": r["round"], "application_no": r["application_no"],
        "batch_id": r["batch_id"], "county": r["county"], "county_name": _name(r["county"]), "city": r["city"],
        "unit_id": r["unit_id"], "unit_name": r["unit_name"], "applicant_name": r["applicant_name"],
        "amount_fen": r["amount_fen"], "bank_holder": r["bank_holder"], "bank_name": r["bank_name"],
        "bank_number": r["bank_number"] if full_bank else mask_bank_number(r["bank_number"]),
        "status": r["status"], "status_label": item_label(r["status"]),
        "application_status": item_application_status(r["status"]),
        "transfer_id": r["transfer_id"], "payment_id": r["payment_id"], "failure_reason": r["failure_reason"],
        "attempt": r.get("attempt") or 1, "return_reason": r.get("return_reason"),
        "corrected_bank_account": _corrected(r, full_bank),
        # the portal hides 按个人已更正账户重新支付 on a row without one
        "account_not_corrected": not r.get("corrected_bank_number"),
        "received_at": _iso(r["received_at"]),
    }


def county_line(line: Any, arrived: Any, transfer: dict | None) -> dict:
    """A county's line of a batch: announced, arrived, and whether city finance has released it."""
    return {
        "county": line.county, "county_name": _name(line.county), "count": line.count,
        "amount_fen": line.amount_fen, "arrived_count": arrived.count, "arrived_amount_fen": arrived.amount_fen,
        "released": transfer is not None,
        "transfer_id": transfer["id"] if transfer else None,
        "transfer_no": transfer["transfer_no"] if transfer else None,
        "transfer_status": transfer["status"] if transfer else None,
        "transfer_status_label": transfer_label(transfer["status"]) if transfer else None,
        "released_at": _iso(transfer["released_at"]) if transfer else None,
    }


def transfer(row: Any) -> dict:
    """A county transfer (拨付单)."""
    r = row._mapping if hasattr(row, "_mapping") else row
    return {
        "id": r["id"], "transfer_no": r["transfer_no"], "batch_id": r["batch_id"], "batch_no": r.get("batch_no"),
        "city": r["city"], "county": r["county"], "county_name": _name(r["county"]), "count": r["count"],
        "amount_fen": r["amount_fen"], "status": r["status"], "status_label": transfer_label(r["status"]),
        "released_at": _iso(r["released_at"]), "arrival_confirmed_at": _iso(r.get("received_at")),
        "paid_at": _iso(r["paid_at"]),
        "waiting": transfer_waiting(r),
    }


def payment(row: Any) -> dict:
    """A payment to an individual, as the individual sees it (card number masked)."""
    r = row._mapping if hasattr(row, "_mapping") else row
    return {
        "id": r["id"], "application_id": r["application_id"], "application_no": r.get("application_no"),
        "round": r["round"], "applicant_name": r.get("applicant_name"), "unit_name": r.get("unit_name"),
        "county": r.get("county"), "county_name": _name(r.get("county")), "transfer_no": r.get("transfer_no"),
        "amount_fen": r["amount_fen"], "bank_holder": r["bank_holder"], "bank_name": r["bank_name"],
        "bank_number": mask_bank_number(r["bank_number"]), "paid_on": _iso(r["paid_on"]),
        "status": r["status"], "status_label": payment_label(r["status"]),
        "confirmed_at": _iso(r["confirmed_at"]), "disputed_at": _iso(r["disputed_at"]),
        "dispute_opinion": r["dispute_opinion"],
    }


def _totals() -> dict:
    return {"count": 0, "amount_fen": 0, "released_count": 0, "released_amount_fen": 0, "paid_count": 0,
            "paid_amount_fen": 0}


def _add(totals: dict, status: str, count: int, fen: int) -> None:
    totals["count"] += count
    totals["amount_fen"] += fen
    if status in RELEASED_ITEM_STATUSES:
        totals["released_count"] += count
        totals["released_amount_fen"] += fen
    if status in PAID_ITEM_STATUSES:
        totals["paid_count"] += count
        totals["paid_amount_fen"] += fen


def statistics(rows: list[tuple[str, str, int, int]]) -> dict:
    """资金拨付查询统计 from (county, status, count, amount) rows: per county with its statuses, per
    status, and the total; ``released_*`` has left the city's account, ``paid_*`` reached the banks."""
    counties: dict[str, dict] = {}
    statuses: dict[str, dict] = {}
    total = _totals()
    for county, status, count, fen in rows:
        line = counties.setdefault(county, {"county": county, "county_name": _name(county), **_totals(),
                                            "statuses": []})
        _add(line, status, count, fen)
        line["statuses"].append({"status": status, "status_label": item_label(status), "count": count,
                                 "amount_fen": fen})
        by_status = statuses.setdefault(status, {"status": status, "status_label": item_label(status), "count": 0,
                                                 "amount_fen": 0})
        by_status["count"] += count
        by_status["amount_fen"] += fen
        _add(total, status, count, fen)
    return {"counties": list(counties.values()), "statuses": sorted(statuses.values(), key=lambda s: s["status"]),
            "total": total}


def clawback(row: Any) -> dict:
    """A clawback (追回) with the application it concerns."""
    r = row._mapping if hasattr(row, "_mapping") else row
    return {
        "id": r["id"], "application_id": r["application_id"], "round": r["round"],
        "application_no": r.get("application_no"), "applicant_name": r.get("applicant_name"),
        "unit_name": r.get("unit_name"), "batch_id": r["batch_id"], "batch_no": r.get("batch_no"),
        "county": r["county"], "county_name": _name(r["county"]), "amount_fen": r["amount_fen"],
        "reason": r["reason"], "status": r["status"], "status_label": clawback_label(r["status"]),
        "recorded_at": _iso(r["recorded_at"]), "recovered_at": _iso(r.get("recovered_at")),
    }


def _money_columns() -> dict:
    line = {"released_count": 0, "released_amount_fen": 0}
    for column in (*RECONCILIATION_COLUMNS, "clawback", "clawback_recovered"):
        line.update({f"{column}_count": 0, f"{column}_amount_fen": 0})
    return line


def _column_of(status: str) -> str | None:
    return next((c for c, statuses in RECONCILIATION_COLUMNS.items() if status in statuses), None)


def reconciliation(item_rows: list[tuple], clawback_rows: list[tuple]) -> dict:
    """对账: per batch and county, what city finance released and where it is now: released = paid +
    failed (open) + pending + returned; clawbacks (追回) apart, never subtracted from paid. ``item_rows``
    are (batch_id, batch_no, county, status, count, fen), ``clawback_rows`` (batch_id, county, status,
    count, fen). ``balanced`` says the equation holds on every line."""
    lines: dict[tuple[str, str], dict] = {}
    total = _money_columns()

    def line_of(batch_id: str, batch_no: str | None, county: str) -> dict:
        return lines.setdefault((batch_id, county), {
            "batch_id": batch_id, "batch_no": batch_no, "county": county, "county_name": _name(county),
            **_money_columns()})

    def add(line: dict, column: str, count: int, fen: int) -> None:
        for target in (line, total):
            target[f"{column}_count"] += count
            target[f"{column}_amount_fen"] += fen

    batch_nos = {}
    for batch_id, batch_no, county, status, count, fen in item_rows:
        batch_nos[batch_id] = batch_no
        line = line_of(batch_id, batch_no, county)
        add(line, "released", count, fen)
        column = _column_of(status)
        if column is not None:
            add(line, column, count, fen)
    for batch_id, county, status, count, fen in clawback_rows:
        line = line_of(batch_id, batch_nos.get(batch_id), county)
        add(line, "clawback", count, fen)
        if status == "recovered":
            add(line, "clawback_recovered", count, fen)

    def balanced(line: dict) -> bool:
        return line["released_amount_fen"] == sum(line[f"{c}_amount_fen"] for c in RECONCILIATION_COLUMNS) and \
            line["released_count"] == sum(line[f"{c}_count"] for c in RECONCILIATION_COLUMNS)

    rows = [{**line, "balanced": balanced(line)} for _, line in sorted(
        lines.items(), key=lambda kv: (kv[1]["batch_no"] or "", kv[1]["county"]))]
    return {"lines": rows, "total": {**total, "balanced": balanced(total)}}
