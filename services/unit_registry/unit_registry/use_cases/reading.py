"""Reading people and units: lists, details, the public list of approved units and the to-dos."""
from __future__ import annotations

from typing import Any

from shared import validators
from shared.auth.roles import Role
from shared.errors import NotFound
from shared.service import Tx
from unit_registry import unit_registration
from unit_registry.adapters.repository import IndividualRepository, UnitRepository
from unit_registry.domain.statuses import APPROVED, PENDING, RETURNED, check_status_filter
from unit_registry.use_cases.common import (
    individual_detail,
    individual_not_found,
    individuals,
    load_individual,
    visible,
)


def list_individuals(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """The unit's people (unit clerk) or the county's (county HRSS); ID numbers and mobiles masked."""
    wanted = {**filters, "status": check_status_filter(filters.get("status"))}
    return tx.repository(IndividualRepository).page(tx.principal, wanted, page, page_size)


def get_individual(tx: Tx, individual_id: str) -> dict:
    """The detail view, unmasked: the read itself is audited (``individual.read``)."""
    row = load_individual(tx, individual_id)
    if not visible(tx, row):
        raise individual_not_found()
    tx.audit("individual.read", "individual", row["id"], region=row["region"])
    return individual_detail(tx, row)


def _unit_detail(tx: Tx, row: Any) -> dict:
    counts = individuals(tx).counts_by_status(row["id"])
    return {**unit_registration.unit_detail(tx, row),
            "individual_counts": {s: counts.get(s, 0) for s in (PENDING, APPROVED, RETURNED)}}


def get_unit(tx: Tx, unit_id: str) -> dict:
    """A unit: its own clerks, or an officer of its 主管部门's county (or city)."""
    row = unit_registration.load_unit(tx, unit_id)
    if not unit_registration.may_see_unit(tx, row):
        raise unit_registration.unit_not_found()
    return _unit_detail(tx, row)


def my_unit(tx: Tx) -> dict:
    """The clerk's own unit (pending, returned or approved: the clerk sees its status and opinion)."""
    row = individuals(tx).unit(tx.principal.unit_id)
    if row is None:
        raise NotFound("本单位尚未提交注册信息", code="unit.not_registered")
    return _unit_detail(tx, row)


def list_units(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """Units whose 主管部门 is the officer's county (or a county of its city), by status, name or USCC."""
    wanted = {**filters, "status": check_status_filter(filters.get("status")),
              "region": validators.region_code(filters["region"]) if filters.get("region") else None}
    return tx.repository(UnitRepository).page(tx.principal, wanted, page, page_size)


def list_approved_units(tx: Tx, region: str | None, q: str | None, page: Any, page_size: Any) -> dict:
    """Approved units a graduate may choose at registration (public): in a county, or a whole city."""
    code = validators.region_code(region) if region else None
    return tx.repository(UnitRepository).approved_page(code, q, page, page_size)


def todos(tx: Tx) -> list[dict]:
    """The clerk's pending individual registrations; the county HRSS's units and changes."""
    if tx.principal.role == Role.COUNTY_HRSS:
        return unit_registration.county_todos(tx)
    if tx.principal.role != Role.UNIT_ADMIN:
        return []
    count = tx.repository(IndividualRepository).count_of_unit(tx.principal.unit_id, PENDING)
    return [{"key": "individuals.pending_review", "count": count,
             "label": f"您有【{count}】个个人注册账号待审核", "href": "/portal/individuals?status=pending"}]
