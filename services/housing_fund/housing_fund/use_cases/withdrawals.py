"""支取申请: the employer applies for an employee with a reason code, the payee account and
attachments; the bureau approves (the withdrawal is booked into the ledger, business code 11) or
rejects; approved ones form the payout list until marked paid.

The balance never goes negative: at submission the amount must fit the balance less the employee's
other pending withdrawals; at approval the employee row is locked and the balance checked again."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import EmployeeRepository, WithdrawalRepository
from housing_fund.domain import withdrawals as rules
from housing_fund.domain.ledger import Entry
from housing_fund.use_cases.attachments import WITHDRAWAL, link
from housing_fund.use_cases.ledger import balance_of, book
from housing_fund.use_cases.records import check_id, iso, load_employee, own_employer
from shared import validators
from shared.auth.roles import Role
from shared.contracts.housing_fund import WITHDRAWAL_REASONS
from shared.errors import IllegalTransition, InvalidInput, NotFound
from shared.jurisdiction import area_of
from shared.pagination import known_filter
from shared.service import Tx


def submit(tx: Tx, data: Any) -> dict:
    employer = own_employer(tx)
    request = rules.check_request(data)
    employee = load_employee(tx, (data or {}).get("employee_id"), lock=True)
    _, balance = balance_of(tx, employee["id"])
    pending = tx.repository(WithdrawalRepository).pending_fen(employee["id"])
    rules.check_balance(balance - pending, request["amount_fen"])
    withdrawal_id = str(uuid.uuid4())
    attachments = link(tx, data.get("attachments"), kinds=WITHDRAWAL, subject_type="withdrawal",
                       subject_id=withdrawal_id, required=True)
    tx.repository(WithdrawalRepository).add(dict(
        id=withdrawal_id, employee_id=employee["id"], employer_id=employer["id"], region=employee["region"],
        status=rules.PENDING, attachments=attachments, submitted_by=tx.principal.account_id, submitted_at=tx.now,
        **request))
    tx.audit("withdrawal.submit", "withdrawal", withdrawal_id,
             after={"amount_fen": request["amount_fen"], "reason_code": request["reason_code"]},
             region=employee["region"])
    _emit(tx, "withdrawal.submitted", withdrawal_id)
    return get(tx, withdrawal_id)


def load(tx: Tx, withdrawal_id: Any, *, lock: bool = False) -> Any:
    row = tx.repository(WithdrawalRepository).get(check_id(withdrawal_id, "withdrawal_id"), lock=lock)
    p = tx.principal
    if row is None or not ((p.role == Role.HOUSING_BUREAU and p.sees_region(row["region"]))
                           or (p.role == Role.EMPLOYER and row["employer_id"] == p.unit_id)):
        raise NotFound("支取申请不存在", code="withdrawal.not_found")
    return row


def _emit(tx: Tx, event_type: str, withdrawal_id: str) -> None:
    r = tx.repository(WithdrawalRepository).with_names(withdrawal_id)
    tx.emit(event_type, subject=r["id"], region=r["region"], data={
        "withdrawal_id": r["id"], "employee_id": r["employee_id"], "region": r["region"],
        "amount_fen": int(r["amount_fen"]), "status": r["status"], "opinion": r["opinion"],
        "employer_id": r["employer_id"], "reason_code": r["reason_code"], "name": r["name"],
        "id_number": r["id_number"], "payee_name": r["payee_name"], "payee_account": r["payee_account"]})


def view(r: Any, *, masked: bool) -> dict:
    return {"id": r["id"], "employee_id": r["employee_id"], "employee_name": r.get("employee_name"),
            "employer_id": r["employer_id"], "employer_name": r.get("employer_name"),
            "reason_code": r["reason_code"], "reason_label": WITHDRAWAL_REASONS.get(r["reason_code"]),
            "amount_fen": int(r["amount_fen"]), "payee_name": r["payee_name"], "payee_bank": r["payee_bank"],
            "payee_account": r["payee_account"] if not masked else validators.mask_id(r["payee_account"]),
            "note": r["note"], "attachments": r["attachments"], "status": r["status"],
            "status_label": rules.STATUSES[r["status"]], "submitted_at": iso(r["submitted_at"]),
            "opinion": r["opinion"], "decided_at": iso(r["decided_at"]), "paid_at": iso(r["paid_at"])}


def get(tx: Tx, withdrawal_id: Any) -> dict:
    row = load(tx, withdrawal_id)
    full = tx.repository(WithdrawalRepository).with_names(row["id"])
    return view(full, masked=False)


def list_(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """支取申请 of the employer or the bureau's area; ``status=approved`` is the payout list."""
    p = tx.principal
    known_filter(filters, "status", rules.STATUSES, "状态应为：" + "、".join(rules.STATUSES))
    return tx.repository(WithdrawalRepository).page((p.unit_id or "") if p.role == Role.EMPLOYER else None,
                                                    area_of(p), filters, page, page_size,
                                                    lambda r: view(r, masked=False))


def decide(tx: Tx, withdrawal_id: Any, action: str, opinion: Any = None) -> dict:
    row = load(tx, withdrawal_id, lock=True)
    if not rules.FLOW.allows(row["status"], action):
        raise IllegalTransition(f"支取申请当前状态为“{rules.STATUSES[row['status']]}”，不能办理此操作",
                                code="withdrawal.illegal_transition", details={"status": row["status"]})
    text = opinion.strip()[:500] if isinstance(opinion, str) and opinion.strip() else None
    if action == "reject" and not text:
        raise InvalidInput.field("opinion", "opinion.required", "不予通过时请填写审核意见")
    status = rules.FLOW.next(row["status"], action)
    values: dict = {"status": status}
    if action == "approve":
        # the employee row lock serialises approvals of the same person: the balance is checked again
        tx.repository(EmployeeRepository).get(row["employee_id"], lock=True)
        _, balance = balance_of(tx, row["employee_id"])
        rules.check_balance(balance, int(row["amount_fen"]))
        book(tx, row["employee_id"], row["employer_id"],
             Entry(rules.PARTIAL, 0, -int(row["amount_fen"]), note=f"支取：{WITHDRAWAL_REASONS[row['reason_code']]}"),
             ref_type="withdrawal", ref_id=row["id"])
    if action in ("approve", "reject"):
        values.update(opinion=text, decided_by=tx.principal.account_id, decided_at=tx.now)
    else:
        values["paid_at"] = tx.now
    tx.repository(WithdrawalRepository).update(row["id"], values)
    tx.audit(f"withdrawal.{action}", "withdrawal", row["id"], before={"status": row["status"]},
             after={"status": status, "opinion": text}, region=row["region"])
    _emit(tx, {"approve": "withdrawal.approved", "reject": "withdrawal.rejected", "pay": "withdrawal.paid"}[action],
          row["id"])
    return get(tx, row["id"])
