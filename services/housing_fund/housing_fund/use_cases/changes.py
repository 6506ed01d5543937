"""职工信息变更: the employer asks with attachments; mobile and post apply at once, name, 证件, level
and amount wait for the housing bureau (审核通过 applies them, 退回 keeps the record as it was).
One pending change per employee. The history keeps every request with its fields before and after."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select, update

from housing_fund.adapters.orm import employee_changes, employees, employers
from housing_fund.domain import changes as rules
from housing_fund.domain import employees as employee_rules
from housing_fund.domain.employers import check_attachments
from housing_fund.domain.levels import check_level, check_monthly_amount
from housing_fund.use_cases.employees import DUPLICATE, change_view, emit_employee, get_employee
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import area_of, check_id, load_employee
from shared.auth.roles import Role
from shared.errors import Conflict, InvalidInput, NotFound
from shared.pagination import like_pattern, paginate

NOT_FOUND = ("变更申请不存在或不在您的管辖范围内", "employee_change.not_found")


def _check_level_amount(tx, row: Any, changes: dict) -> None:
    if "level" in changes or "monthly_fen" in changes:
        level = check_level(changes.get("level", row["level"]), level_table(tx, row["region"]))
        changes["monthly_fen"] = check_monthly_amount(changes.get("monthly_fen"), level)
        if "level" in changes:
            changes["level"] = level["code"]
        if changes["monthly_fen"] == row["monthly_fen"] and "level" not in changes:
            changes.pop("monthly_fen")
        elif changes["monthly_fen"] == row["monthly_fen"]:
            changes.pop("monthly_fen")


def _check_id_free(tx, employee_id: str, changes: dict) -> None:
    if "id_number" in changes:
        other = tx.session.execute(select(employees.c.id).where(employees.c.id_number == changes["id_number"],
                                                                employees.c.id != employee_id)).first()
        if other:
            raise Conflict(DUPLICATE, code="employee.duplicate", details={"id_number": changes["id_number"]})


def _apply(tx, row: Any, changes: dict) -> None:
    tx.session.execute(update(employees).where(employees.c.id == row["id"]).values(**changes, updated_at=tx.now))


def request_change(tx, employee_id: Any, data: Any) -> dict:
    """新增变更信息: ``data = {"changes": {...}, "reason", "attachments"}``."""
    row = load_employee(tx, employee_id, lock=True)
    if tx.principal.role != Role.EMPLOYER:
        raise NotFound("职工不存在或不属于本单位", code="employee.not_found")
    if not isinstance(data, dict):
        raise InvalidInput("请填写要变更的信息", code="employee_change.empty")
    employee_rules.next_status(row, "change")
    changes = rules.check_changes(data.get("changes"), dict(row))
    _check_level_amount(tx, row, changes)
    if not changes:
        raise InvalidInput("变更后的信息与原信息相同", code="employee_change.nothing_changed")
    _check_id_free(tx, row["id"], changes)
    pending = rules.needs_approval(changes)
    attachments = check_attachments(data.get("attachments"), required=pending)
    reason = str(data.get("reason") or "").strip()[:500] or None
    if pending and tx.session.execute(select(employee_changes.c.id).where(
            employee_changes.c.employee_id == row["id"], employee_changes.c.status == rules.PENDING)).first():
        raise Conflict(f"职工{row['name']}已有一项信息变更待住建局审核，请等待审核结果",
                       code="employee_change.pending_exists")
    change_id = str(uuid.uuid4())
    before = {k: row[k] for k in changes}
    tx.session.execute(insert(employee_changes).values(
        id=change_id, employee_id=row["id"], employer_id=row["employer_id"], region=row["region"], kind="change",
        status=rules.PENDING if pending else rules.APPLIED, before=before, after=changes, attachments=attachments,
        reason=reason, by_account=tx.principal.account_id, by_name=tx.principal.name, at=tx.now))
    if pending:
        emit_employee(tx, "employee.change_requested", row, {"change_id": change_id, "changes": changes,
                                                             "name": row["name"]})
    else:
        _apply(tx, row, changes)
        emit_employee(tx, "employee.changed", row, {"change_id": change_id, "changes": changes})
    tx.audit("employee.change_request", "employee", row["id"], before=before, after=changes, region=row["region"])
    return {"change": _view(tx, change_id), "employee": get_employee(tx, row["id"])}


def _view(tx, change_id: str) -> dict:
    row = tx.session.execute(select(employee_changes, employees.c.name.label("employee_name"),
                                    employees.c.id_number.label("employee_id_number"),
                                    employers.c.name.label("employer_name"))
                             .join(employees, employees.c.id == employee_changes.c.employee_id)
                             .join(employers, employers.c.id == employee_changes.c.employer_id)
                             .where(employee_changes.c.id == change_id)).mappings().one()
    return _item(row)


def _item(r: Any) -> dict:
    return {**change_view(r), "employee_name": r["employee_name"], "employee_id_number": r["employee_id_number"],
            "employer_name": r["employer_name"], "needs_approval": r["status"] in (rules.PENDING, rules.APPROVED,
                                                                                    rules.RETURNED)}


def list_changes(tx, filters: dict, page: Any, page_size: Any) -> dict:
    """职工信息变更 list: the employer's own, or the bureau's area; ``status``, ``q`` (name or ID)."""
    p = tx.principal
    stmt = (select(employee_changes, employees.c.name.label("employee_name"),
                   employees.c.id_number.label("employee_id_number"), employers.c.name.label("employer_name"))
            .join(employees, employees.c.id == employee_changes.c.employee_id)
            .join(employers, employers.c.id == employee_changes.c.employer_id)
            .where(employee_changes.c.kind == "change"))
    if p.role == Role.EMPLOYER:
        stmt = stmt.where(employee_changes.c.employer_id == (p.unit_id or ""))
    else:
        stmt = stmt.where(employee_changes.c.region.in_(area_of(p)))
    status = filters.get("status")
    if status:
        if status not in rules.STATUS_LABELS:
            raise InvalidInput.field("status", "filter.status_unknown", "变更状态不存在")
        stmt = stmt.where(employee_changes.c.status == status)
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(employees.c.name.ilike(pattern) | employees.c.id_number.ilike(pattern))
    stmt = stmt.order_by(employee_changes.c.at.desc(), employee_changes.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: _item(r._mapping))


def _load_change(tx, change_id: Any) -> Any:
    row = tx.session.execute(select(employee_changes).where(
        employee_changes.c.id == check_id(change_id, "change_id"), employee_changes.c.kind == "change")
        .with_for_update()).mappings().first()
    if row is None or not tx.principal.sees_region(row["region"]):
        raise NotFound(NOT_FOUND[0], code=NOT_FOUND[1])
    return row


def approve_change(tx, change_id: Any, opinion: Any = None) -> dict:
    """住建局审核通过: the fields take effect (the 证件号码 checked again for duplicates)."""
    change = _load_change(tx, change_id)
    status = rules.REVIEW.next(change["status"], "approve")
    row = load_employee(tx, change["employee_id"], lock=True)
    changes = dict(change["after"])
    _check_id_free(tx, row["id"], changes)
    _apply(tx, row, changes)
    tx.session.execute(update(employee_changes).where(employee_changes.c.id == change["id"]).values(
        status=status, opinion=(str(opinion).strip()[:500] or None) if opinion else None,
        decided_by=tx.principal.account_id, decided_at=tx.now))
    emit_employee(tx, "employee.changed", row, {"change_id": change["id"], "changes": changes,
                                                "id_number": changes.get("id_number"), "name": changes.get("name")})
    tx.audit("employee_change.approve", "employee_change", change["id"], after=changes, region=row["region"])
    return _view(tx, change["id"])


def return_change(tx, change_id: Any, opinion: Any) -> dict:
    """住建局退回 with an opinion: nothing changes on the employee."""
    text = str(opinion or "").strip()
    if not text:
        raise InvalidInput.field("opinion", "opinion.required", "请填写退回意见")
    change = _load_change(tx, change_id)
    status = rules.REVIEW.next(change["status"], "return")
    row = load_employee(tx, change["employee_id"])
    tx.session.execute(update(employee_changes).where(employee_changes.c.id == change["id"]).values(
        status=status, opinion=text[:500], decided_by=tx.principal.account_id, decided_at=tx.now))
    emit_employee(tx, "employee.change_returned", row, {"change_id": change["id"], "opinion": text[:500]})
    tx.audit("employee_change.return", "employee_change", change["id"], after={"opinion": text}, region=row["region"])
    return _view(tx, change["id"])
