"""Matching a bank statement: the upload parsed whole, then each chunk of lines matched against the
outstanding payment notices by the job runner (one transaction a chunk)."""
from __future__ import annotations

import os
import uuid
from typing import Any

from housing_fund.adapters.repository import BankRepository
from housing_fund.domain import payment_codes, statements
from housing_fund.domain import remittances as rules
from housing_fund.use_cases.reconciliation.reports import get_statement
from shared import faults, jobs
from shared.attachments import AttachmentStore
from shared.errors import InvalidInput
from shared.service import Tx

JOB_KIND = "housing.reconcile"
CHUNK = int(os.environ.get("RECONCILE_CHUNK_LINES", "1000"))  # lines per job item (one transaction)


def upload(tx: Tx, sha256: Any, filename: Any, store_root: str) -> dict:
    """Record a statement and queue its matching; the same file again returns the first upload."""
    if not isinstance(sha256, str):
        raise InvalidInput.field("file", "statement.file_required", "请上传对账单文件")
    store = AttachmentStore(store_root)
    with store.open(sha256) as handle:
        content = handle.read()
    region = tx.principal.region
    existing = tx.repository(BankRepository).statement_of_file(region, sha256)
    if existing:
        return get_statement(tx, existing["id"])
    lines = statements.parse(content, str(filename or ""))
    credits = [line for line in lines if line.amount_fen > 0]
    statement_id = str(uuid.uuid4())
    items = [{"statement_id": statement_id, "chunk": i // CHUNK, "last": i + CHUNK >= len(lines),
              "lines": [line.to_dict() for line in lines[i:i + CHUNK]]} for i in range(0, len(lines), CHUNK)]
    job = jobs.submit(tx, JOB_KIND, items, region=region, key=f"statement:{statement_id}")
    tx.repository(BankRepository).add_statement({
        "id": statement_id, "region": region, "sha256": sha256, "filename": str(filename or "")[:200],
        "status": "processing", "line_count": len(lines), "credit_count": len(credits),
        "credit_fen": sum(c.amount_fen for c in credits), "job_id": job["id"],
        "uploaded_by": tx.principal.account_id, "uploaded_at": tx.now})
    tx.audit("bank_statement.upload", "bank_statement", statement_id,
             after={"sha256": sha256, "lines": len(lines), "credits": len(credits)}, region=region)
    return get_statement(tx, statement_id)


def _decide(line: dict, reading: payment_codes.MemoReading, outstanding: dict, paid: dict) -> tuple[str, str | None,
                                                                                                        Any]:
    if line["amount_fen"] <= 0:
        return "debit", None, None
    if reading.reason:
        return "returned", reading.reason, None
    notice = outstanding.get(reading.payment_code)
    if notice is None:
        done = paid.get(reading.payment_code)
        return "returned", ("already_paid" if done is not None else "unknown_code"), done
    if notice["trade_code"] != reading.trade_code:
        return "returned", "trade_code_mismatch", notice
    if int(notice["total_fen"]) != line["amount_fen"]:
        return "returned", ("multiple_notices" if reading.codes_in_memo > 1 else "amount_mismatch"), notice
    return "matched", None, notice


def process_chunk(tx: Tx, payload: dict) -> dict:
    """Match one chunk of a statement (one job item, one transaction), set-wise: one query for the
    serials already recorded, one for the notices its codes name (locked), one insert of its lines,
    one update, ledger insert and audit append for the notices it pays, one outbox insert."""
    bank = tx.repository(BankRepository)
    statement = bank.statement(payload["statement_id"])
    lines = payload["lines"]
    seen = bank.seen([line["serial"] for line in lines])
    fresh = [line for line in lines if line["serial"] not in seen]
    readings = {line["serial"]: payment_codes.read_memo(line["memo"]) for line in fresh}
    outstanding, paid = bank.notices({r.payment_code for r in readings.values() if r.payment_code})
    rows, matched, now = [], [], tx.now
    for line in fresh:
        outcome, reason, notice = _decide(line, readings[line["serial"]], outstanding, paid)
        line_id = str(uuid.uuid4())
        if outcome == "matched":
            paid[notice["payment_code"]] = outstanding.pop(notice["payment_code"])
            matched.append((notice, line_id))
        rows.append({"id": line_id, "serial": line["serial"], "statement_id": statement["id"],
                     "region": statement["region"], "row": line["row"], "date": line["date"],
                     "amount_fen": line["amount_fen"], "payer_account": line["payer_account"],
                     "payer_name": line["payer_name"], "memo": line["memo"], "outcome": outcome, "reason": reason,
                     "remittance_id": notice["id"] if notice is not None else None,
                     "employer_id": notice["employer_id"] if notice is not None else None, "at": now})
    # a serial recorded meanwhile by a concurrent statement is skipped, and its line neither pays nor emits
    inserted = bank.add_lines(rows)
    _pay(tx, [(notice, line_id) for notice, line_id in matched if line_id in inserted])
    tx.emit_many([{"event_type": f"bank_line.{row['outcome']}", "subject": row["id"], "region": row["region"],
                   "data": {"bank_line_id": row["id"], "region": row["region"], "amount_fen": row["amount_fen"],
                            "status": row["outcome"], "serial": row["serial"], "statement_id": row["statement_id"],
                            "reason": row["reason"],
                            "reason_label": payment_codes.RETURN_REASONS.get(row["reason"] or ""),
                            "remittance_id": row["remittance_id"], "employer_id": row["employer_id"],
                            "payer_name": row["payer_name"], "payer_account": row["payer_account"],
                            "date": row["date"]}}
                  for row in rows if row["id"] in inserted and row["outcome"] != "debit"])
    faults.crash_point(f"reconcile.chunk{payload['chunk']}")
    if payload.get("last"):
        bank.finish(statement["id"], now)
    return {"lines": len(lines), "recorded": len(inserted), "already_recorded": len(lines) - len(inserted)}


def _pay(tx: Tx, paid: list[tuple[Any, str]]) -> None:
    """The remittances are paid: each line of each credited to the employee's ledger (append-only),
    set-wise (a chunk of a large statement pays hundreds at once): one update, one ledger insert
    (INSERT ... SELECT from the remittance lines), one audit append, one outbox insert."""
    if not paid:
        return
    tx.repository(BankRepository).pay({notice["id"]: line_id for notice, line_id in paid}, tx.now)
    tx.audit_many([{"action": "remittance.paid", "subject_type": "remittance", "subject_id": notice["id"],
                    "before": {"status": rules.APPROVED}, "after": {"status": rules.PAID, "bank_line_id": line_id},
                    "region": notice["region"]} for notice, line_id in paid])
    tx.emit_many([{"event_type": "remittance.paid", "subject": notice["id"], "region": notice["region"], "data": {
        "remittance_id": notice["id"], "employer_id": notice["employer_id"], "region": notice["region"],
        "amount_fen": int(notice["total_fen"]), "status": rules.PAID, "mode": notice["mode"],
        "month_from": notice["month_from"], "month_to": notice["month_to"],
        "employee_count": int(notice["employee_count"]), "payment_code": notice["payment_code"],
        "bank_line_id": line_id}} for notice, line_id in paid])
