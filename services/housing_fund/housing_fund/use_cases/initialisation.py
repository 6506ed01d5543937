"""职工信息初始化 at an employer's first login: check each employee's mobile, level and monthly
amount (accumulated periods and amounts optional, booked as a correcting ledger entry), export to
check, then submit once."""
from __future__ import annotations

import uuid
from typing import Any

from housing_fund.adapters.repository import EmployeeRepository, EmployerRepository
from housing_fund.domain import employees as rules
from housing_fund.domain.ledger import Entry
from housing_fund.domain.levels import check_level, check_monthly_amount
from housing_fund.use_cases.employees import list_employees
from housing_fund.use_cases.ledger import balance_of, book
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import employee_view, employer_view, load_employee, own_employer
from shared import validators
from shared.errors import Conflict, InvalidInput
from shared.service import Tx


def _not_yet(employer: Any) -> None:
    if employer["initialised_at"] is not None:
        raise Conflict("职工信息初始化已提交，请通过职工信息变更办理修改", code="employer.already_initialised")


def initialisation(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """The employer, its level table and a page of its roster to check."""
    employer = own_employer(tx)
    return {"employer": employer_view(employer), "levels": list(level_table(tx, employer["region"]).values()),
            "employees": list_employees(tx, filters, page, page_size)}


def check_employee_data(tx: Tx, employee_id: Any, data: Any) -> dict:
    """Save one employee's checked data: mobile, level, monthly amount; accumulated periods and
    amount optional (a difference to the ledger is booked as a correcting entry)."""
    employer = own_employer(tx, lock=True)
    _not_yet(employer)
    row = load_employee(tx, employee_id, lock=True)
    if not isinstance(data, dict):
        raise InvalidInput("请填写职工信息", code="employee.data_required")
    level = check_level(data.get("level"), level_table(tx, employer["region"]))
    values = {"mobile": validators.mobile(data.get("mobile")), "level": level["code"],
              "monthly_fen": check_monthly_amount(data.get("monthly_fen"), level), "checked_at": tx.now,
              "updated_at": tx.now}
    before = {k: row[k] for k in ("mobile", "level", "monthly_fen")}
    periods, fen = balance_of(tx, row["id"])
    corrected = {}
    if data.get("accumulated_periods") not in (None, "") or data.get("accumulated_fen") not in (None, ""):
        want_periods = rules.check_count(data.get("accumulated_periods", periods), "accumulated_periods",
                                         "累计缴纳期数")
        want_fen = rules.check_count(data.get("accumulated_fen", fen), "accumulated_fen", "累计缴纳金额")
        if (want_periods, want_fen) != (periods, fen):
            book(tx, row["id"], employer["id"], Entry(rules.REMIT, want_periods - periods, want_fen - fen,
                                                      note="职工信息初始化核对调整"), ref_type="initialise")
            corrected = {"accumulated_periods": want_periods, "accumulated_fen": want_fen}
            before.update({"accumulated_periods": periods, "accumulated_fen": fen})
    roster = tx.repository(EmployeeRepository)
    roster.update(row["id"], values)
    after = {k: values[k] for k in ("mobile", "level", "monthly_fen")} | corrected
    roster.add_change({
        "id": str(uuid.uuid4()), "employee_id": row["id"], "employer_id": employer["id"], "region": row["region"],
        "kind": "initialise", "status": "applied", "before": before, "after": after,
        "by_account": tx.principal.account_id, "by_name": tx.principal.name, "at": tx.now})
    tx.audit("employee.initialise_check", "employee", row["id"], region=row["region"], before=before, after=after)
    fresh = roster.get(row["id"])
    return employee_view(fresh, balance=balance_of(tx, row["id"]))


def submit_initialisation(tx: Tx) -> dict:
    """【立即提交】: the roster as checked becomes the basis of remittance; once only."""
    employer = own_employer(tx, lock=True)
    _not_yet(employer)
    roster = tx.repository(EmployeeRepository)
    roster.mark_checked(employer["id"], tx.now)
    tx.repository(EmployerRepository).update(employer["id"], {"initialised_at": tx.now, "updated_at": tx.now})
    count = roster.count_of(employer["id"])
    fresh = tx.repository(EmployerRepository).get(employer["id"])
    tx.emit("employer.initialised", subject=employer["id"], region=employer["region"], data={
        "employer_id": employer["id"], "name": employer["name"], "org_code": employer["org_code"],
        "region": employer["region"], "status": employer["status"]})
    tx.audit("employer.initialise", "employer", employer["id"], region=employer["region"],
             after={"employees": count})
    return {**employer_view(fresh), "employees": count}
