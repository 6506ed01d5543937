"""The employee's own view (role ``employee``, whose principal ``unit_id`` is their employee id):
account, status, balance, employer and history (ledger and business done)."""
from __future__ import annotations

from housing_fund.use_cases.employees import employee_history, get_employee
from housing_fund.use_cases.records import load_employee
from shared.errors import NotFound


def my_account(tx) -> dict:
    if not tx.principal.unit_id:
        raise NotFound("未找到您的住房补贴个人账户", code="employee.not_found")
    row = load_employee(tx, tx.principal.unit_id)
    history = employee_history(tx, row["id"])
    return {"employee": get_employee(tx, row["id"]), "changes": history["changes"], "ledger": history["ledger"]}
