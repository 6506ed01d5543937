"""subsidy_review's repositories: the queries its use cases run, one small class per aggregate.
Each is built on the unit of work's session (``tx.repository(ApplicationRepository)``); the unit
tests hand in fakes with the same methods."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.db.engine import affected_rows
from shared.db.repository import TableRepository
from shared.jurisdiction import within
from shared.pagination import narrowed, page_params
from subsidy_review.adapters import waiting
from subsidy_review.adapters.orm import (
    applicants,
    application_windows,
    applications,
    counters,
    policies,
    timeline,
    units,
)


def visible_to(principal: Principal) -> Any:
    """Applications the caller may see: their own, their unit's, their county's or their city's."""
    return within(principal, county=applications.c.county, city=applications.c.city,
                  unit=applications.c.unit_id, account=applications.c.account_id)


#: what every application event says of an application (``views.app_ref``) and its timeline entry needs
REFERENCE = tuple(applications.c[name] for name in (
    "id", "application_no", "county", "city", "unit_id", "status", "applicant_name", "unit_name", "amount_fen",
    "round"))


class ApplicationRepository:
    """Applications, their numbers and their timeline entries."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, application_id: str, principal: Principal | None = None, *, lock: bool = False) -> Any:
        """The application if it exists (and ``principal`` may see it), else None; ``lock`` FOR UPDATE."""
        stmt = select(applications).where(applications.c.id == str(application_id))
        if principal is not None:
            stmt = stmt.where(visible_to(principal))
        return self.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()

    def active_number(self, individual_id: str, statuses: Iterable[str]) -> str | None:
        """The number of the individual's application in one of ``statuses`` (None: none)."""
        return self.session.execute(select(applications.c.application_no).where(
            applications.c.individual_id == individual_id, applications.c.status.in_(list(statuses)))).scalar()

    def periods_of(self, individual_id: str, statuses: Iterable[str], *, exclude: str | None = None) -> list[Any]:
        """The individual's applications in one of ``statuses`` (but ``exclude``): number, start, months."""
        stmt = select(applications.c.id, applications.c.application_no, applications.c.start_date,
                      applications.c.months).where(applications.c.individual_id == individual_id,
                                                   applications.c.status.in_(list(statuses)))
        if exclude is not None:
            stmt = stmt.where(applications.c.id != exclude)
        return list(self.session.execute(stmt.order_by(applications.c.start_date)).mappings())

    def get_many(self, application_ids: list[str], principal: Principal, *, lock: bool = False) -> dict[str, Any]:
        """What the events say (:data:`REFERENCE`) of the applications of ``application_ids`` that
        ``principal`` may see, by id (``lock``: FOR UPDATE, in id order, so two batches never wait on each
        other crosswise). Not the whole rows: their JSON columns would be decoded for nothing."""
        stmt = select(*REFERENCE).where(applications.c.id.in_([str(i) for i in application_ids]),
                                          visible_to(principal)).order_by(applications.c.id)
        return {r["id"]: r for r in self.session.execute(stmt.with_for_update() if lock else stmt).mappings()}

    def update_many(self, application_ids: list[str], values: dict) -> dict[str, Any]:
        """:meth:`update` of several applications with the same ``values``; returns what the events say
        of them (:data:`REFERENCE`) by id."""
        return {r["id"]: r for r in self.session.execute(
            update(applications).where(applications.c.id.in_(application_ids)).values(**values)
            .returning(*REFERENCE)).mappings()}

    def next_number(self, key: str) -> int:
        """The next value of the counter ``key`` (1 for a new one)."""
        stmt = pg_insert(counters).values(key=key, value=1)
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"value": counters.c.value + 1})
        return self.session.execute(stmt.returning(counters.c.value)).scalar_one()

    def add(self, values: dict) -> Any:
        return self.session.execute(applications.insert().values(**values).returning(applications)).mappings().one()

    def update(self, application_id: str, values: dict) -> Any:
        """Change the application and return it as it now is (one statement: UPDATE ... RETURNING). A new
        status is followed by its timeline entry in the same transaction, which recomputes
        ``waiting_since`` (adapters/waiting.py)."""
        return self.session.execute(update(applications).where(applications.c.id == application_id)
                                    .values(**values).returning(applications)).mappings().one()

    def correct_unfrozen_accounts(self, individual_id: str, statuses: frozenset[str], account: dict,
                                  at: Any) -> int:
        """The corrected ``account`` (stated ``at``) on the person's applications in ``statuses`` that
        still hold an earlier round's; an application without one takes it at its approval. How many."""
        return affected_rows(self.session.execute(
            update(applications).where(applications.c.individual_id == individual_id,
                                       applications.c.status.in_(sorted(statuses)),
                                       applications.c.bank_account.isnot(None))
            .values(bank_account=account, bank_account_at=at)))

    def pending_of_unit(self, unit_id: str, only: list[str] | None = None) -> list[str]:
        """The ids of the unit's applications waiting for its review (of ``only``, when given), oldest first."""
        stmt = select(applications.c.id).where(applications.c.unit_id == unit_id,
                                               applications.c.status == "pending_unit_review")
        if only:
            stmt = stmt.where(applications.c.id.in_(only))
        return [r.id for r in self.session.execute(stmt.order_by(applications.c.submitted_at))]

    def add_timeline_entry(self, entry: dict) -> None:
        """One entry of the application's path (an event seen twice is kept once); the application's
        ``waiting_since`` follows (adapters/waiting.py)."""
        self.session.execute(pg_insert(timeline).values(**entry).on_conflict_do_nothing(index_elements=["event_id"]))
        waiting.refresh(self.session, [entry["application_id"]])

    def add_timeline_entries(self, entries: list[dict]) -> None:
        """:meth:`add_timeline_entry` for many, in one statement (RETURNING: SQLAlchemy batches an executemany
        INSERT ... ON CONFLICT into multi-row VALUES only then; without it, one round trip per entry), and one
        for their ``waiting_since``."""
        if entries:
            self.session.execute(pg_insert(timeline).on_conflict_do_nothing(index_elements=["event_id"])
                                 .returning(timeline.c.id), entries).all()
            waiting.refresh(self.session, [e["application_id"] for e in entries])

    def page(self, principal: Principal, filters: dict, page: Any, page_size: Any,
             serialize: Callable[[Any], dict]) -> dict:
        """One page of the applications the caller may see, newest change first. In one statement the
        page's ids are found from the area's index alone (``ix_applications_<area>_status`` /
        ``_updated`` hold the order), then only those rows are read: a page deep in a city's list
        skipped 36,000 whole rows at 100,000 applications (issue 15)."""
        number, size = page_params(page, page_size)
        stmt = narrowed(select(applications.c.id, applications.c.updated_at).where(visible_to(principal)), filters,
                        equal={"unit_id": applications.c.unit_id, "county": applications.c.county,
                               "degree": applications.c.degree},
                        one_of={"status": applications.c.status},
                        search=(applications.c.applicant_name, applications.c.id_number, applications.c.application_no))
        total = self.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
        ids = stmt.order_by(applications.c.updated_at.desc(), applications.c.id) \
            .offset((number - 1) * size).limit(size).subquery()
        rows = self.session.execute(select(applications).join(ids, ids.c.id == applications.c.id)
                                    .order_by(ids.c.updated_at.desc(), ids.c.id))
        return {"items": [serialize(r._mapping) for r in rows], "total": total, "page": number, "page_size": size}

    def timeline_of(self, application_id: str) -> list[dict]:
        """The application's timeline entries, oldest first."""
        stmt = select(timeline).where(timeline.c.application_id == application_id)
        return [dict(r) for r in self.session.execute(stmt.order_by(timeline.c.at, timeline.c.id)).mappings()]

    def count_in_status(self, principal: Principal, statuses: list[str]) -> int:
        """How many applications the caller may see are in one of ``statuses``."""
        return self.session.execute(select(func.count()).select_from(applications).where(
            visible_to(principal), applications.c.status.in_(statuses))).scalar_one()

    def totals_by_status(self, principal: Principal, county: str | None) -> list[Any]:
        """(status, count, amount_fen) of the applications the caller may see: a row per status, summed in
        the database (a city's 100,000 applications were a row per status and unit, ~1,000, added up in
        Python on every request); index only (``ix_applications_<area>_totals``)."""
        stmt = (select(applications.c.status, func.count().label("count"),
                       func.coalesce(func.sum(applications.c.amount_fen), 0).label("amount_fen"))
                .where(visible_to(principal)).group_by(applications.c.status))
        if county:
            stmt = stmt.where(applications.c.county == county)
        return list(self.session.execute(stmt).all())


class ApplicantRepository(TableRepository):
    """The copies of unit_registry's individuals and units this service keeps."""

    table = applicants
    key = "individual_id"

    def by_account(self, account_id: str, *, lock: bool = False) -> Any:
        """The applicant of ``account_id``; ``lock`` FOR UPDATE: one person's submissions and approvals
        then run one after the other, so two of them cannot both pass the allowance check."""
        stmt = select(applicants).where(applicants.c.account_id == account_id)
        return self.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()

    def by_individual(self, individual_id: str, *, lock: bool = False) -> Any:
        return self.get(individual_id, lock=lock)

    def put(self, individual_id: str, values: dict) -> None:
        self.session.execute(pg_insert(applicants).values(individual_id=individual_id, **values)
                             .on_conflict_do_update(index_elements=["individual_id"], set_=values))

    def unit(self, unit_id: str) -> Any:
        return self.session.execute(select(units).where(units.c.id == unit_id)).mappings().first()

    def put_unit(self, unit_id: str, values: dict) -> None:
        self.session.execute(pg_insert(units).values(id=unit_id, **values)
                             .on_conflict_do_update(index_elements=["id"], set_=values))


class PolicyRepository(TableRepository):
    """Each city's subsidy standards (policy numbers are data)."""

    table = policies
    key = "city"

    def put(self, city: str, values: dict) -> None:
        self.session.execute(pg_insert(policies).values(city=city, **values)
                             .on_conflict_do_update(index_elements=["city"], set_=values))


class WindowRepository(TableRepository):
    """Each city's 申报期 (application windows) with their graduation ranges."""

    table = application_windows

    def of_city(self, city: str, *, active_only: bool = True, lock: bool = False) -> list[Any]:
        stmt = select(application_windows).where(application_windows.c.city == city)
        if active_only:
            stmt = stmt.where(application_windows.c.status == "active")
        stmt = stmt.order_by(application_windows.c.opens_on, application_windows.c.created_at)
        return list(self.session.execute(stmt.with_for_update() if lock else stmt).mappings())

    def add(self, values: dict) -> Any:
        return self.session.execute(application_windows.insert().values(**values)
                                    .returning(application_windows)).mappings().one()

    def lock_city(self, city: str) -> None:
        """Serialise the admin's changes to one city's windows (the overlap check reads them all)."""
        self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"windows:{city}"))))
