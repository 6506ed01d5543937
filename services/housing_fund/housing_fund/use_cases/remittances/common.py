"""A remittance as stored: its workflow, loading it in the caller's sight, its views and rounds, its events."""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from housing_fund.adapters.repository import EmployerRepository, RemittanceRepository
from housing_fund.domain import remittances as rules
from housing_fund.domain.employees import check_month, month_of
from housing_fund.use_cases.records import check_id, iso
from shared.auth.roles import Role
from shared.errors import IllegalTransition, NotFound
from shared.jurisdiction import area_of
from shared.pagination import known_filter
from shared.service import Tx
from shared.workflow import Workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")
FLOW = Workflow("remittance", {(rules.PENDING, "approve"): rules.APPROVED, (rules.PENDING, "return"): rules.RETURNED,
                               (rules.APPROVED, "pay"): rules.PAID, (rules.RETURNED, "resubmit"): rules.PENDING})
NOT_FOUND = ("汇缴申请不存在或不在您的管辖范围内", "remittance.not_found")


def current_month(tx: Tx) -> str:
    return month_of(tx.now.astimezone(SHANGHAI).date())


def rounds_of(tx: Tx, remittance_id: str) -> list[dict]:
    """Every round, oldest first: what was submitted (months, total, lines) and the bureau's decision."""
    rows = tx.repository(RemittanceRepository).rounds(remittance_id)
    return [{"round": r["round"], "mode": r["mode"], "mode_label": rules.MODES[r["mode"]],
             "months": r["month_from"] if r["month_from"] == r["month_to"] else f"{r['month_from']}-{r['month_to']}",
             "total_fen": int(r["total_fen"]), "employee_count": r["employee_count"], "line_count": len(r["lines"]),
             "submitted_at": iso(r["submitted_at"]), "decision": r["decision"],
             "decision_label": {"approved": "审核通过", "returned": "退回修改"}.get(r["decision"] or "", "待审核"),
             "opinion": r["opinion"], "decided_at": iso(r["decided_at"])} for r in rows]


def emit(tx: Tx, event_type: str, r: dict, **extra) -> None:
    data = {"remittance_id": r["id"], "employer_id": r["employer_id"], "region": r["region"],
            "amount_fen": int(r["total_fen"]), "status": r["status"], "mode": r["mode"],
            "back_pay_kind": r.get("back_pay_kind"), "month_from": r["month_from"], "month_to": r["month_to"],
            "employee_count": int(r["employee_count"]), **extra}
    if r.get("employer_name"):
        data["employer_name"] = r["employer_name"]
    tx.emit(event_type, subject=r["id"], region=r["region"], data=data)


def load(tx: Tx, remittance_id: Any, *, lock: bool = False) -> Any:
    row = tx.repository(RemittanceRepository).get(check_id(remittance_id, "remittance_id"), lock=lock)
    p = tx.principal
    visible = row is not None and ((p.role == Role.HOUSING_BUREAU and p.sees_region(row["region"]))
                                   or (p.role == Role.EMPLOYER and row["employer_id"] == p.unit_id))
    if not visible:
        raise NotFound(NOT_FOUND[0], code=NOT_FOUND[1])
    return row


def view(row: Any, employer_name: str | None = None) -> dict:
    return {"id": row["id"], "employer_id": row["employer_id"], "employer_name": employer_name,
            "region": row["region"], "mode": row["mode"], "mode_label": rules.MODES[row["mode"]],
            "back_pay_kind": row["back_pay_kind"],
            "back_pay_kind_label": rules.BACK_PAY_KINDS.get(row["back_pay_kind"] or "", None),
            "month_from": row["month_from"], "month_to": row["month_to"],
            "months": row["month_from"] if row["month_from"] == row["month_to"]
            else f"{row['month_from']}-{row['month_to']}",
            "status": row["status"], "status_label": rules.STATUSES[row["status"]],
            "total_fen": int(row["total_fen"]), "employee_count": row["employee_count"],
            "line_count": row["line_count"], "submitted_at": iso(row["submitted_at"]), "opinion": row["opinion"],
            "decided_at": iso(row["decided_at"]), "payment_code": row["payment_code"],
            "trade_code": row["trade_code"], "memo": row["memo"], "receiving_account": row["receiving_account"],
            "paid_at": iso(row["paid_at"]), "round": row["round"]}


def _employer_name(tx: Tx, employer_id: str) -> str | None:
    return tx.repository(EmployerRepository).names([employer_id]).get(employer_id)


def get(tx: Tx, remittance_id: Any) -> dict:
    """A remittance with its lines (employee, month, amount)."""
    row = load(tx, remittance_id)
    lines = tx.repository(RemittanceRepository).lines(row["id"])
    masked = tx.principal.role != Role.EMPLOYER
    from shared.validators import mask_id

    return {**view(row, _employer_name(tx, row["employer_id"])),
            "lines": [{"employee_id": r["employee_id"], "name": r["name"],
                       "id_number": mask_id(r["id_number"]) if masked else r["id_number"], "month": r["month"],
                       "amount_fen": int(r["amount_fen"]), "overridden": r["overridden"]} for r in lines],
            "rounds": rounds_of(tx, row["id"])}


def list_(tx: Tx, filters: dict, page: Any, page_size: Any, *, notices: bool = False) -> dict:
    """Remittances of the employer (own) or the bureau's area; filters status, mode, month, q (employer)."""
    p = tx.principal
    statuses = None
    if not known_filter(filters, "status", rules.STATUSES, "状态应为：" + "、".join(rules.STATUSES)) and notices:
        statuses = (rules.APPROVED, rules.PAID)
    month = check_month(filters["month"], "month") if filters.get("month") else None
    return tx.repository(RemittanceRepository).page(
        (p.unit_id or "") if p.role == Role.EMPLOYER else None, area_of(p), filters, page, page_size,
        lambda r: view(r, r["employer_name"]), statuses=statuses, month=month)


def check_transition(row: Any, action: str) -> None:
    if not FLOW.allows(row["status"], action):
        raise IllegalTransition(f"汇缴申请当前状态为“{rules.STATUSES[row['status']]}”，不能办理此操作",
                                code="remittance.illegal_transition", details={"status": row["status"]})
