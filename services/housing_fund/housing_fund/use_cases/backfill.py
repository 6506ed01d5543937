"""缴款历史补录: an employer enters past payments of chosen employees with attachments; the bureau
approves (the rows enter the ledger, business code 01 汇缴) or returns with an opinion."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import (
    BackfillRepository,
    EmployeeRepository,
    EmployerRepository,
    LedgerRepository,
)
from housing_fund.domain import backfills as rules
from housing_fund.use_cases.attachments import BACKFILL, link
from housing_fund.use_cases.records import check_id, iso, own_employer
from housing_fund.use_cases.remittances import current_month
from shared.auth.roles import Role
from shared.errors import IllegalTransition, InvalidInput, NotFound
from shared.jurisdiction import area_of
from shared.pagination import known_filter
from shared.service import Tx


def submit(tx: Tx, data: Any) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput("请填写补录信息", code="backfill.data_required")
    employer = own_employer(tx)
    rows = rules.check_rows(data.get("rows"), current_month(tx))
    ids = sorted({r["employee_id"] for r in rows})
    mine = tx.repository(EmployeeRepository).of_employer(ids, employer["id"])
    missing = [i for i in ids if i not in mine]
    if missing:
        raise NotFound("职工不存在或不属于本单位", code="employee.not_found", details={"employee_id": missing[0]})
    reason = str(data.get("reason") or "").strip()[:500] or None
    backfill_id = str(uuid.uuid4())
    # the uploads become the record's (readable by the reviewing bureau); another's or unknown: 400
    attachments = link(tx, data.get("attachments"), kinds=BACKFILL, subject_type="backfill", subject_id=backfill_id,
                       required=True)
    total = sum(r["amount_fen"] for r in rows)
    tx.repository(BackfillRepository).add(dict(
        id=backfill_id, employer_id=employer["id"], region=employer["region"], status=rules.PENDING, rows=rows,
        total_fen=total, attachments=attachments, reason=reason, submitted_by=tx.principal.account_id,
        submitted_at=tx.now))
    tx.audit("backfill.submit", "backfill", backfill_id, after={"rows": len(rows), "total_fen": total},
             region=employer["region"])
    _emit(tx, "backfill.submitted", backfill_id, employer, total, rules.PENDING, len(rows))
    return get(tx, backfill_id)


def _emit(tx: Tx, event_type, backfill_id, employer, total, status, count, opinion=None) -> None:
    tx.emit(event_type, subject=backfill_id, region=employer["region"], data={
        "backfill_id": backfill_id, "employer_id": employer["id"] if "id" in employer else employer["employer_id"],
        "region": employer["region"], "amount_fen": total, "status": status, "rows": count, "opinion": opinion})


def load(tx: Tx, backfill_id: Any, *, lock: bool = False) -> Any:
    row = tx.repository(BackfillRepository).get(check_id(backfill_id, "backfill_id"), lock=lock)
    p = tx.principal
    if row is None or not ((p.role == Role.HOUSING_BUREAU and p.sees_region(row["region"]))
                           or (p.role == Role.EMPLOYER and row["employer_id"] == p.unit_id)):
        raise NotFound("补录记录不存在", code="backfill.not_found")
    return row


def view(tx: Tx, row: Any) -> dict:
    names = tx.repository(EmployeeRepository).names(r["employee_id"] for r in row["rows"])
    employer_name = tx.repository(EmployerRepository).names([row["employer_id"]]).get(row["employer_id"])
    return {"id": row["id"], "employer_id": row["employer_id"], "employer_name": employer_name,
            "status": row["status"], "status_label": rules.STATUSES[row["status"]], "total_fen": int(row["total_fen"]),
            "row_count": len(row["rows"]), "rows": [{**r, "name": names.get(r["employee_id"])} for r in row["rows"]],
            "attachments": row["attachments"], "reason": row["reason"], "submitted_at": iso(row["submitted_at"]),
            "opinion": row["opinion"], "decided_at": iso(row["decided_at"])}


def get(tx: Tx, backfill_id: Any) -> dict:
    return view(tx, load(tx, backfill_id))


def list_(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    p = tx.principal
    known_filter(filters, "status", rules.STATUSES, "状态应为pending、approved或returned")
    return tx.repository(BackfillRepository).page((p.unit_id or "") if p.role == Role.EMPLOYER else None,
                                                  area_of(p), filters, page, page_size, lambda r: view(tx, r))


def decide(tx: Tx, backfill_id: Any, action: str, opinion: Any = None) -> dict:
    row = load(tx, backfill_id, lock=True)
    if not rules.FLOW.allows(row["status"], action):
        raise IllegalTransition("该补录记录已处理", code="backfill.illegal_transition",
                                details={"status": row["status"]})
    text = opinion.strip()[:500] if isinstance(opinion, str) and opinion.strip() else None
    if action == "return" and not text:
        raise InvalidInput.field("opinion", "opinion.required", "退回时请填写审核意见")
    status = rules.FLOW.next(row["status"], action)
    tx.repository(BackfillRepository).update(row["id"], dict(
        status=status, opinion=text, decided_by=tx.principal.account_id, decided_at=tx.now))
    if status == rules.APPROVED:
        tx.repository(LedgerRepository).add_many([{
            "employee_id": r["employee_id"], "employer_id": row["employer_id"], "business_code": "01",
            "month": r["month"], "periods": r["periods"], "amount_fen": r["amount_fen"], "ref_type": "backfill",
            "ref_id": row["id"], "note": "缴款历史补录", "at": tx.now} for r in row["rows"]])
    tx.audit(f"backfill.{action}", "backfill", row["id"], before={"status": row["status"]},
             after={"status": status, "opinion": text}, region=row["region"])
    _emit(tx, "backfill.approved" if status == rules.APPROVED else "backfill.returned", row["id"], row,
          int(row["total_fen"]), status, len(row["rows"]), text)
    return get(tx, row["id"])
