"""To-do counters (您有【N】个…) of line B: the bureau's reviews, the employer's pending work."""
from __future__ import annotations

from sqlalchemy import func, select

from housing_fund.adapters.orm import employee_changes, employer_changes, employers, transfers
from shared.auth.roles import Role
from shared.jurisdiction import area_of
from shared.service import Tx


def _count(tx: Tx, stmt) -> int:
    return int(tx.session.execute(stmt).scalar_one())


def todos(tx: Tx) -> list[dict]:
    p = tx.principal
    out = []
    if p.role == Role.HOUSING_BUREAU:
        area = area_of(p)
        pending = _count(tx, select(func.count()).where(employers.c.region.in_(area),
                                                        employers.c.review_status == "pending"))
        changes = _count(tx, select(func.count()).where(employer_changes.c.region.in_(area),
                                                        employer_changes.c.status == "pending"))
        employee = _count(tx, select(func.count()).where(employee_changes.c.region.in_(area),
                                                         employee_changes.c.status == "pending"))
        out += [{"key": "employers.pending_review", "count": pending, "label": f"您有【{pending}】个单位注册待审核",
                 "href": "/portal/employers?review_status=pending"},
                {"key": "employer_changes.pending", "count": changes,
                 "label": f"您有【{changes}】个单位信息变更待审核", "href": "/portal/employer-changes?status=pending"},
                {"key": "employee_changes.pending", "count": employee,
                 "label": f"您有【{employee}】个职工信息变更待审核", "href": "/portal/employee-changes?status=pending"}]
    elif p.role == Role.EMPLOYER and p.unit_id:
        incoming = _count(tx, select(func.count()).where(transfers.c.to_employer_id == p.unit_id,
                                                         transfers.c.status == "pending"))
        out.append({"key": "transfers.incoming", "count": incoming, "label": f"您有【{incoming}】个员工转入待审阅",
                    "href": "/portal/transfers?direction=in&status=pending"})
        initialised = tx.session.execute(select(employers.c.initialised_at).where(
            employers.c.id == p.unit_id)).scalar_one_or_none()
        if initialised is None:
            out.append({"key": "employers.initialise", "count": 1, "label": "您有【1】项职工信息初始化待提交",
                        "href": "/portal/housing/initialise"})
    return out
