"""职工管理 and 职工开户: an employer's roster (search by name or ID), an employee's 详细资料 with
变更记录 and ledger, opening an account singly, resetting an employee's personal password, and the
employee's own view. ``add_employee`` is the one way a roster row is born (开户, import, migration)."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import EmployeeRepository, EmployerRepository, LedgerRepository
from housing_fund.domain import employees as rules
from housing_fund.domain.employers import check_can_receive
from housing_fund.domain.ledger import Entry
from housing_fund.domain.levels import check_level, check_monthly_amount
from housing_fund.use_cases.attachments import EMPLOYEE, link
from housing_fund.use_cases.ledger import balance_of, balances_of, book, history_of
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import (
    employee_view,
    iso,
    load_employee,
    load_employer,
    own_employer,
)
from shared.contracts.housing_fund import CHANGE_KINDS, CHANGE_STATUSES, EMPLOYEE_STATUSES
from shared.errors import Conflict, NotFound
from shared.pagination import known_filter
from shared.service import Tx

DUPLICATE = "employee.duplicate"


def check_new_employee(tx: Tx, employer: Any, data: Any, table: dict | None = None) -> dict:
    """An employee's data checked against the employer's level table and the whole platform's
    roster (one personal account per 证件号码: 409 naming the holder's employer when it is another)."""
    person = rules.check_employee(data)
    table = table if table is not None else level_table(tx, employer["region"])
    level = check_level(data.get("level"), table)
    person["level"] = level["code"]
    person["monthly_fen"] = check_monthly_amount(data.get("monthly_fen"), level)
    holder = tx.repository(EmployeeRepository).holder_of(person["id_number"])
    if holder is not None:
        where = "本单位" if holder == employer["id"] else "其他单位"
        raise Conflict(f"证件号码{person['id_number']}的职工已在{where}开户，不能重复开户", code=DUPLICATE,
                       details={"fields": {"id_number": f"该职工已在{where}开户"}})
    return person


def add_employee(tx: Tx, employer: Any, person: dict, *, source: str, attachments: list | None = None,
                 emit: bool = True, note: str | None = None, employee_id: str | None = None) -> dict:
    """Insert a checked employee, their 开户 change record and (for accumulated periods/amounts) the
    opening ledger entry; emits ``employee.opened`` unless a batch emits one event for all."""
    employee_id = employee_id or str(uuid.uuid4())
    periods, fen = person.pop("accumulated_periods", 0), person.pop("accumulated_fen", 0)
    roster = tx.repository(EmployeeRepository)
    roster.add(dict(
        id=employee_id, employer_id=employer["id"], region=employer["region"], status=rules.NORMAL, source=source,
        opened_at=tx.now, updated_at=tx.now, **person))
    if periods or fen:
        book(tx, employee_id, employer["id"], Entry(rules.REMIT, periods, fen, note=note or "历史累计缴存"),
             ref_type="opening")
    roster.add_change(dict(
        id=str(uuid.uuid4()), employee_id=employee_id, employer_id=employer["id"], region=employer["region"],
        kind="open", business_code=rules.OPEN, status="applied", before={},
        after={**person, "accumulated_periods": periods, "accumulated_fen": fen}, attachments=attachments or [],
        by_account=tx.principal.account_id, by_name=tx.principal.name, at=tx.now))
    if emit:
        emit_employee(tx, "employee.opened", {**person, "id": employee_id, "employer_id": employer["id"],
                                              "region": employer["region"], "status": rules.NORMAL},
                      employer_name=employer["name"], org_code=employer["org_code"])
    return {"id": employee_id, **person}


def employee_event(employee: Any, **extra: Any) -> dict:
    """The data of an ``employee.*`` event: the employee as it is now."""
    return {"employee_id": employee["id"], "employer_id": employee["employer_id"], "region": employee["region"],
            "name": employee["name"], "id_number": employee["id_number"], "mobile": employee.get("mobile"),
            "status": employee["status"], "level": employee["level"], "monthly_fen": int(employee["monthly_fen"]),
            **extra}


def emit_employee(tx: Tx, event_type: str, employee: Any, **extra: Any) -> None:
    tx.emit(event_type, subject=employee["id"], region=employee["region"], data=employee_event(employee, **extra))


def open_employee(tx: Tx, data: Any) -> dict:
    """职工开户 singly, with its attachments (uploaded first)."""
    employer = own_employer(tx, lock=True)
    check_can_receive(employer["status"], employer["name"])
    person = check_new_employee(tx, employer, data)
    employee_id = str(uuid.uuid4())
    refs = link(tx, data.get("attachments"), kinds=EMPLOYEE, subject_type="employee", subject_id=employee_id,
                required=False)
    added = add_employee(tx, employer, person, source="opened", attachments=refs, employee_id=employee_id)
    tx.audit("employee.open", "employee", added["id"], region=employer["region"],
             after={"name": added["name"], "level": added["level"], "monthly_fen": added["monthly_fen"]})
    return get_employee(tx, added["id"])


def list_employees(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """The employer's roster (or, for a bureau, ``employer_id``'s), with each employee's balance;
    ``q`` matches name or 证件号码, ``status`` the status code."""
    p = tx.principal
    if p.role == "employer":
        employer_id = own_employer(tx)["id"]
    else:
        employer_id = load_employer(tx, filters.get("employer_id") or "")["id"]
    known_filter(filters, "status", EMPLOYEE_STATUSES, "职工状态代码不存在")
    result = tx.repository(EmployeeRepository).page(employer_id, filters, page, page_size, lambda r: r)
    balances = balances_of(tx, [r["id"] for r in result["items"]])
    result["items"] = [employee_view(r, balance=balances[r["id"]]) for r in result["items"]]
    return result


def _changes_of(tx: Tx, employee_id: str) -> list[dict]:
    return [change_view(r) for r in tx.repository(EmployeeRepository).changes(employee_id)]




def change_view(r: Any) -> dict:
    return {"id": r["id"], "employee_id": r["employee_id"], "employer_id": r["employer_id"], "kind": r["kind"],
            "kind_label": CHANGE_KINDS.get(r["kind"], r["kind"]), "business_code": r["business_code"],
            "business_label": rules.business_label(r["business_code"]) if r["business_code"] else None,
            "status": r["status"], "status_label": CHANGE_STATUSES.get(r["status"], r["status"]),
            "before": r["before"], "after": r["after"], "attachments": r["attachments"], "reason": r["reason"],
            "effective_month": r["effective_month"], "by_name": r["by_name"], "at": iso(r["at"]),
            "opinion": r["opinion"], "decided_at": iso(r["decided_at"])}




def _employer_names(tx: Tx, ids: set[str]) -> dict[str, str]:
    return tx.repository(EmployerRepository).names(ids)


def get_employee(tx: Tx, employee_id: Any) -> dict:
    """详细资料: the employee with balance, 变更记录 and ledger (个人明细)."""
    row = load_employee(tx, employee_id)
    history = history_of(tx, row["id"])
    names = _employer_names(tx, {h["employer_id"] for h in history} | {row["employer_id"]})
    for h in history:
        h["employer_name"] = names.get(h["employer_id"])
    return {**employee_view(row, balance=balance_of(tx, row["id"]), employer_name=names.get(row["employer_id"])),
            "changes": _changes_of(tx, row["id"]), "ledger": history}


def my_account(tx: Tx) -> dict:
    """The employee's own view: account, status, balance, history."""
    if not tx.principal.unit_id:
        raise NotFound("未找到您的住房补贴账户", code="employee.not_found")
    return get_employee(tx, tx.principal.unit_id)


def link_account(tx: Tx, data: dict) -> None:
    """``account.created`` of identity: an employee's personal login (role employee, the employee as
    ``unit_id``) is recorded as ``employees.account_id`` (职工个人平台已开通). Idempotent; other roles ignored."""
    if data.get("role") != "employee" or not data.get("unit_id"):
        return
    tx.repository(EmployeeRepository).link_account(data["unit_id"], data["account_id"], tx.now)


def reset_employee_password(tx: Tx, employee_id: Any) -> dict:
    """The employer resets an employee's personal password (职工忘记密码): identity resets it to the
    initial password from ``employee.password_reset``."""
    row = load_employee(tx, employee_id)
    emit_employee(tx, "employee.password_reset", row)
    tx.audit("employee.password_reset", "employee", row["id"], region=row["region"])
    return {"employee_id": row["id"], "reset": True}


def holders_of(tx: Tx, id_numbers: list[str]) -> dict[str, str]:
    """id_number -> employer id of the employees already on any roster (in chunks)."""
    out: dict[str, str] = {}
    for start in range(0, len(id_numbers), 1000):
        chunk = id_numbers[start:start + 1000]
        out.update(tx.repository(EmployeeRepository).holders(chunk))
    return out


def add_employees(tx: Tx, employer: Any, persons: list[dict], *, source: str, note: str,
                  attachments: list | None = None, opened_events: bool = True) -> list[str]:
    """Bulk ``add_employee`` for imports and migrations (executemany in chunks), with an
    ``employee.opened`` per employee (identity opens each one's login from it)."""
    ids = []
    for start in range(0, len(persons), 1000):
        rows, entries, changes = [], [], []
        for person in persons[start:start + 1000]:
            person = dict(person)
            person.pop("employer_uscc", None)
            periods, fen = person.pop("accumulated_periods", 0), person.pop("accumulated_fen", 0)
            employee_id = str(uuid.uuid4())
            ids.append(employee_id)
            rows.append({"id": employee_id, "employer_id": employer["id"], "region": employer["region"],
                         "status": rules.NORMAL, "source": source, "opened_at": tx.now, "updated_at": tx.now,
                         "mobile": person["mobile"], "name": person["name"], "id_type": person["id_type"],
                         "id_number": person["id_number"], "level": person["level"],
                         "monthly_fen": person["monthly_fen"], "start_month": person["start_month"],
                         "post": person.get("post")})
            if periods or fen:
                entries.append({"employee_id": employee_id, "employer_id": employer["id"],
                                "business_code": rules.REMIT, "month": None, "periods": periods, "amount_fen": fen,
                                "ref_type": "opening", "ref_id": None, "note": note, "at": tx.now})
            changes.append({"id": str(uuid.uuid4()), "employee_id": employee_id, "employer_id": employer["id"],
                            "region": employer["region"], "kind": "open", "business_code": rules.OPEN,
                            "status": "applied", "before": {},
                            "after": {**person, "accumulated_periods": periods, "accumulated_fen": fen},
                            "attachments": attachments or [], "reason": note, "effective_month": None,
                            "by_account": tx.principal.account_id, "by_name": tx.principal.name, "at": tx.now,
                            "opinion": None, "decided_by": None, "decided_at": None})
        tx.repository(EmployeeRepository).add_many(rows)
        if opened_events:
            tx.emit_many([{"event_type": "employee.opened", "subject": row["id"], "region": row["region"],
                           "data": employee_event(row, employer_name=employer["name"], org_code=employer["org_code"])}
                          for row in rows])
        tx.repository(LedgerRepository).add_many(entries)
        tx.repository(EmployeeRepository).add_changes(changes)
    return ids
