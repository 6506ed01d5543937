"""职工管理: the roster (an employer's own, a bureau's area) searched by name or 证件号码, an
employee's 详细资料 and 变更记录, 职工开户 (single; the batch import shares ``open_employees``) and
the reset of an employee's personal password.

The employee's login lives in identity: each ``employee.opened`` carries the account id chosen here,
and identity creates the account (username = 证件号码, initial password = its last 6 characters,
changed at first login). A reset is ``employee.password_reset``: housing_fund decides who may ask
(the employee's own employer), identity carries it out; no RPC between the services."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, insert, or_, select

from housing_fund.adapters.orm import employee_changes, employees, employers
from housing_fund.domain import employees as rules
from housing_fund.domain.changes import STATUS_LABELS
from housing_fund.domain.employers import check_attachments, check_can_receive
from housing_fund.domain.ledger import Entry
from housing_fund.domain.levels import check_level, check_monthly_amount
from housing_fund.use_cases.ledger import balance_of, balances_of, book, history_of
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import area_of, employee_view, iso, load_employee, own_employer
from shared.auth.roles import Role
from shared.contracts.housing_fund import EMPLOYEE_STATUSES
from shared.errors import Conflict, InvalidInput
from shared.pagination import like_pattern, paginate

DUPLICATE = "该证件号码已开户（每人只有一个住房补贴个人账户；若在其他单位，请由原单位办理转出）"


def _roster(tx):
    """The employees the caller may list: the employer's own, or the bureau's area."""
    p = tx.principal
    stmt = select(employees, employers.c.name.label("employer_name")).join(
        employers, employers.c.id == employees.c.employer_id)
    if p.role == Role.EMPLOYER:
        return stmt.where(employees.c.employer_id == (p.unit_id or ""))
    return stmt.where(employees.c.region.in_(area_of(p)))


def search_filter(q: Any):
    """Name or 证件号码 containing ``q`` (the portal highlights the match)."""
    pattern = like_pattern(str(q))
    return or_(employees.c.name.ilike(pattern), employees.c.id_number.ilike(pattern))


def list_employees(tx, filters: dict, page: Any, page_size: Any) -> dict:
    """职工管理: filters ``status`` (01 正常, 02 封存...), ``q`` (name or ID), ``level``,
    ``employer_id`` (bureau). Each item carries its balance (periods, fen)."""
    stmt = _roster(tx)
    status = filters.get("status")
    if status:
        if status not in EMPLOYEE_STATUSES:
            raise InvalidInput.field("status", "filter.status_unknown", "职工状态不存在")
        stmt = stmt.where(employees.c.status == status)
    if filters.get("q"):
        stmt = stmt.where(search_filter(filters["q"]))
    if filters.get("level"):
        stmt = stmt.where(employees.c.level == str(filters["level"]))
    if filters.get("employer_id") and tx.principal.role == Role.HOUSING_BUREAU:
        stmt = stmt.where(employees.c.employer_id == str(filters["employer_id"]))
    stmt = stmt.order_by(employees.c.opened_at.desc(), employees.c.id)
    page_out = paginate(tx.session, stmt, page, page_size, lambda r: r)
    balances = balances_of(tx, [r.id for r in page_out["items"]])
    page_out["items"] = [employee_view(r._mapping, balance=balances[r.id], employer_name=r.employer_name)
                         for r in page_out["items"]]
    return page_out


def change_rows(tx, employee_id: str) -> list[dict]:
    rows = tx.session.execute(select(employee_changes).where(employee_changes.c.employee_id == employee_id)
                              .order_by(employee_changes.c.at.desc(), employee_changes.c.id)).mappings().all()
    return [change_view(r) for r in rows]


KIND_LABELS = {"open": "开户", "import": "批量导入开户", "change": "信息变更", "seal": "封存", "unseal": "启封",
               "transfer_out": "转出", "transfer_in": "转入", "initialise": "信息初始化"}


def change_view(r: Any) -> dict:
    return {"id": r["id"], "employee_id": r["employee_id"], "employer_id": r["employer_id"], "kind": r["kind"],
            "kind_label": KIND_LABELS.get(r["kind"], r["kind"]), "business_code": r["business_code"],
            "business_label": rules.business_label(r["business_code"]) if r["business_code"] else None,
            "status": r["status"], "status_label": STATUS_LABELS.get(r["status"], r["status"]),
            "before": r["before"], "after": r["after"], "fields": sorted(r["after"] or {}),
            "attachments": r["attachments"], "reason": r["reason"], "effective_month": r["effective_month"],
            "by_name": r["by_name"], "at": iso(r["at"]), "opinion": r["opinion"], "decided_at": iso(r["decided_at"])}


def _employer_names(tx, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(tx.session.execute(select(employers.c.id, employers.c.name).where(employers.c.id.in_(ids))).all())


def get_employee(tx, employee_id: Any) -> dict:
    """详细资料: the record, its balance, its level's name and its employer."""
    row = load_employee(tx, employee_id)
    names = _employer_names(tx, {row["employer_id"]})
    view = employee_view(row, balance=balance_of(tx, row["id"]), employer_name=names.get(row["employer_id"]))
    level = level_table(tx, row["region"]).get(row["level"])
    view["level_name"] = level["name"] if level else row["level"]
    return view


def employee_history(tx, employee_id: Any) -> dict:
    """变更记录: every business done to the employee, and the ledger (个人明细账) with running balance."""
    row = load_employee(tx, employee_id)
    ledger_rows = history_of(tx, row["id"])
    names = _employer_names(tx, {r["employer_id"] for r in ledger_rows})
    for r in ledger_rows:
        r["employer_name"] = names.get(r["employer_id"])
    return {"employee_id": row["id"], "name": row["name"], "changes": change_rows(tx, row["id"]),
            "ledger": ledger_rows}


def reset_employee_password(tx, employee_id: Any) -> dict:
    """重置个人密码: the employee's own employer asks; identity resets the login to its initial password
    (last 6 characters of the 证件号码), to be changed at the next login."""
    if tx.principal.role != Role.EMPLOYER:
        raise InvalidInput("只有职工所在单位可以重置职工密码", code="employee.reset_not_allowed")
    row = load_employee(tx, employee_id)
    emit_employee(tx, "employee.password_reset", row, {"id_number": row["id_number"], "name": row["name"],
                                                       "account_id": row["account_id"]})
    tx.audit("employee.password_reset", "employee", row["id"], region=row["region"])
    return {"employee_id": row["id"], "username": row["id_number"], "reset": True,
            "message": f"已为职工{row['name']}重置个人密码：登录账号为证件号码，初始密码为证件号码后6位，"
                       "首次登录须修改密码"}


def emit_employee(tx, event_type: str, row: Any, extra: dict | None = None) -> None:
    tx.emit(event_type, subject=row["id"], region=row["region"],
            data={"employee_id": row["id"], "employer_id": row["employer_id"], "region": row["region"],
                  "status": row["status"], **(extra or {})})


# -- 职工开户 ---------------------------------------------------------------------------------------------
def check_opening(tx, employer: Any, data: Any, levels: dict[str, dict]) -> dict:
    """One employee's data for opening at ``employer`` (400), level and amount from the bureau's table."""
    record = rules.check_employee(data, tx.now.date())
    level = check_level(data.get("level"), levels)
    record["level"] = level["code"]
    record["monthly_fen"] = check_monthly_amount(data.get("monthly_fen"), level)
    return record


def taken_ids(tx, id_numbers: list[str]) -> set[str]:
    """The 证件号码 among ``id_numbers`` that already have an account (any employer)."""
    found: set[str] = set()
    for start in range(0, len(id_numbers), 1000):
        chunk = id_numbers[start:start + 1000]
        found.update(tx.session.execute(select(employees.c.id_number).where(employees.c.id_number.in_(chunk)))
                     .scalars())
    return found


def open_employees(tx, employer: Any, records: list[dict], *, source: str, attachments: list[dict],
                   kind: str = "open") -> list[dict]:
    """Insert checked records (bulk), their 开户 history rows, their accumulated balance in the ledger
    and one ``employee.opened`` each (identity creates the logins)."""
    rows, history = [], []
    for record in records:
        employee_id, account_id = str(uuid.uuid4()), str(uuid.uuid4())
        rows.append({"id": employee_id, "employer_id": employer["id"], "region": employer["region"],
                     "name": record["name"], "id_type": record["id_type"], "id_number": record["id_number"],
                     "mobile": record["mobile"], "level": record["level"], "monthly_fen": record["monthly_fen"],
                     "status": rules.NORMAL, "start_month": record["start_month"], "post": record.get("post"),
                     "account_id": account_id, "source": source, "opened_at": tx.now, "updated_at": tx.now})
        history.append({"id": str(uuid.uuid4()), "employee_id": employee_id, "employer_id": employer["id"],
                        "region": employer["region"], "kind": kind, "business_code": rules.OPEN, "status": "applied",
                        "before": {}, "after": {k: record[k] for k in ("name", "id_number", "level", "monthly_fen",
                                                                         "start_month")},
                        "attachments": attachments, "reason": None, "effective_month": record["start_month"],
                        "by_account": tx.principal.account_id, "by_name": tx.principal.name, "at": tx.now})
    if not rows:
        return []
    tx.session.execute(insert(employees), rows)
    tx.session.execute(insert(employee_changes), history)
    for row, record in zip(rows, records, strict=True):
        if record.get("accumulated_periods") or record.get("accumulated_fen"):
            book(tx, row["id"], employer["id"], Entry(rules.OPEN, record["accumulated_periods"],
                                                      record["accumulated_fen"], record["start_month"],
                                                      "开户时累计缴纳（单位申报）"),
                 ref_type="employee", ref_id=row["id"])
        emit_employee(tx, "employee.opened", row, {
            "name": row["name"], "id_number": row["id_number"], "mobile": row["mobile"], "level": row["level"],
            "monthly_fen": row["monthly_fen"], "employer_name": employer["name"], "org_code": employer["org_code"],
            "business_code": rules.OPEN, "account_id": row["account_id"], "id_type": row["id_type"]})
    return rows


def open_employee(tx, data: Any) -> dict:
    """职工开户 (single): red-dot fields, attachments uploaded first, level from the bureau's table;
    a 证件号码 that already has an account is 409."""
    employer = own_employer(tx, lock=True)
    check_can_receive(employer["status"], employer["name"])
    if not isinstance(data, dict):
        raise InvalidInput("请填写职工信息", code="employee.data_required")
    attachments = check_attachments(data.get("attachments"), required=True)
    record = check_opening(tx, employer, data, level_table(tx, employer["region"]))
    if taken_ids(tx, [record["id_number"]]):
        raise Conflict(DUPLICATE, code="employee.duplicate", details={"id_number": record["id_number"]})
    [row] = open_employees(tx, employer, [record], source="opened", attachments=attachments)
    tx.audit("employee.open", "employee", row["id"], after={k: row[k] for k in ("name", "level", "monthly_fen")},
             region=row["region"])
    return get_employee(tx, row["id"])


def count_by_status(tx, employer_id: str) -> dict[str, int]:
    return dict(tx.session.execute(select(employees.c.status, func.count()).where(
        employees.c.employer_id == employer_id).group_by(employees.c.status)).all())
