"""To-do counters (您有【N】个…) of line B: the bureau's reviews, the employer's pending work."""
from __future__ import annotations

from housing_fund.adapters.repository import EmployeeRepository, EmployerRepository, TransferRepository
from shared.auth.roles import Role
from shared.jurisdiction import area_of
from shared.service import Tx


def todos(tx: Tx) -> list[dict]:
    p = tx.principal
    out = []
    if p.role == Role.HOUSING_BUREAU:
        area = area_of(p)
        pending = tx.repository(EmployerRepository).pending_review_count(area)
        changes = tx.repository(EmployerRepository).pending_change_count(area)
        employee = tx.repository(EmployeeRepository).pending_change_count(area)
        out += [{"key": "employers.pending_review", "count": pending, "label": f"您有【{pending}】个单位注册待审核",
                 "href": "/portal/employers?review_status=pending"},
                {"key": "employer_changes.pending", "count": changes,
                 "label": f"您有【{changes}】个单位信息变更待审核", "href": "/portal/employer-changes?status=pending"},
                {"key": "employee_changes.pending", "count": employee,
                 "label": f"您有【{employee}】个职工信息变更待审核", "href": "/portal/employee-changes?status=pending"}]
    elif p.role == Role.EMPLOYER and p.unit_id:
        incoming = tx.repository(TransferRepository).incoming_count(p.unit_id)
        out.append({"key": "transfers.incoming", "count": incoming, "label": f"您有【{incoming}】个员工转入待审阅",
                    "href": "/portal/transfers?direction=in&status=pending"})
        employer = tx.repository(EmployerRepository).get(p.unit_id)
        if employer is None or employer["initialised_at"] is None:
            out.append({"key": "employers.initialise", "count": 1, "label": "您有【1】项职工信息初始化待提交",
                        "href": "/portal/housing/initialise"})
    return out
