"""publicity_assessment's repositories: cases (one per application, its latest round), publicity
batches, objections and the publicity calendar (the cities' policies, the holiday schedule), built on the
unit of work's session (``tx.repository(CaseRepository)``). The unit tests hand in in-memory fakes with
the same methods. The paged lists build their statements here too (``page`` methods); the use cases check
the filters and show each row through the ``item`` they hand in."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import extract, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from publicity_assessment.adapters.orm import (
    calendar_days,
    calendar_years,
    cases,
    objections,
    publicity_batches,
    publicity_policies,
)
from publicity_assessment.domain.publicity import PENDING
from shared.db.repository import TableRepository
from shared.pagination import like_pattern, paginate


def pending_count(batch_id_column: Any) -> Any:
    """The number of a batch's objections still pending (a scalar subquery)."""
    return select(func.count()).where(objections.c.batch_id == batch_id_column,
                                      objections.c.status == PENDING).scalar_subquery()


class CaseRepository(TableRepository):
    table, key = cases, "application_id"

    def latest(self, *, application_id: str | None = None, application_no: str | None = None) -> Any:
        """The case of an application id, else of an application number (the newest one)."""
        column = cases.c.application_id if application_id else cases.c.application_no
        return self.session.execute(select(cases).where(column == (application_id or application_no))
                                    .order_by(cases.c.updated_at.desc())).mappings().first()

    def locked(self, ids: list[str]) -> dict[str, Any]:
        """The cases ``ids`` that exist, locked in id order (so two clerks never deadlock)."""
        return {r["application_id"]: r for r in self.session.execute(
            select(cases).where(cases.c.application_id.in_(ids))
            .order_by(cases.c.application_id).with_for_update()).mappings()}

    def add(self, application_id: str, values: dict) -> None:
        self.session.execute(insert(cases).values(application_id=application_id, **values))

    def in_batch(self, batch_id: str) -> list[Any]:
        """A batch's cases by application number."""
        return list(self.session.execute(select(cases).where(cases.c.batch_id == batch_id)
                                         .order_by(cases.c.application_no)).mappings())

    def locked_in_batch(self, batch_id: str, status: str) -> list[Any]:
        """The batch's cases still in ``status``, locked in id order."""
        return list(self.session.execute(select(cases).where(cases.c.batch_id == batch_id, cases.c.status == status)
                                         .order_by(cases.c.application_id).with_for_update()).mappings())

    def count_by_status(self, county: str | None) -> dict[str, int]:
        return dict(self.session.execute(select(cases.c.status, func.count()).where(cases.c.county == county)
                                         .group_by(cases.c.status)).tuples().all())

    def page(self, county: str | None, filters: Mapping[str, Any], page: Any, page_size: Any,
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
        return paginate(self.session, stmt.order_by(cases.c.received_at.desc(), cases.c.application_no), page,
                        page_size, item)


class BatchRepository(TableRepository):
    table = publicity_batches

    def add(self, values: dict) -> None:
        self.session.execute(insert(publicity_batches).values(**values))

    def numbers_taken(self, prefix: str) -> int:
        """How many batch numbers start with ``prefix``, under a transaction lock on the prefix so two
        clerks of one county starting batches at once never draw the same next number."""
        self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(prefix))))
        return self.session.execute(select(func.count()).where(
            publicity_batches.c.batch_no.like(prefix + "%"))).scalar_one()

    def pending_objections(self, batch_id: str) -> int:
        return self.session.execute(select(pending_count(batch_id))).scalar_one()

    def due_ids(self, open_status: str, today: date) -> list[str]:
        """Open batches whose last day is before ``today`` and with no objection pending, oldest first."""
        b = publicity_batches
        return list(self.session.execute(select(b.c.id).where(
            b.c.status == open_status, b.c.ends_on < today, pending_count(b.c.id) == 0)
            .order_by(b.c.ends_on, b.c.batch_no)).scalars())

    def page(self, county: str | None, filters: Mapping[str, Any], page: Any, page_size: Any,
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
        return paginate(self.session, stmt.order_by(b.c.created_at.desc(), b.c.batch_no.desc()), page, page_size,
                        item)

    def public_page(self, open_status: str, in_publicity: str, today: date, county: str | None, page: Any,
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
        return paginate(self.session, stmt.order_by(b.c.starts_on.desc(), b.c.batch_no, cases.c.application_no),
                        page, page_size, item)


class ObjectionRepository(TableRepository):
    table = objections

    def add(self, values: dict) -> None:
        self.session.execute(insert(objections).values(**values))

    def of_application(self, application_id: str) -> list[Any]:
        """The objections to an application, oldest first."""
        return list(self.session.execute(select(objections).where(objections.c.application_id == application_id)
                                         .order_by(objections.c.lodged_at)).mappings())

    def other_pending(self, application_id: str, except_id: str) -> list[Any]:
        """The application's other pending objections, locked."""
        return list(self.session.execute(select(objections).where(
            objections.c.application_id == application_id, objections.c.status == PENDING,
            objections.c.id != except_id).with_for_update()).mappings())

    def lodged_since(self, since: datetime, *, client_ip: str | None = None,
                     application_id: str | None = None) -> Sequence[datetime]:
        """When the objections after ``since`` were lodged (of that address and/or application)."""
        where = [objections.c.lodged_at > since]
        if client_ip is not None:
            where.append(objections.c.client_ip == client_ip)
        if application_id is not None:
            where.append(objections.c.application_id == application_id)
        return self.session.execute(select(objections.c.lodged_at).where(*where)).scalars().all()

    def serialise(self, key: str) -> None:
        """A transaction lock on ``key``: concurrent lodgings of one address or application are counted
        one after another."""
        self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "objection:" + key})

    def pending_in(self, county: str | None) -> int:
        return self.session.execute(select(func.count()).where(objections.c.county == county,
                                                               objections.c.status == PENDING)).scalar_one()

    def page(self, county: str | None, filters: Mapping[str, Any], page: Any, page_size: Any,
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
        return paginate(self.session, stmt.order_by(objections.c.lodged_at.desc(), objections.c.id), page, page_size,
                        item)


class CalendarRepository:
    """What a publicity period's end is computed from: the city's policy and the holiday schedule."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def policy(self, city: str) -> Any:
        return self.session.execute(select(publicity_policies).where(
            publicity_policies.c.city == city)).mappings().first()

    def overrides(self, after: date, days: int) -> dict[date, str]:
        """The schedule's entries after ``after`` and at most ``days`` later."""
        rows = self.session.execute(select(calendar_days.c.day, calendar_days.c.kind).where(
            calendar_days.c.day > after, calendar_days.c.day <= after + timedelta(days=days)))
        return {r.day: r.kind for r in rows}

    def known_years(self) -> set[int]:
        return set(self.session.execute(select(calendar_years.c.year)).scalars())

    def set_policy(self, city: str, days: int, counts_working_days: bool, now: datetime) -> None:
        self.session.execute(pg_insert(publicity_policies).values(
            city=city, days=days, counts_working_days=counts_working_days, updated_at=now,
        ).on_conflict_do_update(index_elements=["city"], set_={
            "days": days, "counts_working_days": counts_working_days, "updated_at": now}))

    def day(self, day: date) -> Any:
        return self.session.execute(select(calendar_days).where(calendar_days.c.day == day)).mappings().first()

    def set_day(self, day: date, kind: str, name: str) -> None:
        self.session.execute(pg_insert(calendar_days).values(day=day, kind=kind, name=name).on_conflict_do_update(
            index_elements=["day"], set_={"kind": kind, "name": name}))

    def days_of(self, year: int) -> list[Any]:
        """The schedule of ``year`` in date order."""
        return list(self.session.execute(select(calendar_days).where(extract("year", calendar_days.c.day) == year)
                                         .order_by(calendar_days.c.day)).mappings())

    def count_of(self, year: int, kind: str) -> int:
        return self.session.execute(select(func.count()).where(
            extract("year", calendar_days.c.day) == year, calendar_days.c.kind == kind)).scalar_one()

    def year(self, year: int, *, lock: bool = False) -> Any:
        """The confirmation of ``year``'s schedule, if any."""
        stmt = select(calendar_years).where(calendar_years.c.year == year)
        return self.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()

    def confirm_year(self, year: int, account_id: str | None, now: datetime) -> None:
        self.session.execute(pg_insert(calendar_years).values(
            year=year, confirmed_by=account_id, confirmed_at=now).on_conflict_do_nothing(index_elements=["year"]))
