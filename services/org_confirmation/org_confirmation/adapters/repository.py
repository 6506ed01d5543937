"""org_confirmation's repositories: cases (one per application, its latest round) and city batches,
built on the unit of work's session (``tx.repository(CaseRepository)``). The unit tests hand in
in-memory fakes with the same methods. The read side's pages (``page``, each row shown by ``views``) and
counters within the caller's jurisdiction are here too."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from org_confirmation import views
from org_confirmation.adapters.orm import cases, city_batches
from shared.auth.principal import Principal
from shared.db.engine import affected_rows
from shared.db.repository import TableRepository
from shared.jurisdiction import within
from shared.pagination import narrowed, paginate


def case_query() -> Select:
    """Cases with the number of the city batch they are in."""
    return select(cases, city_batches.c.batch_no.label("city_batch_no")).select_from(
        cases.outerjoin(city_batches, cases.c.city_batch_id == city_batches.c.id))


class CaseRepository(TableRepository):
    table, key = cases, "application_id"

    def get_shown(self, application_id: str) -> Any:
        """The case as a clerk sees it (with its city batch number)."""
        return self.session.execute(case_query().where(cases.c.application_id == application_id)).mappings().first()

    def shown(self, ids: Iterable[str]) -> list[Any]:
        """The cases ``ids`` as a clerk sees them, by county and application number."""
        return list(self.session.execute(case_query().where(cases.c.application_id.in_(list(ids)))
                                         .order_by(cases.c.county, cases.c.application_no)).mappings())

    def add(self, application_id: str, values: dict) -> bool:
        """Open a case; False when another delivery opened it first."""
        return bool(affected_rows(self.session.execute(pg_insert(cases).values(application_id=application_id,
                                                                               **values).on_conflict_do_nothing())))

    def locked(self, ids: list[str]) -> dict[str, Any]:
        """The cases ``ids`` that exist, locked in id order (so two clerks never deadlock)."""
        rows = self.session.execute(select(cases).where(cases.c.application_id.in_(ids))
                                    .order_by(cases.c.application_id).with_for_update()).mappings()
        return {r["application_id"]: r for r in rows}

    def locked_in_batch(self, batch_id: str, status: str) -> list[Any]:
        """The batch's cases still in ``status``, locked in id order."""
        return list(self.session.execute(select(cases).where(cases.c.city_batch_id == batch_id,
                                                             cases.c.status == status)
                                         .order_by(cases.c.application_id).with_for_update()).mappings())

    def page(self, principal: Principal, filters: Mapping[str, Any], page: Any, page_size: Any) -> dict:
        stmt = narrowed(case_query().where(within(principal, county=cases.c.county, city=cases.c.city)), filters,
                        equal={"status": cases.c.status, "county": cases.c.county,
                               "city_batch_id": cases.c.city_batch_id},
                        search=(cases.c.applicant_name, cases.c.application_no))
        return paginate(self.session, stmt.order_by(cases.c.received_at, cases.c.application_id), page, page_size,
                        lambda r: views.case(r._mapping))

    def count_in_status(self, principal: Principal, status: str) -> int:
        return int(self.session.execute(select(func.count()).select_from(cases).where(
            within(principal, county=cases.c.county, city=cases.c.city), cases.c.status == status)).scalar_one())


class BatchRepository(TableRepository):
    table = city_batches

    def add(self, values: dict) -> Any:
        return self.session.execute(city_batches.insert().values(**values).returning(city_batches)).mappings().one()

    def numbers_starting(self, prefix: str) -> list[str]:
        """The batch numbers starting with ``prefix``, under a transaction lock on the prefix so two
        simultaneous aggregations never draw the same next number."""
        self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(prefix))))
        return list(self.session.execute(select(city_batches.c.batch_no).where(
            city_batches.c.batch_no.like(prefix + "%"))).scalars())

    def page(self, principal: Principal, filters: Mapping[str, Any], page: Any, page_size: Any) -> dict:
        stmt = narrowed(select(city_batches).where(city_batches.c.city == principal.region), filters,
                        equal={"status": city_batches.c.status}, search=(city_batches.c.batch_no,))
        return paginate(self.session, stmt.order_by(city_batches.c.created_at.desc(), city_batches.c.id), page,
                        page_size, lambda r: views.batch(r._mapping))

    def waiting(self, principal: Principal, status: str) -> list[Any]:
        """The city, status and aggregation time of the caller's city batches in ``status`` (what a counter
        counts, with what its 其中超时 needs)."""
        stmt = select(city_batches.c.city, city_batches.c.status, city_batches.c.created_at).where(
            city_batches.c.city == principal.region, city_batches.c.status == status)
        return list(self.session.execute(stmt).mappings())
