"""The read side: pages of cases, publicity batches and objections of a county, and the public
publicity notice. Each page's rows are shown by the ``item`` the use case hands in."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from publicity_assessment.adapters.orm import cases, objections, publicity_batches
from publicity_assessment.adapters.repository import pending_count
from shared.pagination import like_pattern, paginate


def case_page(session: Session, county: str | None, filters: Mapping[str, Any], page: Any, page_size: Any,
              item: Callable[[Any], dict]) -> dict:
    """The county's cases, newest first; ``status``, ``batch_id`` and ``q`` (applicant name or
    application number) already checked."""
    stmt = select(cases).where(cases.c.county == county)
    if filters.get("status"):
        stmt = stmt.where(cases.c.status == filters["status"])
    if filters.get("batch_id"):
        stmt = stmt.where(cases.c.batch_id == str(filters["batch_id"]))
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(cases.c.applicant_name.ilike(pattern) | cases.c.application_no.ilike(pattern))
    return paginate(session, stmt.order_by(cases.c.received_at.desc(), cases.c.application_no), page, page_size,
                    item)


def batch_page(session: Session, county: str | None, filters: Mapping[str, Any], page: Any, page_size: Any,
               item: Callable[[Any], dict]) -> dict:
    """The county's publicity batches, newest first, with their case and pending-objection counts."""
    b = publicity_batches
    case_count = select(func.count()).where(cases.c.batch_id == b.c.id).scalar_subquery()
    stmt = select(b, case_count.label("case_count"), pending_count(b.c.id).label("pending")).where(
        b.c.county == county)
    if filters.get("status"):
        stmt = stmt.where(b.c.status == filters["status"])
    if filters.get("q"):
        stmt = stmt.where(b.c.batch_no.ilike(like_pattern(str(filters["q"]))))
    return paginate(session, stmt.order_by(b.c.created_at.desc(), b.c.batch_no.desc()), page, page_size,
                    item)


def objection_page(session: Session, county: str | None, filters: Mapping[str, Any], page: Any, page_size: Any,
                   item: Callable[[Any], dict]) -> dict:
    """The county's objections, newest first; ``status``, ``batch_id``, ``application_id``, ``q``."""
    stmt = (select(objections, cases.c.application_no, cases.c.applicant_name)
            .join(cases, cases.c.application_id == objections.c.application_id)
            .where(objections.c.county == county))
    if filters.get("status"):
        stmt = stmt.where(objections.c.status == filters["status"])
    for key in ("batch_id", "application_id"):
        if filters.get(key):
            stmt = stmt.where(objections.c[key] == str(filters[key]))
    if filters.get("q"):
        pattern = like_pattern(str(filters["q"]))
        stmt = stmt.where(cases.c.applicant_name.ilike(pattern) | cases.c.application_no.ilike(pattern))
    return paginate(session, stmt.order_by(objections.c.lodged_at.desc(), objections.c.id), page, page_size,
                    item)


def public_page(session: Session, open_status: str, in_publicity: str, today: date, county: str | None, page: Any,
                page_size: Any, item: Callable[[Any], dict]) -> dict:
    """Applications in open batches whose last day is not before ``today``, names masked."""
    b = publicity_batches
    stmt = (select(cases.c.application_id, cases.c.application_no, cases.c.applicant_name, cases.c.unit_name,
                   cases.c.degree, cases.c.months, cases.c.amount_fen, cases.c.county,
                   b.c.batch_no, b.c.starts_on, b.c.ends_on)
            .join(b, b.c.id == cases.c.batch_id)
            .where(b.c.status == open_status, b.c.ends_on >= today, cases.c.status == in_publicity))
    if county:
        stmt = stmt.where(cases.c.county == county)
    return paginate(session, stmt.order_by(b.c.starts_on.desc(), b.c.batch_no, cases.c.application_no),
                    page, page_size, item)
