"""职工信息变更: an employer changes an employee's data with attachments. A change of identity or of
the amount basis (姓名, 证件, 级别, 每月缴费金额) waits for the housing bureau; a mobile or a post
takes effect at once. Each change is a row of the employee's 变更记录."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import EmployeeRepository
from housing_fund.domain import employees as rules
from housing_fund.domain.levels import check_level, check_monthly_amount
from housing_fund.use_cases.attachments import EMPLOYEE, link
from housing_fund.use_cases.employees import DUPLICATE, change_view, emit_employee
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import check_id, load_employee
from housing_fund.use_cases.registration import check_opinion
from shared import validators
from shared.auth.roles import Role
from shared.errors import Conflict, InvalidInput, NotFound
from shared.jurisdiction import area_of
from shared.pagination import known_filter
from shared.service import Tx
from shared.workflow import Workflow

REVIEW = Workflow("employee_change", {("pending", "approve"): "approved", ("pending", "return"): "returned"})
CHANGEABLE = ("name", "id_type", "id_number", "mobile", "level", "monthly_fen", "post")
NOT_FOUND = ("变更申请不存在或不在您的管辖范围内", "employee_change.not_found")


def _check(tx: Tx, employee: Any, data: dict) -> dict:
    unknown = sorted(set(data) - set(CHANGEABLE))
    if unknown:
        raise InvalidInput("以下信息不能通过职工信息变更修改：" + "、".join(unknown),
                           code="employee_change.field_not_changeable")
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = rules.check_name(data["name"])
    if "id_number" in data or "id_type" in data:
        out["id_type"], out["id_number"] = rules.check_id(data.get("id_type", employee["id_type"]),
                                                          data.get("id_number", employee["id_number"]))
    if "mobile" in data:
        out["mobile"] = validators.mobile(data["mobile"])
    if "level" in data or "monthly_fen" in data:
        level = check_level(data.get("level", employee["level"]), level_table(tx, employee["region"]))
        out["level"] = level["code"]
        out["monthly_fen"] = check_monthly_amount(data.get("monthly_fen"), level)
    if "post" in data:
        post = data["post"]
        if post is not None and (not isinstance(post, str) or len(post) > 50):
            raise InvalidInput.field("post", "employee.post_format", "职务不能超过50字")
        out["post"] = post.strip() if isinstance(post, str) else None
    return {k: v for k, v in out.items() if employee[k] != v}


def _check_unique(tx: Tx, employee_id: str, id_number: str) -> None:
    if tx.repository(EmployeeRepository).id_number_taken(id_number, except_id=employee_id):
        raise Conflict(f"证件号码{id_number}已被其他职工使用", code=DUPLICATE,
                       details={"fields": {"id_number": "证件号码已被其他职工使用"}})


def request_change(tx: Tx, employee_id: Any, data: Any, attachments: Any = None, reason: Any = None) -> dict:
    employee = load_employee(tx, employee_id, lock=True)
    rules.next_status(employee, "change")
    if not isinstance(data, dict) or not data:
        raise InvalidInput("请填写要变更的信息", code="employee_change.empty")
    after = _check(tx, employee, data)
    if not after:
        raise InvalidInput("变更后的信息与当前信息相同", code="employee_change.no_difference")
    if "id_number" in after:
        _check_unique(tx, employee["id"], after["id_number"])
    needs_bureau = bool(set(after) & rules.NEEDS_APPROVAL)
    change_id = str(uuid.uuid4())
    refs = link(tx, attachments, kinds=EMPLOYEE, subject_type="employee_change", subject_id=change_id,
                required=needs_bureau)
    if needs_bureau and tx.repository(EmployeeRepository).change_pending(employee["id"]):
        raise Conflict(f"职工{employee['name']}已有待审核的信息变更", code="employee_change.pending_exists")
    text = reason.strip()[:500] if isinstance(reason, str) and reason.strip() else None
    tx.repository(EmployeeRepository).add_change(dict(
        id=change_id, employee_id=employee["id"], employer_id=employee["employer_id"], region=employee["region"],
        kind="change", status="pending" if needs_bureau else "applied", before={k: employee[k] for k in after},
        after=after, attachments=refs, reason=text, by_account=tx.principal.account_id, by_name=tx.principal.name,
        at=tx.now))
    if needs_bureau:
        emit_employee(tx, "employee.change_requested", employee, change_id=change_id, changes=_safe(after))
    else:
        _apply(tx, employee, after, change_id)
    tx.audit("employee.change_request", "employee", employee["id"], region=employee["region"],
             before={k: employee[k] for k in after}, after=after)
    return get_change(tx, change_id)


def _safe(changes: dict) -> dict:
    return {k: v for k, v in changes.items() if k not in ("mobile", "id_number")}


def _apply(tx: Tx, employee: Any, after: dict, change_id: str) -> None:
    roster = tx.repository(EmployeeRepository)
    roster.update(employee["id"], {"updated_at": tx.now, **after})
    fresh = roster.get(employee["id"])
    emit_employee(tx, "employee.changed", fresh, change_id=change_id, changes=_safe(after))


def _load(tx: Tx, change_id: Any, *, lock: bool = False) -> Any:
    row = tx.repository(EmployeeRepository).change(check_id(change_id, "change_id"), lock=lock)
    p = tx.principal
    if row is None or not ((p.role == Role.EMPLOYER and row["employer_id"] == p.unit_id)
                           or (p.role == Role.HOUSING_BUREAU and p.sees_region(row["region"]))):
        raise NotFound(NOT_FOUND[0], code=NOT_FOUND[1])
    return row


def get_change(tx: Tx, change_id: Any) -> dict:
    row = _load(tx, change_id)
    employee = tx.repository(EmployeeRepository).get(row["employee_id"])
    labels = {k: rules.FIELDS.get(k, k) for k in row["after"]}
    return {**change_view(row), "employee_name": employee["name"],
            "id_number": validators.mask_id(employee["id_number"]), "labels": labels}


def list_changes(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """职工信息变更 records: the employer's own, or the bureau's area (``status`` pending for its review);
    ``q`` name or 证件号码."""
    p = tx.principal
    known_filter(filters, "status", ("applied", "pending", "approved", "returned"), "状态代码不存在")
    return tx.repository(EmployeeRepository).changes_page(
        (p.unit_id or "") if p.role == Role.EMPLOYER else None, area_of(p), filters, page, page_size, lambda r: {
            **change_view(r), "employee_name": r["name"], "id_number": r["id_number"],
            "employer_name": r["employer_name"], "summary": "、".join(rules.FIELDS.get(k, k) for k in r["after"]),
            "review_done": r["status"] != "pending"})


def approve_change(tx: Tx, change_id: Any, opinion: Any = None) -> dict:
    row = _load(tx, change_id, lock=True)
    status = REVIEW.next(row["status"], "approve")
    text = check_opinion(opinion, required=False)
    employee = tx.repository(EmployeeRepository).get(row["employee_id"], lock=True)
    if "id_number" in row["after"]:
        _check_unique(tx, employee["id"], row["after"]["id_number"])
    tx.repository(EmployeeRepository).update_change(row["id"], dict(
        status=status, opinion=text, decided_by=tx.principal.account_id, decided_at=tx.now))
    _apply(tx, employee, dict(row["after"]), row["id"])
    tx.audit("employee.change_approve", "employee", employee["id"], region=employee["region"],
             before=dict(row["before"]), after=dict(row["after"]))
    return get_change(tx, row["id"])


def return_change(tx: Tx, change_id: Any, opinion: Any) -> dict:
    row = _load(tx, change_id, lock=True)
    status = REVIEW.next(row["status"], "return")
    text = check_opinion(opinion, required=True)
    roster = tx.repository(EmployeeRepository)
    roster.update_change(row["id"], dict(
        status=status, opinion=text, decided_by=tx.principal.account_id, decided_at=tx.now))
    employee = roster.get(row["employee_id"])
    emit_employee(tx, "employee.change_returned", employee, change_id=row["id"], opinion=text)
    tx.audit("employee.change_return", "employee_change", row["id"], region=row["region"],
             before={"status": row["status"]}, after={"status": status, "opinion": text})
    return get_change(tx, row["id"])
