"""批量封存/启封: the employer ticks employees across pages into a pending list and submits it; each
employee's status changes per the codes (01 正常 ↔ 02 封存) from the effective month. Sealing someone
already sealed (or unsealing someone not sealed) refuses the whole list, naming the employee."""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from housing_fund.adapters.repository import EmployeeRepository
from housing_fund.domain import employees as rules
from housing_fund.use_cases.employees import emit_employee
from housing_fund.use_cases.records import check_ids, employee_view, load_own_employees, own_employer
from shared.clock import to_local
from shared.errors import InvalidInput
from shared.service import Tx

ACTIONS = {"seal": ("封存", rules.SEAL, "employee.sealed"), "unseal": ("启封", rules.UNSEAL, "employee.unsealed")}


def _months(tx: Tx) -> tuple[str, str]:
    today = to_local(tx.now).date()
    return rules.month_of(today.replace(day=1) - timedelta(days=1)), rules.month_of(today)


def check_effective_month(tx: Tx, value: Any) -> str:
    """The month the status changes from: this month, or last month (sealing within 30 days of leaving)."""
    last, this = _months(tx)
    if value in (None, ""):
        return this
    month = rules.check_month(value, "effective_month", "生效月份")
    if month not in (last, this):
        raise InvalidInput.field("effective_month", "sealing.month_out_of_range",
                                 f"生效月份只能是本月（{this}）或上月（{last}）")
    return month


def change_status(tx: Tx, action: Any, employee_ids: Any, reason: Any = None, effective_month: Any = None) -> dict:
    """Seal or unseal the ticked employees (all or none)."""
    if action not in ACTIONS:
        raise InvalidInput.field("action", "sealing.action_unknown", "操作应为seal（封存）或unseal（启封）")
    label, business_code, event_type = ACTIONS[action]
    employer = own_employer(tx)
    ids = check_ids(employee_ids)
    month = check_effective_month(tx, effective_month)
    text = reason.strip()[:500] if isinstance(reason, str) and reason.strip() else None
    rows = load_own_employees(tx, ids, employer["id"])
    changed = []
    roster = tx.repository(EmployeeRepository)
    for row in rows:
        status = rules.next_status(row, action)
        roster.update(row["id"], {"status": status, "updated_at": tx.now})
        roster.add_change(dict(
            id=str(uuid.uuid4()), employee_id=row["id"], employer_id=employer["id"], region=row["region"],
            kind=action, business_code=business_code, status="applied", before={"status": row["status"]},
            after={"status": status}, reason=text, effective_month=month, by_account=tx.principal.account_id,
            by_name=tx.principal.name, at=tx.now))
        fresh = {**row, "status": status}
        emit_employee(tx, event_type, fresh, business_code=business_code, effective_month=month)
        changed.append(employee_view(fresh))
    tx.audit(f"employee.{action}", "employer", employer["id"], region=employer["region"],
             after={"employee_ids": ids, "effective_month": month, "reason": text})
    return {"action": action, "label": label, "effective_month": month, "count": len(changed), "items": changed}
