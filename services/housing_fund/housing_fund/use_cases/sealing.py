"""批量封存/启封: the ticked employees (picked across pages into the pending list) change status in
one transaction: 01 正常 → 02 封存, 02 封存 → 01 正常. Anyone already in the target status, or of
another employer, refuses the whole batch (409 / 404 naming them); nothing is half-done."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, update

from housing_fund.adapters.orm import employee_changes, employees
from housing_fund.domain import employees as rules
from housing_fund.domain.sealing import ACTIONS, check_action, check_effective_month, check_not_before_start
from housing_fund.use_cases.employees import emit_employee
from housing_fund.use_cases.records import check_ids, load_own_employees, own_employer
from shared.errors import IllegalTransition


def seal_or_unseal(tx, action: Any, employee_ids: Any, effective_month: Any = None, reason: Any = None) -> dict:
    action = check_action(action)
    label, business_code = ACTIONS[action]
    employer = own_employer(tx, lock=True)
    ids = check_ids(employee_ids)
    month = check_effective_month(effective_month, tx.now.date())
    rows = load_own_employees(tx, ids, employer["id"])
    refused = []
    for row in rows:
        try:
            rules.next_status(row, action)
        except IllegalTransition:
            refused.append({"employee_id": row["id"], "name": row["name"], "status": row["status"],
                            "status_label": rules.status_label(row["status"])})
    if refused:
        names = "、".join(f"{r['name']}（{r['status_label']}）" for r in refused)
        raise IllegalTransition(f"以下职工当前状态不能{label}：{names}；请从待变更列表中移除后再提交",
                                code=f"employee.{'already_sealed' if action == 'seal' else 'not_sealed'}",
                                details={"employees": refused})
    for row in rows:
        check_not_before_start(month, row["start_month"], row["name"])
    text = str(reason or "").strip()[:500] or None
    out = []
    for row in rows:
        status = rules.next_status(row, action)
        tx.session.execute(update(employees).where(employees.c.id == row["id"]).values(status=status,
                                                                                          updated_at=tx.now))
        tx.session.execute(insert(employee_changes).values(
            id=str(uuid.uuid4()), employee_id=row["id"], employer_id=row["employer_id"], region=row["region"],
            kind=action, business_code=business_code, status="applied", before={"status": row["status"]},
            after={"status": status}, reason=text, effective_month=month, by_account=tx.principal.account_id,
            by_name=tx.principal.name, at=tx.now))
        emit_employee(tx, f"employee.{action}ed", {**row, "status": status},
                      {"business_code": business_code, "effective_month": month, "name": row["name"]})
        out.append({"employee_id": row["id"], "name": row["name"], "status": status,
                    "status_label": rules.status_label(status)})
    tx.audit(f"employee.{action}", "employer", employer["id"], after={"employee_ids": ids, "effective_month": month},
             region=employer["region"])
    return {"action": action, "action_label": label, "effective_month": month, "count": len(out), "items": out}
