"""housing_fund's use cases. Each takes the unit of work (``tx``) first; the nameko class only wires them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from housing_fund.adapters.orm import employers
from housing_fund.domain.employers import check_status_filter, status_label
from shared import regions, validators
from shared.auth.roles import Role
from shared.pagination import like_pattern, paginate


def whoami(tx) -> dict:
    """The caller as this service sees them (after its own token and revocation checks)."""
    p = tx.principal
    return {"account_id": p.account_id, "role": p.role, "role_label": Role(p.role).label, "region": p.region,
            "region_name": regions.full_name(p.region) if p.region else None, "unit_id": p.unit_id, "name": p.name}


def _area(principal) -> list[str]:
    """The codes a housing bureau covers: its own, and every county of its city for a city bureau."""
    return sorted({principal.region, *(r.code for r in regions.counties_of(principal.region or ""))})


def employer_view(row: Any) -> dict:
    return {"id": row["id"], "name": row["name"], "org_code": row["org_code"], "region": row["region"],
            "region_name": regions.full_name(row["region"]), "status": row["status"],
            "status_label": status_label(row["status"]),
            "created_at": row["created_at"].isoformat() if row["created_at"] else None}


def list_employers(tx, filters: dict, page: Any, page_size: Any) -> dict:
    """Employers in the bureau's area; filters ``status`` (code), ``region``, ``q`` (name or org code)."""
    stmt = select(employers).where(employers.c.region.in_(_area(tx.principal)))
    status = check_status_filter(filters.get("status"))
    if status:
        stmt = stmt.where(employers.c.status == status)
    if filters.get("region"):
        stmt = stmt.where(employers.c.region == validators.region_code(filters["region"]))
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(or_(employers.c.name.ilike(pattern), employers.c.org_code.ilike(pattern)))
    stmt = stmt.order_by(employers.c.created_at.desc(), employers.c.id)
    return paginate(tx.session, stmt, page, page_size, lambda r: employer_view(r._mapping))
