"""Employees: the roster, their changes, the ledger and the level tables."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import distinct, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import (
    employee_changes,
    employees,
    employers,
    ledger,
    level_tables,
    levels,
)
from housing_fund.adapters.repository.common import View, _own_or_area, _page
from shared.db.repository import TableRepository
from shared.jobs import JobRepository as JobRepository  # the use cases' job reads, as every service's
from shared.pagination import narrowed


class EmployeeRepository(TableRepository):
    table = employees

    def holders(self, id_numbers: list[str]) -> dict[str, str]:
        """证件号码 -> employer of those of ``id_numbers`` someone holds (one query: callers chunk)."""
        return dict(self.session.execute(select(employees.c.id_number, employees.c.employer_id).where(
            employees.c.id_number.in_(id_numbers))).all())

    def add_many(self, rows: list[dict]) -> None:
        """Employees at once (executemany)."""
        self.session.execute(insert(employees), rows)

    def add_changes(self, rows: list[dict]) -> None:
        """Rows of the employees' 变更记录 at once (executemany)."""
        self.session.execute(insert(employee_changes), rows)

    def mark_checked(self, employer_id: str, at: Any) -> None:
        """The employer's employees not checked yet count as checked at ``at``."""
        self.session.execute(update(employees).where(employees.c.employer_id == employer_id,
                                                     employees.c.checked_at.is_(None)).values(checked_at=at))

    def count_of(self, employer_id: str) -> int:
        """How many employees the employer's roster holds (any status)."""
        return int(self.session.execute(select(func.count()).select_from(employees).where(
            employees.c.employer_id == employer_id)).scalar_one())

    def holder_of(self, id_number: str) -> str | None:
        """The employer of the employee with this 证件号码, if anyone holds it."""
        return self.session.execute(select(employees.c.employer_id).where(
            employees.c.id_number == id_number)).scalar_one_or_none()

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(employees).values(**values))

    def locked(self, ids: Iterable[str]) -> dict[str, Any]:
        """The employees ``ids`` by id, locked (in id order, so two batches never deadlock)."""
        return {r["id"]: r for r in self.session.execute(
            select(employees).where(employees.c.id.in_(list(ids))).order_by(employees.c.id).with_for_update())
            .mappings()}

    def link_account(self, employee_id: str, account_id: str, at: Any) -> None:
        self.session.execute(update(employees).where(employees.c.id == employee_id,
                                                     employees.c.account_id.is_distinct_from(account_id))
                             .values(account_id=account_id, updated_at=at))

    def id_number_taken(self, id_number: str, *, except_id: str) -> bool:
        """Whether another employee holds the 证件号码."""
        return self.session.execute(select(employees.c.id).where(employees.c.id_number == id_number,
                                                                 employees.c.id != except_id)).first() is not None

    def change_pending(self, employee_id: str) -> bool:
        """Whether a change of the employee waits for the bureau."""
        return self.session.execute(select(employee_changes.c.id).where(
            employee_changes.c.employee_id == employee_id, employee_changes.c.status == "pending")).first() is not None

    def change(self, change_id: str, *, lock: bool = False) -> Any:
        stmt = select(employee_changes).where(employee_changes.c.id == change_id)
        return self.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()

    def update_change(self, change_id: str, values: Mapping[str, Any]) -> None:
        self.session.execute(update(employee_changes).where(employee_changes.c.id == change_id).values(**values))

    def add_change(self, values: Mapping[str, Any]) -> None:
        """A row of the employee's 变更记录."""
        self.session.execute(insert(employee_changes).values(**values))

    def counts_by_status(self, employer_id: str) -> dict[str, int]:
        """How many of the employer's employees are in each status."""
        return {status: int(n) for status, n in self.session.execute(
            select(employees.c.status, func.count()).where(employees.c.employer_id == employer_id)
            .group_by(employees.c.status))}

    def monthly_total(self, employer_id: str) -> int:
        """The monthly amounts of the employer's employees in status 01 (正常), summed."""
        return int(self.session.execute(select(func.coalesce(func.sum(employees.c.monthly_fen), 0)).where(
            employees.c.employer_id == employer_id, employees.c.status == "01")).scalar_one())

    def active_of(self, employer_id: str) -> list[Any]:
        """The employer's employees in status 01 (正常), by name."""
        return list(self.session.execute(select(employees).where(employees.c.employer_id == employer_id,
                                                                 employees.c.status == "01")
                                         .order_by(employees.c.name, employees.c.id)).mappings())

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        return dict(self.session.execute(select(employees.c.id, employees.c.name)
                                         .where(employees.c.id.in_(list(ids)))).all())

    def of_employer(self, ids: Iterable[str], employer_id: str) -> set[str]:
        """Which of ``ids`` are on the employer's roster."""
        return set(self.session.execute(select(employees.c.id).where(
            employees.c.id.in_(list(ids)), employees.c.employer_id == employer_id)).scalars())

    def changes(self, employee_id: str) -> list[Any]:
        return list(self.session.execute(select(employee_changes).where(employee_changes.c.employee_id == employee_id)
                                         .order_by(employee_changes.c.at, employee_changes.c.id)).mappings())

    def page(self, employer_id: str, filters: dict, page: Any, page_size: Any, view: View) -> dict:
        """The employer's roster, oldest account first; ``filters`` status and q (name or 证件号码)."""
        stmt = narrowed(select(employees).where(employees.c.employer_id == employer_id), filters,
                        equal={"status": employees.c.status}, search=(employees.c.name, employees.c.id_number))
        return _page(self.session, stmt.order_by(employees.c.opened_at, employees.c.id), page, page_size, view)

    def changes_page(self, employer_id: str | None, area: list[str], filters: dict, page: Any, page_size: Any,
                     view: View) -> dict:
        """职工信息变更 (kind change) with the employee's name and 证件号码 and the employer's name, newest
        first: the employer's own or ``area``'s; ``filters`` status and q (name or 证件号码)."""
        stmt = (select(employee_changes, employees.c.name, employees.c.id_number,
                       employers.c.name.label("employer_name"))
                .join(employees, employees.c.id == employee_changes.c.employee_id)
                .join(employers, employers.c.id == employee_changes.c.employer_id)
                .where(employee_changes.c.kind == "change",
                       _own_or_area(employee_changes.c.employer_id, employee_changes.c.region, employer_id, area)))
        stmt = narrowed(stmt, filters, equal={"status": employee_changes.c.status},
                        search=(employees.c.name, employees.c.id_number))
        return _page(self.session, stmt.order_by(employee_changes.c.at.desc()), page, page_size, view)

    def levels_held(self, regions: Iterable[str], statuses: Iterable[str], *, outside: list[str]) -> list[tuple]:
        """(region, level) of the employees in ``regions`` and ``statuses`` whose level is not in ``outside``."""
        return [(r, level) for r, level in self.session.execute(select(distinct(employees.c.region), employees.c.level)
                                                                .where(employees.c.region.in_(list(regions)),
                                                                       employees.c.status.in_(list(statuses)),
                                                                       employees.c.level.notin_(outside)))]

    def pending_change_count(self, regions: Iterable[str]) -> int:
        """How many 职工信息变更 in ``regions`` wait for the bureau."""
        return int(self.session.execute(select(func.count()).where(
            employee_changes.c.region.in_(list(regions)), employee_changes.c.status == "pending")).scalar_one())


class LedgerRepository:
    """The append-only ledger (个人明细账)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(ledger).values(**values))

    def balance(self, employee_id: str, employer_id: str | None = None) -> tuple[int, int]:
        """(periods, fen) of the employee over every employer, or booked at ``employer_id``."""
        stmt = select(func.coalesce(func.sum(ledger.c.periods), 0),
                      func.coalesce(func.sum(ledger.c.amount_fen), 0)).where(ledger.c.employee_id == employee_id)
        if employer_id is not None:
            stmt = stmt.where(ledger.c.employer_id == employer_id)
        periods, fen = self.session.execute(stmt).one()
        return int(periods), int(fen)

    def balances(self, employee_ids: list[str]) -> dict[str, tuple[int, int]]:
        """(periods, fen) by employee, of those with any entry."""
        rows = self.session.execute(select(ledger.c.employee_id, func.sum(ledger.c.periods),
                                           func.sum(ledger.c.amount_fen))
                                    .where(ledger.c.employee_id.in_(employee_ids)).group_by(ledger.c.employee_id))
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}

    def add_many(self, rows: list[dict]) -> None:
        if rows:
            self.session.execute(insert(ledger), rows)

    def booked_at(self, employer_id: str) -> int:
        """Everything booked at the employer, in fen."""
        return int(self.session.execute(select(func.coalesce(func.sum(ledger.c.amount_fen), 0)).where(
            ledger.c.employer_id == employer_id)).scalar_one())

    def remitted(self, employer_id: str, employee_ids: list[str]) -> set[str]:
        """Which of the employees have a 汇缴/补缴 entry at this employer."""
        if not employee_ids:
            return set()
        return set(self.session.execute(select(ledger.c.employee_id).where(
            ledger.c.employer_id == employer_id, ledger.c.employee_id.in_(employee_ids),
            ledger.c.business_code.in_(("01", "02"))).distinct()).scalars())

    def first_paid(self, employee_ids: list[str], months: list[str]) -> tuple[str, str] | None:
        """(employee, month) of a 汇缴/补缴 already credited for one of the employees in one of the months."""
        found = self.session.execute(select(ledger.c.employee_id, ledger.c.month).where(
            ledger.c.employee_id.in_(employee_ids), ledger.c.month.in_(months),
            ledger.c.business_code.in_(("01", "02")), ledger.c.amount_fen > 0)).first()
        return (found[0], found[1]) if found else None

    def entries(self, employee_id: str) -> list[Any]:
        return list(self.session.execute(select(ledger).where(ledger.c.employee_id == employee_id)
                                         .order_by(ledger.c.seq)).mappings())


class LevelRepository:
    """The bureaus' level tables: edited ones from a month on, else the seeded rows."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def edited(self, bureau: str, month: str) -> list[dict] | None:
        """The entries of the bureau's newest edited table whose month has come, or None."""
        return self.session.execute(select(level_tables.c.entries).where(
            level_tables.c.bureau == bureau, level_tables.c.effective_month <= month)
            .order_by(level_tables.c.effective_month.desc()).limit(1)).scalar()

    def seeded(self, bureau: str) -> list[Any]:
        return list(self.session.execute(select(levels).where(levels.c.bureau == bureau, levels.c.active.is_(True))
                                         .order_by(levels.c.sort, levels.c.code)).mappings())

    def editions(self, bureau: str) -> list[Any]:
        """The bureau's edited tables, the newest effective month first."""
        return list(self.session.execute(select(level_tables).where(level_tables.c.bureau == bureau)
                                         .order_by(level_tables.c.effective_month.desc())).mappings())

    def edition(self, bureau: str, month: str) -> list[dict] | None:
        """The entries of the bureau's table edited for exactly ``month``, or None."""
        return self.session.execute(select(level_tables.c.entries).where(
            level_tables.c.bureau == bureau, level_tables.c.effective_month == month)).scalar()

    def keep_edition(self, bureau: str, month: str, values: Mapping[str, Any]) -> None:
        """The bureau's table from ``month`` on (entries, reason, by whom, when), replacing that month's."""
        self.session.execute(pg_insert(level_tables).values(bureau=bureau, effective_month=month, **values)
                             .on_conflict_do_update(index_elements=["bureau", "effective_month"], set_=values))
