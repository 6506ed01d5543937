"""Loading records inside the caller's reach (a bureau's area, an employer's own roster, an
employee's own account) and the views every list and detail shares. One code for "missing" and
"outside your reach", so a 404 never reveals that a record exists."""
from __future__ import annotations

from typing import Any

from housing_fund.adapters.repository import EmployeeRepository, EmployerRepository
from housing_fund.domain import employees as employee_rules
from housing_fund.domain.employers import review_label, status_label
from shared import regions, validators
from shared.auth.roles import Role
from shared.contracts.housing_fund import EMPLOYER_SOURCES
from shared.errors import InvalidInput, NotFound
from shared.service import Tx

EMPLOYER_NOT_FOUND = ("单位不存在或不在您的管辖范围内", "employer.not_found")
EMPLOYEE_NOT_FOUND = ("职工不存在或不属于本单位", "employee.not_found")


def check_id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 36:
        raise InvalidInput.field(field, "id.invalid", "编号格式不正确")
    return value.strip()


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def load_employer(tx: Tx, employer_id: Any, *, lock: bool = False) -> Any:
    """An employer the caller may see: a bureau's area, or the employer clerk's own (404 otherwise)."""
    row = tx.repository(EmployerRepository).get(check_id(employer_id, "employer_id"), lock=lock)
    p = tx.principal
    visible = row is not None and (
        (p.role == Role.HOUSING_BUREAU and p.sees_region(row["region"]))
        or (p.role == Role.EMPLOYER and row["id"] == p.unit_id))
    if not visible:
        raise NotFound(EMPLOYER_NOT_FOUND[0], code=EMPLOYER_NOT_FOUND[1])
    return row


def own_employer(tx: Tx, *, lock: bool = False) -> Any:
    """The calling employer clerk's employer."""
    if not tx.principal.unit_id:
        raise NotFound(EMPLOYER_NOT_FOUND[0], code=EMPLOYER_NOT_FOUND[1])
    return load_employer(tx, tx.principal.unit_id, lock=lock)


def load_employee(tx: Tx, employee_id: Any, *, lock: bool = False) -> Any:
    """An employee the caller may see: the employer's own roster, a bureau's area, the employee
    themself (404 otherwise; another employer's employee is not revealed)."""
    row = tx.repository(EmployeeRepository).get(check_id(employee_id, "employee_id"), lock=lock)
    p = tx.principal
    visible = row is not None and (
        (p.role == Role.EMPLOYER and row["employer_id"] == p.unit_id)
        or (p.role == Role.HOUSING_BUREAU and p.sees_region(row["region"]))
        or (p.role == Role.EMPLOYEE and row["id"] == p.unit_id))
    if not visible:
        raise NotFound(EMPLOYEE_NOT_FOUND[0], code=EMPLOYEE_NOT_FOUND[1],
                       details={"employee_id": employee_id} if isinstance(employee_id, str) else {})
    return row


def load_own_employees(tx: Tx, employee_ids: list[str], employer_id: str) -> list[Any]:
    """The ticked employees of ``employer_id``, locked, in the order given; 404 names the first one
    that is missing or belongs to another employer."""
    found = tx.repository(EmployeeRepository).locked(employee_ids)
    for employee_id in employee_ids:
        row = found.get(employee_id)
        if row is None or row["employer_id"] != employer_id:
            raise NotFound(EMPLOYEE_NOT_FOUND[0], code=EMPLOYEE_NOT_FOUND[1], details={"employee_id": employee_id})
    return [found[i] for i in employee_ids]


def check_ids(value: Any, field: str = "employee_ids", limit: int = 1000) -> list[str]:
    if not isinstance(value, list) or not value:
        raise InvalidInput.field(field, "ids.required", "请勾选职工")
    if len(value) > limit:
        raise InvalidInput.field(field, "ids.too_many", f"一次最多办理{limit}人")
    ids = [check_id(v, field) for v in value]
    if len(set(ids)) != len(ids):
        raise InvalidInput.field(field, "ids.duplicate", "职工重复勾选")
    return ids


def employer_view(row: Any, *, full: bool = True) -> dict:
    profile = dict(row["profile"] or {})
    view = {"id": row["id"], "name": row["name"], "org_code": row["org_code"], "uscc": row["uscc"],
            "region": row["region"], "region_name": regions.full_name(row["region"]),
            "status": row["status"], "status_label": status_label(row["status"]),
            "trade_code": row["trade_code"], "source": row["source"],
            "source_label": EMPLOYER_SOURCES.get(row["source"], row["source"]),
            "review_status": row["review_status"], "review_status_label": review_label(row["review_status"]),
            "review_done": row["review_status"] != "pending",
            "round": row["round"], "opinion": row["opinion"],
            "contact_name": profile.get("contact_name"),
            "contact_mobile": row["contact_mobile"] if full else validators.mask_mobile(row["contact_mobile"] or ""),
            "created_at": iso(row["created_at"]), "approved_at": iso(row["approved_at"]),
            "initialised": row["initialised_at"] is not None, "initialised_at": iso(row["initialised_at"])}
    if full:
        view.update({k: v for k, v in profile.items() if k not in view})
        view["attachments"] = list(row["attachments"] or [])
    return view


def employee_view(row: Any, *, masked: bool = False, balance: tuple[int, int] | None = None,
                  employer_name: str | None = None) -> dict:
    view = {"id": row["id"], "employer_id": row["employer_id"], "region": row["region"], "name": row["name"],
            "id_type": row["id_type"], "id_type_label": employee_rules.ID_TYPES.get(row["id_type"], row["id_type"]),
            "id_number": validators.mask_id(row["id_number"]) if masked else row["id_number"],
            "mobile": validators.mask_mobile(row["mobile"] or "") if masked else row["mobile"],
            "gender": employee_rules.gender_label(row["id_type"], row["id_number"]),
            "level": row["level"], "monthly_fen": int(row["monthly_fen"]), "status": row["status"],
            "status_label": employee_rules.status_label(row["status"]), "start_month": row["start_month"],
            "post": row["post"], "source": row["source"], "has_account": row["account_id"] is not None,
            "checked": row["checked_at"] is not None,
            "opened_at": iso(row["opened_at"]), "updated_at": iso(row["updated_at"])}
    if balance is not None:
        view["periods"], view["balance_fen"] = balance
    if employer_name is not None:
        view["employer_name"] = employer_name
    return view
