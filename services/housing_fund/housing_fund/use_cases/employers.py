"""单位信息: the employers a bureau oversees, an employer's own record with its housing-subsidy
information (level table, amounts, status, trade code, bank) and its change history."""
from __future__ import annotations

from typing import Any

from housing_fund.adapters.repository import EmployeeRepository, EmployerRepository, LedgerRepository
from housing_fund.domain import employer_status as status_rules
from housing_fund.domain.employers import CHANGE_LABELS, check_status_filter, review_label
from housing_fund.use_cases.levels import level_table
from housing_fund.use_cases.records import employer_view, iso, load_employer, own_employer
from shared import regions, validators
from shared.auth.roles import Role
from shared.contracts.housing_fund import EMPLOYEE_STATUSES
from shared.jurisdiction import area_of
from shared.pagination import known_filter
from shared.service import Tx


def whoami(tx: Tx) -> dict:
    """The caller as this service sees them (after its own token and revocation checks)."""
    p = tx.principal
    return {"account_id": p.account_id, "role": p.role, "role_label": Role(p.role).label, "region": p.region,
            "region_name": regions.full_name(p.region) if p.region else None, "unit_id": p.unit_id, "name": p.name}


def list_employers(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """Employers in the bureau's area; filters ``status`` (code), ``review_status``, ``region``, ``q``
    (name, org code or trade code)."""
    status = check_status_filter(filters.get("status"))
    review_status = known_filter(filters, "review_status", ("pending", "approved", "returned"),
                                 "审核状态应为pending、approved或returned")
    region = validators.region_code(filters["region"]) if filters.get("region") else None
    return tx.repository(EmployerRepository).page(
        area_of(tx.principal), {"status": status, "review_status": review_status, "region": region,
                                "q": filters.get("q")}, page, page_size, lambda r: employer_view(r, full=False))


def receiving_employers(tx: Tx, q: Any, page: Any, page_size: Any) -> dict:
    """Employers an employer may transfer employees to (正常 or 缓缴, approved), by name or code:
    the 选择转入单位 dialog. Shows no contact data."""
    return tx.repository(EmployerRepository).receiving_page(tx.principal.unit_id or "", q, page, page_size, lambda r: {
        "id": r["id"], "name": r["name"], "org_code": r["org_code"], "region_name": regions.full_name(r["region"])})


def _housing_info(tx: Tx, row: Any) -> dict:
    roster = tx.repository(EmployeeRepository)
    counts = roster.counts_by_status(row["id"])
    monthly = roster.monthly_total(row["id"])
    booked = tx.repository(LedgerRepository).booked_at(row["id"])
    return {"employee_counts": {k: {"label": v, "count": int(counts.get(k, 0))} for k, v in EMPLOYEE_STATUSES.items()
                                if counts.get(k)},
            "employee_total": int(sum(counts.values())), "monthly_total_fen": int(monthly),
            "booked_total_fen": int(booked), "levels": list(level_table(tx, row["region"]).values())}


def get_employer(tx: Tx, employer_id: Any) -> dict:
    """单位信息 with the housing-subsidy information and the registration rounds and changes."""
    row = load_employer(tx, employer_id)
    out = {**employer_view(row), "housing": _housing_info(tx, row), "rounds": rounds_of(tx, row["id"]),
           "changes": _changes(tx, row["id"])}
    if tx.principal.role == Role.HOUSING_BUREAU:  # what the bureau may set now (单位状态)
        out["status_actions"] = [{"action": a, "label": status_rules.ACTIONS[a][0]}
                                 for a in status_rules.STATUS_FLOW.actions_from(row["status"])]
    return out


def my_employer(tx: Tx) -> dict:
    """The calling employer clerk's 单位信息."""
    return get_employer(tx, own_employer(tx)["id"])


def rounds_of(tx: Tx, employer_id: str) -> list[dict]:
    rows = tx.repository(EmployerRepository).rounds(employer_id)
    return [{"round": r["round"], "submitted_at": iso(r["submitted_at"]), "decision": r["decision"],
             "decision_label": review_label(r["decision"]) if r["decision"] else "待审核", "opinion": r["opinion"],
             "decided_by_name": r["decided_by_name"], "decided_at": iso(r["decided_at"]), "data": r["data"],
             "attachments": r["attachments"]} for r in rows]


def _changes(tx: Tx, employer_id: str) -> list[dict]:
    return [change_view(r) for r in tx.repository(EmployerRepository).changes(employer_id)]


def change_view(r: Any) -> dict:
    return {"id": r["id"], "employer_id": r["employer_id"], "status": r["status"],
            "status_label": review_label(r["status"]), "before": r["before"], "after": r["after"],
            "fields": sorted(r["after"]), "labels": {k: CHANGE_LABELS.get(k, k) for k in r["after"]},
            "attachments": r["attachments"], "reason": r["reason"],
            "submitted_at": iso(r["submitted_at"]), "opinion": r["opinion"], "decided_at": iso(r["decided_at"])}
