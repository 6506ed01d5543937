"""The read side: lists and counters of cases and city batches within the caller's jurisdiction."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from org_confirmation import views
from org_confirmation.adapters.orm import cases, city_batches
from org_confirmation.adapters.repository import case_query
from shared.auth.principal import Principal
from shared.jurisdiction import within
from shared.pagination import narrowed, paginate


def case_page(session: Session, principal: Principal, filters: Mapping[str, Any], page: Any, page_size: Any) -> dict:
    stmt = narrowed(case_query().where(within(principal, county=cases.c.county, city=cases.c.city)), filters,
                    equal={"status": cases.c.status, "county": cases.c.county,
                           "city_batch_id": cases.c.city_batch_id},
                    search=(cases.c.applicant_name, cases.c.application_no))
    return paginate(session, stmt.order_by(cases.c.received_at, cases.c.application_id), page, page_size,
                    lambda r: views.case(r._mapping))


def batch_page(session: Session, principal: Principal, filters: Mapping[str, Any], page: Any, page_size: Any) -> dict:
    stmt = narrowed(select(city_batches).where(city_batches.c.city == principal.region), filters,
                    equal={"status": city_batches.c.status}, search=(city_batches.c.batch_no,))
    return paginate(session, stmt.order_by(city_batches.c.created_at.desc(), city_batches.c.id), page,
                    page_size, lambda r: views.batch(r._mapping))


def cases_in_status(session: Session, principal: Principal, status: str) -> int:
    return int(session.execute(select(func.count()).select_from(cases).where(
        within(principal, county=cases.c.county, city=cases.c.city), cases.c.status == status)).scalar_one())


def batches_waiting(session: Session, principal: Principal, status: str) -> list[Any]:
    """The city, status and aggregation time of the caller's city batches in ``status`` (what a counter
    counts, with what its 其中超时 needs)."""
    return list(session.execute(select(city_batches.c.city, city_batches.c.status, city_batches.c.created_at)
                                .where(city_batches.c.city == principal.region, city_batches.c.status == status))
                .mappings())
