"""unit_registry's repositories for the use cases of 个人注册 and its review: individuals (each with the
unit it belongs to), the units they choose, and the rounds of a review. Built on the unit of work's
session (``tx.repository(IndividualRepository)``); the unit tests hand in in-memory fakes."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from unit_registry.adapters.orm import individuals, review_history, units

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
        try:
            with self.session.begin_nested():
                self.session.execute(insert(individuals).values(**values))
        except IntegrityError:
            return False
        return True

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

    def of_unit_locked(self, unit_id: str | None, ids: Iterable[str] | None, status: str) -> list[Any]:
        """The unit's individuals ``ids`` (any status), or all of it in ``status``; oldest first, locked."""
        stmt = INDIVIDUAL.where(individuals.c.unit_id == unit_id)
        stmt = stmt.where(individuals.c.id.in_(set(ids))) if ids is not None else stmt.where(
            individuals.c.status == status)
        return list(self.session.execute(stmt.order_by(individuals.c.created_at, individuals.c.id)
                                         .with_for_update(of=individuals)).mappings())

    def counts_by_status(self, unit_id: str) -> dict[str, int]:
        return dict(self.session.execute(select(individuals.c.status, func.count()).where(
            individuals.c.unit_id == unit_id).group_by(individuals.c.status)).all())

    def unit(self, unit_id: str | None) -> Any:
        return self.session.execute(select(units).where(units.c.id == (unit_id or ""))).mappings().first()


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
