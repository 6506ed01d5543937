"""unit_registry's repositories: individuals (each with the unit it belongs to), units and their change
requests, and the rounds of a review. Built on the unit of work's session
(``tx.repository(IndividualRepository)``); the unit tests hand in in-memory fakes. The read side's pages
(``page``, each row shown by ``views``) and counters within the caller's jurisdiction are here too."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from shared import regions
from shared.auth.principal import Principal
from shared.auth.roles import Role
from shared.db.repository import TableRepository, unless_conflict
from shared.jurisdiction import area_of
from shared.pagination import narrowed, paginate
from unit_registry import views
from unit_registry.adapters.orm import individuals, review_history, unit_changes, units
from unit_registry.domain.statuses import APPROVED, PENDING

# an individual with the unit it belongs to: the county of the unit's 主管部门 is the individual's jurisdiction
# (normally the county of its 行政区划; where they differ, the 主管部门 decides who reviews its people)
INDIVIDUAL = (select(individuals, units.c.name.label("unit_name"), units.c.supervisor_region.label("region"))
              .join(units, units.c.id == individuals.c.unit_id))


class IndividualRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _one(self, *conditions: Any, lock: bool) -> Any:
        stmt = INDIVIDUAL.where(*conditions)
        return self.session.execute(stmt.with_for_update(of=individuals) if lock else stmt).mappings().first()

    def get(self, individual_id: str, *, lock: bool = False) -> Any:
        return self._one(individuals.c.id == str(individual_id), lock=lock)

    def of_account(self, account_id: str, *, lock: bool = False) -> Any:
        return self._one(individuals.c.account_id == account_id, lock=lock)

    def exists(self, individual_id: str) -> bool:
        return self.session.execute(select(individuals.c.id).where(individuals.c.id == individual_id)).first() \
            is not None

    def id_number_used(self, id_type: str, id_number: str, *, except_id: str | None = None) -> bool:
        stmt = select(individuals.c.id).where(individuals.c.id_type == id_type, individuals.c.id_number == id_number)
        if except_id:
            stmt = stmt.where(individuals.c.id != except_id)
        return self.session.execute(stmt).first() is not None

    def add(self, values: dict) -> bool:
        """Insert an individual; False when a concurrent twin (same ID number) got there first."""
        return unless_conflict(self.session, lambda: self.session.execute(insert(individuals).values(**values)))

    def update(self, row: Any, values: dict) -> dict:
        """Change the individual and return it as it now is, its unit's name and region kept (one
        statement: UPDATE ... RETURNING)."""
        after = self.session.execute(update(individuals).where(individuals.c.id == row["id"]).values(**values)
                                     .returning(individuals)).mappings().one()
        return {**after, "unit_name": row["unit_name"], "region": row["region"]}

    def update_many(self, rows: list[Any], values: dict) -> dict[str, dict]:
        """:meth:`update` of several individuals with the same ``values``, by id."""
        kept = {row["id"]: row for row in rows}
        changed = self.session.execute(update(individuals).where(individuals.c.id.in_(list(kept))).values(**values)
                                       .returning(individuals)).mappings()
        return {r["id"]: {**r, "unit_name": kept[r["id"]]["unit_name"], "region": kept[r["id"]]["region"]}
                for r in changed}

    def lock_of_unit(self, unit_id: str | None, ids: Iterable[str] | None, status: str) -> list[tuple[str, str]]:
        """(id, status) of the unit's individuals ``ids`` (any status), or of all of it in ``status``; oldest
        first, locked. Only the ids: their content is read later a slice at a time (:meth:`many`), so a
        click on 10,000 does not hold 10,000 rows at once."""
        stmt = select(individuals.c.id, individuals.c.status).where(individuals.c.unit_id == unit_id)
        stmt = stmt.where(individuals.c.id.in_(set(ids))) if ids is not None else stmt.where(
            individuals.c.status == status)
        return [(r.id, r.status) for r in self.session.execute(
            stmt.order_by(individuals.c.created_at, individuals.c.id).with_for_update())]

    def many(self, ids: list[str]) -> list[Any]:
        """The individuals ``ids`` with their unit's name and region, in the order of ``ids``."""
        found = {r["id"]: r for r in self.session.execute(INDIVIDUAL.where(individuals.c.id.in_(ids))).mappings()}
        return [found[i] for i in ids if i in found]

    def counts_by_status(self, unit_id: str) -> dict[str, int]:
        return dict(self.session.execute(select(individuals.c.status, func.count()).where(
            individuals.c.unit_id == unit_id).group_by(individuals.c.status)).all())

    def unit(self, unit_id: str | None) -> Any:
        return self.session.execute(select(units).where(units.c.id == (unit_id or ""))).mappings().first()

    def accept_terms(self, individual_id: str, version: str, at: datetime) -> None:
        """Keep the version of the 用户须知 the individual accepted, and when."""
        self.session.execute(update(individuals).where(individuals.c.id == individual_id).values(
            terms_version=version, terms_accepted_at=at))

    def page(self, principal: Principal, filters: Mapping[str, Any], page: Any,
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
        return paginate(self.session, stmt, page, page_size, lambda r: views.individual_view(r._mapping, full=False))

    def count_of_unit(self, unit_id: str | None, status: str) -> int:
        return self.session.execute(select(func.count()).select_from(individuals).where(
            individuals.c.unit_id == unit_id, individuals.c.status == status)).scalar_one()


class UnitRepository(TableRepository):
    """Units (单位注册 and its review, 单位信息管理)."""

    table = units

    def one(self, unit_id: str) -> Any:
        """The unit ``unit_id``, which must exist (a reload after a change)."""
        return self.session.execute(select(units).where(units.c.id == unit_id)).mappings().one()

    def exists(self, unit_id: str) -> bool:
        return self.session.execute(select(units.c.id).where(units.c.id == unit_id)).first() is not None

    def uscc_taken(self, uscc: str, *, except_unit: str | None = None) -> bool:
        """Whether another unit holds ``uscc``, or asks for it in a change still pending."""
        stmt = select(units.c.id).where(units.c.uscc == uscc)
        pending = select(unit_changes.c.id).where(unit_changes.c.status == PENDING,
                                                  unit_changes.c.after["uscc"].astext == uscc)
        if except_unit:
            stmt = stmt.where(units.c.id != except_unit)
            pending = pending.where(unit_changes.c.unit_id != except_unit)
        return self.session.execute(stmt).first() is not None or self.session.execute(pending).first() is not None

    def add(self, values: dict) -> bool:
        """Insert a unit; False when a concurrent registration took its USCC first."""
        return unless_conflict(self.session, lambda: self.session.execute(insert(units).values(**values)))

    def update_unique(self, unit_id: str, values: dict) -> bool:
        """:meth:`update` that may change the USCC; False (nothing changed) when another unit took it first."""
        return unless_conflict(self.session, lambda: self.update(unit_id, values))

    def count_in(self, supervisor_region: str | None, status: str) -> int:
        return self.session.execute(select(func.count()).select_from(units).where(
            units.c.supervisor_region == supervisor_region, units.c.status == status)).scalar_one()

    def page(self, principal: Principal, filters: Mapping[str, Any], page: Any, page_size: Any) -> dict:
        """Units whose 主管部门 is the officer's county (or a county of its city)."""
        stmt = narrowed(select(units).where(units.c.supervisor_region.in_(area_of(principal))), filters,
                        equal={"status": units.c.status, "region": units.c.region}, search=(units.c.name, units.c.uscc))
        stmt = stmt.order_by(units.c.created_at.desc(), units.c.id)
        return paginate(self.session, stmt, page, page_size, lambda r: views.unit_view(r._mapping, full=False))

    def approved_page(self, region: str | None, q: str | None, page: Any, page_size: Any) -> dict:
        """Approved units a graduate may choose: in a county, or a whole city (``region`` already checked)."""
        stmt = select(units.c.id, units.c.name, units.c.region).where(units.c.status == APPROVED)
        if region:
            stmt = stmt.where(units.c.region.in_({region, *(r.code for r in regions.counties_of(region))}))
        stmt = narrowed(stmt, {"q": q}, search=(units.c.name,))
        stmt = stmt.order_by(units.c.region, units.c.name, units.c.id)
        return paginate(self.session, stmt, page, page_size, lambda r: views.public_unit_view(r._mapping))


class UnitChangeRepository(TableRepository):
    """Change requests of a unit's name, USCC or region (单位信息管理), reviewed by its county."""

    table = unit_changes

    def add(self, values: dict) -> None:
        self.session.execute(insert(unit_changes).values(**values))

    def pending_of(self, unit_id: str) -> bool:
        """Whether the unit has a change request waiting for review."""
        return self.session.execute(select(unit_changes.c.id).where(
            unit_changes.c.unit_id == unit_id, unit_changes.c.status == PENDING)).first() is not None

    def of_unit(self, unit_id: str) -> list[Any]:
        """The unit's change requests, newest first."""
        return list(self.session.execute(select(unit_changes).where(unit_changes.c.unit_id == unit_id)
                                         .order_by(unit_changes.c.created_at.desc())).mappings().all())

    def count_in(self, supervisor_region: str | None, status: str) -> int:
        return self.session.execute(select(func.count()).select_from(unit_changes).where(
            unit_changes.c.supervisor_region == supervisor_region, unit_changes.c.status == status)).scalar_one()

    def page(self, principal: Principal, filters: Mapping[str, Any], page: Any, page_size: Any) -> dict:
        """Change requests: the clerk's own unit's, or those the officer reviews; ``status`` and ``q``
        (unit name or USCC), the status already checked."""
        stmt = (select(unit_changes, units.c.name.label("unit_name"), units.c.uscc.label("unit_uscc"))
                .join(units, units.c.id == unit_changes.c.unit_id))
        if principal.role == Role.UNIT_ADMIN:
            stmt = stmt.where(unit_changes.c.unit_id == principal.unit_id)
        else:
            stmt = stmt.where(unit_changes.c.supervisor_region.in_(area_of(principal)))
        stmt = narrowed(stmt, filters, equal={"status": unit_changes.c.status}, search=(units.c.name, units.c.uscc))
        stmt = stmt.order_by(unit_changes.c.created_at.desc(), unit_changes.c.id)
        return paginate(self.session, stmt, page, page_size, lambda r: views.change_view(r._mapping))


class ReviewHistoryRepository:
    """Every round of a review (submissions, returns, approvals) of units, changes and individuals."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, values: dict) -> None:
        self.session.execute(insert(review_history).values(**values))

    def add_many(self, rows: list[dict]) -> None:
        if rows:
            self.session.execute(insert(review_history), rows)

    def of(self, subject_type: str, subject_ids: list[str]) -> list[Any]:
        return list(self.session.execute(select(review_history).where(
            review_history.c.subject_type == subject_type, review_history.c.subject_id.in_(subject_ids))
            .order_by(review_history.c.at, review_history.c.id)).mappings())
