"""The read side: lists, counters and statistics of applications within the caller's jurisdiction."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.pagination import narrowed, paginate
from subsidy_review.adapters.orm import applications, timeline
from subsidy_review.adapters.repository import visible_to


def application_page(session: Session, principal: Principal, filters: dict, page: Any, page_size: Any,
                     serialize: Callable[[Any], dict]) -> dict:
    """One page of the applications the caller may see, newest change first."""
    stmt = narrowed(select(applications).where(visible_to(principal)), filters,
                    equal={"unit_id": applications.c.unit_id, "county": applications.c.county,
                           "degree": applications.c.degree},
                    one_of={"status": applications.c.status},
                    search=(applications.c.applicant_name, applications.c.id_number, applications.c.application_no))
    stmt = stmt.order_by(applications.c.updated_at.desc(), applications.c.id)
    return paginate(session, stmt, page, page_size, lambda r: serialize(r._mapping))


def timeline_of(session: Session, application_id: str) -> list[dict]:
    """The application's timeline entries, oldest first."""
    return [dict(r) for r in session.execute(select(timeline).where(timeline.c.application_id == application_id)
                                             .order_by(timeline.c.at, timeline.c.id)).mappings()]


def count_in_status(session: Session, principal: Principal, statuses: list[str]) -> int:
    """How many applications the caller may see are in one of ``statuses``."""
    return session.execute(select(func.count()).select_from(applications).where(
        visible_to(principal), applications.c.status.in_(statuses))).scalar_one()


def totals_by_status_and_unit(session: Session, principal: Principal, county: str | None) -> list[Any]:
    """(status, unit_name, count, amount_fen) of the applications the caller may see."""
    stmt = (select(applications.c.status, applications.c.unit_name, func.count().label("count"),
                   func.coalesce(func.sum(applications.c.amount_fen), 0).label("amount_fen"))
            .where(visible_to(principal)).group_by(applications.c.status, applications.c.unit_name))
    if county:
        stmt = stmt.where(applications.c.county == county)
    return list(session.execute(stmt).all())
