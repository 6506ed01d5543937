"""The read side: lists of individuals and units within the caller's jurisdiction, and counters."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared import regions
from shared.auth.principal import Principal
from shared.auth.roles import Role
from shared.jurisdiction import area_of
from shared.pagination import narrowed, paginate
from unit_registry import views
from unit_registry.adapters.orm import individuals, units
from unit_registry.adapters.repository import INDIVIDUAL
from unit_registry.domain.statuses import APPROVED


def individual_page(session: Session, principal: Principal, filters: Mapping[str, Any], page: Any,
                    page_size: Any) -> dict:
    """The unit's people (unit clerk) or the county's (officers); ID numbers and mobiles masked."""
    if principal.role == Role.UNIT_ADMIN:
        stmt = INDIVIDUAL.where(individuals.c.unit_id == principal.unit_id)
        filters = {k: v for k, v in filters.items() if k != "unit_id"}
    else:
        stmt = INDIVIDUAL.where(units.c.supervisor_region.in_(area_of(principal)))
    stmt = narrowed(stmt, filters, equal={"unit_id": individuals.c.unit_id, "status": individuals.c.status},
                    search=(individuals.c.name, individuals.c.id_number))
    stmt = stmt.order_by(individuals.c.created_at.desc(), individuals.c.id)
    return paginate(session, stmt, page, page_size, lambda r: views.individual_view(r._mapping, full=False))


def unit_page(session: Session, principal: Principal, filters: Mapping[str, Any], page: Any, page_size: Any) -> dict:
    """Units whose 主管部门 is the officer's county (or a county of its city)."""
    stmt = narrowed(select(units).where(units.c.supervisor_region.in_(area_of(principal))), filters,
                    equal={"status": units.c.status, "region": units.c.region}, search=(units.c.name, units.c.uscc))
    stmt = stmt.order_by(units.c.created_at.desc(), units.c.id)
    return paginate(session, stmt, page, page_size, lambda r: views.unit_view(r._mapping, full=False))


def approved_unit_page(session: Session, region: str | None, q: str | None, page: Any, page_size: Any) -> dict:
    """Approved units a graduate may choose: in a county, or a whole city (``region`` already checked)."""
    stmt = select(units.c.id, units.c.name, units.c.region).where(units.c.status == APPROVED)
    if region:
        stmt = stmt.where(units.c.region.in_({region, *(r.code for r in regions.counties_of(region))}))
    stmt = narrowed(stmt, {"q": q}, search=(units.c.name,))
    stmt = stmt.order_by(units.c.region, units.c.name, units.c.id)
    return paginate(session, stmt, page, page_size, lambda r: views.public_unit_view(r._mapping))


def pending_of_unit(session: Session, unit_id: str | None, status: str) -> int:
    return session.execute(select(func.count()).select_from(individuals).where(
        individuals.c.unit_id == unit_id, individuals.c.status == status)).scalar_one()
