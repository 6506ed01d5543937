"""housing_fund's repositories, one a aggregate: employers (with their registration rounds), employees
(with their 变更记录), the ledger, level tables, transfers, withdrawals, remittances (with their reminders
and the bureaus' receiving accounts), bank statements, import runs, jobs and the attachment records.
Built on the unit of work's session (``tx.repository(EmployeeRepository)``); the unit tests hand in
in-memory fakes with the same methods (``services/housing_fund/tests/unit/conftest.py``). The paged lists
build their statements here too (``page`` methods); the use cases check the filters and shape each row."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import DateTime, case, delete, distinct, exists, func, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import (
    attachments,
    backfills,
    bank_lines,
    bank_statements,
    employee_changes,
    employees,
    employer_changes,
    employer_rounds,
    employers,
    import_runs,
    ledger,
    level_tables,
    levels,
    receiving_accounts,
    remit_overrides,
    remittance_holds,
    remittance_lines,
    remittance_reminders,
    remittance_rounds,
    remittances,
    transfers,
    withdrawals,
)
from housing_fund.domain import remittances as remittance_rules
from shared import attachment_records
from shared.db.engine import affected_rows
from shared.db.repository import TableRepository
from shared.jobs import JobRepository as JobRepository  # the use cases' job reads, as every service's
from shared.pagination import narrowed, paginate
from shared.service import Tx

View = Callable[[Any], Any]


def _page(session: Any, stmt: Any, page: Any, page_size: Any, view: View) -> dict:
    """A page of ``stmt``'s rows, each shown by ``view`` (given the row as a mapping)."""
    return paginate(session, stmt, page, page_size, lambda r: view(r._mapping))


def _own_or_area(column_employer: Any, column_region: Any, employer_id: str | None, area: list[str]) -> Any:
    """The rows of ``employer_id`` (an employer's own), else those of the bureau's ``area``."""
    return column_employer == employer_id if employer_id is not None else column_region.in_(area)


class EmployerRepository(TableRepository):
    table = employers

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(employers).values(**values))

    def registered_as(self, uscc: str, org_code: str, *, except_id: str) -> bool:
        """Whether another employer holds the 统一社会信用代码 or its 组织机构代码."""
        return self.session.execute(select(employers.c.id).where(
            or_(employers.c.uscc == uscc, employers.c.org_code == org_code), employers.c.id != except_id)
        ).first() is not None

    def with_uscc(self, uscc: str) -> Any:
        """The employer holding the 统一社会信用代码, or None."""
        return self.session.execute(select(employers).where(employers.c.uscc == uscc)).mappings().first()

    def trade_code_taken(self, code: str) -> bool:
        return self.session.execute(select(employers.c.id).where(employers.c.trade_code == code)).first() is not None

    def registered_by(self, mobile: str) -> list[Any]:
        """The registrations with this contact mobile, newest first."""
        return list(self.session.execute(select(employers).where(
            employers.c.contact_mobile == mobile, employers.c.source == "registered")
            .order_by(employers.c.created_at.desc())).mappings())

    def top_trade_code(self) -> str | None:
        """The highest trade code given so far, under a lock held until the transaction ends (two
        officers approving at once would otherwise draw the same code)."""
        self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext("housing_fund.trade_code"))))
        return self.session.execute(select(func.max(employers.c.trade_code))).scalar_one()

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        wanted = set(ids)
        if not wanted:
            return {}
        return dict(self.session.execute(select(employers.c.id, employers.c.name)
                                         .where(employers.c.id.in_(wanted))).all())

    def change_pending(self, employer_id: str) -> bool:
        """Whether a 单位信息变更 of the employer waits for the bureau."""
        return self.session.execute(select(employer_changes.c.id).where(
            employer_changes.c.employer_id == employer_id, employer_changes.c.status == "pending")).first() is not None

    def add_change(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(employer_changes).values(**values))

    def changes(self, employer_id: str) -> list[Any]:
        """The employer's 单位变更记录, newest first."""
        return list(self.session.execute(select(employer_changes).where(employer_changes.c.employer_id == employer_id)
                                         .order_by(employer_changes.c.submitted_at.desc())).mappings())

    def change(self, change_id: str, *, lock: bool = False) -> Any:
        stmt = select(employer_changes).where(employer_changes.c.id == change_id)
        return self.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()

    def update_change(self, change_id: str, values: Mapping[str, Any]) -> None:
        self.session.execute(update(employer_changes).where(employer_changes.c.id == change_id).values(**values))

    def add_round(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(employer_rounds).values(**values))

    def decide_round(self, employer_id: str, round_: int, values: Mapping[str, Any]) -> None:
        self.session.execute(update(employer_rounds).where(employer_rounds.c.employer_id == employer_id,
                                                           employer_rounds.c.round == round_).values(**values))

    def rounds(self, employer_id: str) -> list[Any]:
        return list(self.session.execute(select(employer_rounds).where(employer_rounds.c.employer_id == employer_id)
                                         .order_by(employer_rounds.c.round)).mappings())

    def page(self, area: list[str], filters: dict, page: Any, page_size: Any, view: View) -> dict:
        """Employers in ``area``, newest first; ``filters`` (checked) status, review_status, region and q
        (name, org code or trade code)."""
        stmt = narrowed(select(employers).where(employers.c.region.in_(area)), filters,
                        equal={"status": employers.c.status, "review_status": employers.c.review_status,
                               "region": employers.c.region},
                        search=(employers.c.name, employers.c.org_code, employers.c.trade_code))
        return _page(self.session, stmt.order_by(employers.c.created_at.desc(), employers.c.id), page, page_size,
                     view)

    def receiving_page(self, except_id: str, q: Any, page: Any, page_size: Any, view: View) -> dict:
        """Approved employers in status 正常 or 缓缴 other than ``except_id``, by name; ``q`` name or org code."""
        stmt = select(employers.c.id, employers.c.name, employers.c.org_code, employers.c.region,
                      employers.c.status).where(employers.c.review_status == "approved",
                                                employers.c.status.in_(("01", "03")), employers.c.id != except_id)
        stmt = narrowed(stmt, {"q": q}, search=(employers.c.name, employers.c.org_code))
        return _page(self.session, stmt.order_by(employers.c.name, employers.c.id), page, page_size, view)

    def changes_page(self, employer_id: str | None, area: list[str], filters: dict, page: Any, page_size: Any,
                     view: View) -> dict:
        """单位信息变更 with the employer's name, newest first: the employer's own or ``area``'s; ``status``."""
        stmt = select(employer_changes, employers.c.name.label("employer_name")).join(
            employers, employers.c.id == employer_changes.c.employer_id).where(
            _own_or_area(employer_changes.c.employer_id, employer_changes.c.region, employer_id, area))
        stmt = narrowed(stmt, filters, equal={"status": employer_changes.c.status})
        return _page(self.session, stmt.order_by(employer_changes.c.submitted_at.desc()), page, page_size, view)

    def pending_review_count(self, regions: Iterable[str]) -> int:
        """How many registrations in ``regions`` wait for the bureau's review."""
        return int(self.session.execute(select(func.count()).where(
            employers.c.region.in_(list(regions)), employers.c.review_status == "pending")).scalar_one())

    def pending_change_count(self, regions: Iterable[str]) -> int:
        """How many 单位信息变更 in ``regions`` wait for the bureau."""
        return int(self.session.execute(select(func.count()).where(
            employer_changes.c.region.in_(list(regions)), employer_changes.c.status == "pending")).scalar_one())


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


class TransferRepository(TableRepository):
    table = transfers

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(transfers).values(**values))

    def pending_of(self, employee_ids: Iterable[str]) -> set[str]:
        """Which of the employees have a transfer waiting for its 审阅."""
        return set(self.session.execute(select(transfers.c.employee_id).where(
            transfers.c.employee_id.in_(list(employee_ids)), transfers.c.status == "pending")).scalars())

    def page(self, mine: str, direction: str | None, filters: dict, page: Any, page_size: Any,
             view: View) -> dict:
        """The transfers into (``direction`` in), out of (out) or either way of the employer ``mine``, with
        the employee's name, 证件号码, level and amount, newest first; ``status``."""
        stmt = select(transfers, employees.c.name, employees.c.id_number, employees.c.level,
                      employees.c.monthly_fen).join(employees, employees.c.id == transfers.c.employee_id)
        if direction == "in":
            stmt = stmt.where(transfers.c.to_employer_id == mine)
        elif direction == "out":
            stmt = stmt.where(transfers.c.from_employer_id == mine)
        else:
            stmt = stmt.where(or_(transfers.c.to_employer_id == mine, transfers.c.from_employer_id == mine))
        stmt = narrowed(stmt, filters, equal={"status": transfers.c.status})
        return _page(self.session, stmt.order_by(transfers.c.requested_at.desc()), page, page_size, view)

    def incoming_count(self, employer_id: str) -> int:
        """How many transfers into the employer wait for its 审阅."""
        return int(self.session.execute(select(func.count()).where(
            transfers.c.to_employer_id == employer_id, transfers.c.status == "pending")).scalar_one())


class WithdrawalRepository(TableRepository):
    table = withdrawals

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(withdrawals).values(**values))

    def pending_fen(self, employee_id: str, *, exclude: str | None = None) -> int:
        """The sum of the employee's withdrawals still waiting for the bureau."""
        stmt = select(func.coalesce(func.sum(withdrawals.c.amount_fen), 0)).where(
            withdrawals.c.employee_id == employee_id, withdrawals.c.status == "pending")
        if exclude:
            stmt = stmt.where(withdrawals.c.id != exclude)
        return int(self.session.execute(stmt).scalar_one())

    def page(self, employer_id: str | None, area: list[str], filters: dict, page: Any, page_size: Any,
             view: View) -> dict:
        """支取申请 with the employee's and employer's names, newest first: the employer's own or ``area``'s;
        ``filters`` status and q (employee or employer name)."""
        stmt = select(withdrawals, employees.c.name.label("employee_name"),
                      employers.c.name.label("employer_name")).join(
            employees, employees.c.id == withdrawals.c.employee_id).join(
            employers, employers.c.id == withdrawals.c.employer_id).where(
            _own_or_area(withdrawals.c.employer_id, withdrawals.c.region, employer_id, area))
        stmt = narrowed(stmt, filters, equal={"status": withdrawals.c.status},
                        search=(employees.c.name, employers.c.name))
        return _page(self.session, stmt.order_by(withdrawals.c.submitted_at.desc(), withdrawals.c.id), page,
                     page_size, view)

    def with_names(self, withdrawal_id: str) -> Any:
        """The withdrawal with its employee's name and 证件号码 and its employer's name."""
        return self.session.execute(
            select(withdrawals, employees.c.name, employees.c.id_number, employees.c.name.label("employee_name"),
                   employers.c.name.label("employer_name"))
            .join(employees, employees.c.id == withdrawals.c.employee_id)
            .join(employers, employers.c.id == withdrawals.c.employer_id)
            .where(withdrawals.c.id == withdrawal_id)).mappings().one()


class AttachmentRepository:
    """The records of housing_fund's uploads; linking them to a business record follows
    ``shared.attachment_records`` (the caller's own uploads, of the kinds the record takes)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def link(self, tx: Tx, ids: list[str], *, kinds: tuple[str, ...], subject_type: str, subject_id: str,
             field: str) -> list[dict]:
        return attachment_records.link(tx, attachments, ids, kinds=kinds, subject_type=subject_type,
                                       subject_id=subject_id, field=field)

    def record(self, tx: Tx, meta: dict, *, service: str, public: bool = False) -> dict:
        """Keep the record of an upload (``public``: a registration form's, before any account)."""
        keep = attachment_records.record_public if public else attachment_records.record
        return keep(tx, attachments, meta, service=service)

    def for_download(self, tx: Tx, attachment_id: str, may_read_subject: Any) -> dict:
        return attachment_records.for_download(tx, attachments, attachment_id, may_read_subject)

    def unlinked_public(self, tx: Tx, attachment_id: str) -> dict:
        return attachment_records.unlinked_public(tx, attachments, attachment_id)


class RemittanceRepository(TableRepository):
    """汇缴/补缴 with their lines, rounds, the employees they hold, 指定汇缴 amounts and payment notices."""

    table = remittances

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(remittances).values(**values))

    def page(self, employer_id: str | None, area: list[str], filters: dict, page: Any, page_size: Any,
             view: View, *, statuses: tuple[str, ...] | None = None, month: str | None = None) -> dict:
        """Remittances with their employer's name, newest first: the employer's own or ``area``'s, in
        ``statuses``, spanning ``month``; ``filters`` status, mode and q (employer name, payment or trade code)."""
        stmt = select(remittances, employers.c.name.label("employer_name")).join(
            employers, employers.c.id == remittances.c.employer_id).where(
            _own_or_area(remittances.c.employer_id, remittances.c.region, employer_id, area))
        if statuses is not None:
            stmt = stmt.where(remittances.c.status.in_(statuses))
        if month is not None:
            stmt = stmt.where(remittances.c.month_from <= month, remittances.c.month_to >= month)
        stmt = narrowed(stmt, filters, equal={"status": remittances.c.status, "mode": remittances.c.mode},
                        search=(employers.c.name, remittances.c.payment_code, employers.c.trade_code))
        return _page(self.session, stmt.order_by(remittances.c.submitted_at.desc(), remittances.c.id), page,
                     page_size, view)

    def unfinished_of(self, employer_id: str) -> str | None:
        """The employer's remittance still pending or awaiting payment, if any."""
        return self.session.execute(select(remittances.c.id).where(
            remittances.c.employer_id == employer_id, remittances.c.status.in_(remittance_rules.UNFINISHED))
        ).scalar()

    def unfinished_count(self, employer_id: str) -> int:
        return int(self.session.execute(select(func.count()).select_from(remittances).where(
            remittances.c.employer_id == employer_id, remittances.c.status.in_(remittance_rules.UNFINISHED)))
            .scalar_one())

    def lines(self, remittance_id: str) -> list[Any]:
        """The lines with each employee's name and 证件号码, by month and name."""
        return list(self.session.execute(
            select(remittance_lines, employees.c.name, employees.c.id_number)
            .join(employees, employees.c.id == remittance_lines.c.employee_id)
            .where(remittance_lines.c.remittance_id == remittance_id)
            .order_by(remittance_lines.c.month, employees.c.name, remittance_lines.c.seq)).mappings())

    def replace_lines(self, remittance_id: str, rows: list[dict]) -> None:
        self.session.execute(delete(remittance_lines).where(remittance_lines.c.remittance_id == remittance_id))
        self.add_lines(remittance_id, rows)

    def add_lines(self, remittance_id: str, rows: list[dict]) -> None:
        self.session.execute(insert(remittance_lines), [{**r, "remittance_id": remittance_id} for r in rows])

    def held(self, employee_ids: list[str]) -> list[str]:
        """Which of the employees an unfinished remittance holds."""
        return list(self.session.execute(select(remittance_holds.c.employee_id).where(
            remittance_holds.c.employee_id.in_(employee_ids))).scalars())

    def hold(self, remittance_id: str, employee_ids: list[str]) -> None:
        self.session.execute(insert(remittance_holds), [{"employee_id": i, "remittance_id": remittance_id}
                                                        for i in employee_ids])

    def release(self, remittance_ids: list[str]) -> None:
        self.session.execute(delete(remittance_holds).where(remittance_holds.c.remittance_id.in_(remittance_ids)))

    def add_round(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(remittance_rounds).values(**values))

    def decide_round(self, remittance_id: str, round_: int, values: Mapping[str, Any]) -> None:
        self.session.execute(update(remittance_rounds).where(
            remittance_rounds.c.remittance_id == remittance_id, remittance_rounds.c.round == round_).values(**values))

    def rounds(self, remittance_id: str) -> list[Any]:
        return list(self.session.execute(select(remittance_rounds).where(
            remittance_rounds.c.remittance_id == remittance_id).order_by(remittance_rounds.c.round)).mappings())

    def overrides(self, employer_id: str, month: str) -> dict[str, int]:
        """employee -> the 指定汇缴 amount set in ``month`` or earlier."""
        return {r["employee_id"]: int(r["amount_fen"]) for r in self.session.execute(select(remit_overrides).where(
            remit_overrides.c.employer_id == employer_id, remit_overrides.c.from_month <= month)).mappings()}

    def keep_override(self, employer_id: str, employee_id: str, amount_fen: int, month: str, at: Any) -> None:
        stmt = pg_insert(remit_overrides).values(employer_id=employer_id, employee_id=employee_id,
                                                 amount_fen=amount_fen, from_month=month, updated_at=at)
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=["employer_id", "employee_id"],
            set_={"amount_fen": stmt.excluded.amount_fen, "from_month": stmt.excluded.from_month, "updated_at": at}))

    def code_outstanding(self, payment_code: str) -> bool:
        """Whether an approved, unpaid notice carries the payment code."""
        return self.session.execute(select(remittances.c.id).where(
            remittances.c.payment_code == payment_code, remittances.c.status == remittance_rules.APPROVED)
        ).first() is not None

    def receiving_account(self, bureau: str) -> Any:
        return self.session.execute(select(receiving_accounts).where(
            receiving_accounts.c.bureau == bureau)).mappings().first()

    def keep_receiving_account(self, bureau: str, values: Mapping[str, Any], at: Any) -> None:
        """The bureau's receiving account (户名, 账号, 开户行), replacing the one it kept."""
        stmt = pg_insert(receiving_accounts).values(bureau=bureau, updated_at=at, **values)
        self.session.execute(stmt.on_conflict_do_update(index_elements=["bureau"], set_={**values, "updated_at": at}))

    def keep_receiving_account_once(self, values: Mapping[str, Any], at: Any) -> None:
        """A bureau's receiving account unless it keeps one already."""
        self.session.execute(pg_insert(receiving_accounts).values(**values, updated_at=at).on_conflict_do_nothing())

    def reminders_due(self, month: str) -> list[Any]:
        """The active (正常/缓缴), approved employers with no remittance (not returned) for ``month`` and no
        reminder of it yet, by id."""
        remitted = exists().where(remittances.c.employer_id == employers.c.id,
                                  remittances.c.mode == remittance_rules.REMIT, remittances.c.month_from == month,
                                  remittances.c.status != remittance_rules.RETURNED)
        already = exists().where(remittance_reminders.c.employer_id == employers.c.id,
                                 remittance_reminders.c.month == month)
        return list(self.session.execute(select(employers).where(
            employers.c.status.in_(("01", "03")), employers.c.review_status == "approved", ~remitted, ~already)
            .order_by(employers.c.id)).mappings())

    def add_reminder(self, employer_id: str, month: str, region: str, at: Any) -> bool:
        """Record the employer's reminder for ``month``; False if one was recorded meanwhile."""
        return bool(affected_rows(self.session.execute(pg_insert(remittance_reminders).values(
            employer_id=employer_id, month=month, region=region, at=at).on_conflict_do_nothing())))

    def pending_count(self, regions: Iterable[str]) -> int:
        """How many remittances in ``regions`` wait for the bureau's review."""
        return int(self.session.execute(select(func.count()).select_from(remittances).where(
            remittances.c.region.in_(list(regions)), remittances.c.status == remittance_rules.PENDING)).scalar_one())

    def reminded_unremitted(self, employer_id: str, month: str) -> bool:
        """Whether the employer was reminded of ``month`` and has no remittance (not returned) for it yet."""
        return int(self.session.execute(select(func.count()).select_from(remittance_reminders).where(
            remittance_reminders.c.employer_id == employer_id, remittance_reminders.c.month == month,
            ~exists().where(remittances.c.employer_id == employer_id, remittances.c.month_from == month,
                            remittances.c.status != remittance_rules.RETURNED))).scalar_one()) > 0

    def awaiting_payment_count(self, employer_id: str) -> int:
        """How many of the employer's payment notices wait for payment."""
        return int(self.session.execute(select(func.count()).select_from(remittances).where(
            remittances.c.employer_id == employer_id, remittances.c.status == remittance_rules.APPROVED)).scalar_one())


class ImportRunRepository(TableRepository):
    """The runs of 职工批量导入 and 数据迁移 (the same file twice answers the first run)."""

    table = import_runs

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(import_runs).values(**values))

    def of_file(self, kind: str, owner: str, sha256: str) -> Any:
        """The owner's run of this kind from the file ``sha256``, or None."""
        return self.session.execute(select(import_runs).where(
            import_runs.c.kind == kind, import_runs.c.owner == owner, import_runs.c.sha256 == sha256)
        ).mappings().first()

    def page(self, kind: str, owner: str | None, page: Any, page_size: Any, view: View) -> dict:
        """The owner's runs of this kind, newest first."""
        stmt = select(import_runs).where(import_runs.c.kind == kind, import_runs.c.owner == owner)
        return _page(self.session, stmt.order_by(import_runs.c.at.desc()), page, page_size, view)


class BackfillRepository(TableRepository):
    table = backfills

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(backfills).values(**values))

    def page(self, employer_id: str | None, area: list[str], filters: dict, page: Any, page_size: Any,
             view: View) -> dict:
        """缴款历史补录, newest first: the employer's own or ``area``'s; ``status``."""
        stmt = select(backfills).where(_own_or_area(backfills.c.employer_id, backfills.c.region, employer_id, area))
        stmt = narrowed(stmt, filters, equal={"status": backfills.c.status})
        return _page(self.session, stmt.order_by(backfills.c.submitted_at.desc(), backfills.c.id), page, page_size,
                     view)


_NOTICE_COLUMNS = (remittances.c.id, remittances.c.employer_id, remittances.c.region, remittances.c.mode,
                   remittances.c.status, remittances.c.payment_code, remittances.c.trade_code,
                   remittances.c.total_fen, remittances.c.month_from, remittances.c.month_to,
                   remittances.c.employee_count)


class BankRepository:
    """Bank statements, their lines, and the payment notices the lines pay (set-wise: a chunk of a
    large statement pays hundreds at once)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def statement(self, statement_id: str) -> Any:
        return self.session.execute(select(bank_statements.c.id, bank_statements.c.region).where(
            bank_statements.c.id == statement_id)).mappings().one()

    def statement_row(self, statement_id: str) -> Any:
        """The whole statement row, or None."""
        return self.session.execute(select(bank_statements).where(
            bank_statements.c.id == statement_id)).mappings().first()

    def statement_of_file(self, region: str | None, sha256: str) -> Any:
        """The statement the region uploaded from this file before, or None."""
        return self.session.execute(select(bank_statements).where(
            bank_statements.c.region == region, bank_statements.c.sha256 == sha256)).mappings().first()

    def add_statement(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(bank_statements).values(**values))

    def statements_page(self, area: list[str], page: Any, page_size: Any, view: Callable[[Any], Any]) -> dict:
        """A page of the statements uploaded in ``area``, newest first."""
        stmt = select(bank_statements).where(bank_statements.c.region.in_(area)).order_by(
            bank_statements.c.uploaded_at.desc(), bank_statements.c.id)
        return paginate(self.session, stmt, page, page_size, lambda r: view(r._mapping))

    def lines_page(self, area: list[str], filters: dict, page: Any, page_size: Any,
                   view: Callable[[Any], Any]) -> dict:
        """A page of the lines in ``area`` with the matched employer's name, newest first; ``filters``
        ``status`` (outcome), ``statement_id``, ``reason`` and ``q`` (memo, payer name, serial)."""
        stmt = select(bank_lines, employers.c.name.label("employer_name")).outerjoin(
            employers, employers.c.id == bank_lines.c.employer_id).where(bank_lines.c.region.in_(area))
        stmt = narrowed(stmt, filters, equal={"status": bank_lines.c.outcome,
                                              "statement_id": bank_lines.c.statement_id,
                                              "reason": bank_lines.c.reason},
                        search=(bank_lines.c.memo, bank_lines.c.payer_name, bank_lines.c.serial))
        stmt = stmt.order_by(bank_lines.c.at.desc(), bank_lines.c.statement_id, bank_lines.c.row)
        return paginate(self.session, stmt, page, page_size, lambda r: view(r._mapping))

    def _lines_of(self, statement_id: str | None, area: list[str]) -> list[Any]:
        return [bank_lines.c.statement_id == statement_id] if statement_id else [bank_lines.c.region.in_(area)]

    def outcome_totals(self, statement_id: str | None, area: list[str]) -> dict[str, tuple[int, int]]:
        """outcome -> (count, fen) of the statement's lines, or (no statement) of every line in ``area``."""
        stmt = select(bank_lines.c.outcome, func.count(), func.coalesce(func.sum(bank_lines.c.amount_fen), 0))
        return {o: (int(n), int(f)) for o, n, f in self.session.execute(
            stmt.where(*self._lines_of(statement_id, area)).group_by(bank_lines.c.outcome))}

    def returned_by_reason(self, statement_id: str | None, area: list[str]) -> list[tuple[str, int, int]]:
        """(reason, count, fen) of the returned lines, by reason."""
        return [(r, int(n), int(f)) for r, n, f in self.session.execute(
            select(bank_lines.c.reason, func.count(), func.sum(bank_lines.c.amount_fen)).where(
                bank_lines.c.outcome == "returned", *self._lines_of(statement_id, area))
            .group_by(bank_lines.c.reason).order_by(bank_lines.c.reason))]

    def credit_lines(self, statement_id: str | None, area: list[str]) -> list[Any]:
        """The matched and returned lines, with the name of the employer matched, by statement and row."""
        return list(self.session.execute(select(bank_lines, employers.c.name.label("employer_name")).outerjoin(
            employers, employers.c.id == bank_lines.c.employer_id).where(
            *self._lines_of(statement_id, area), bank_lines.c.outcome != "debit")
            .order_by(bank_lines.c.statement_id, bank_lines.c.row)).mappings())

    def outstanding_totals(self, area: list[str]) -> tuple[int, int]:
        """(count, fen) of the approved notices in ``area`` still unpaid."""
        n, fen = self.session.execute(select(func.count(), func.coalesce(func.sum(remittances.c.total_fen), 0))
                                      .where(remittances.c.region.in_(area),
                                             remittances.c.status == remittance_rules.APPROVED)).one()
        return int(n), int(fen)

    def outstanding(self, area: list[str]) -> list[Any]:
        """The approved notices in ``area`` still unpaid, with their employer's name, oldest decision first."""
        return list(self.session.execute(select(remittances, employers.c.name.label("employer_name")).join(
            employers, employers.c.id == remittances.c.employer_id).where(
            remittances.c.region.in_(area), remittances.c.status == remittance_rules.APPROVED)
            .order_by(remittances.c.decided_at)).mappings())

    def seen(self, serials: list[str]) -> set[str]:
        """Which bank serials are recorded already."""
        return set(self.session.execute(select(bank_lines.c.serial).where(bank_lines.c.serial.in_(serials))).scalars())

    def notices(self, codes: set[str]) -> tuple[dict, dict]:
        """(outstanding, paid) notices by payment code among ``codes``: the outstanding ones locked (the
        chunk pays them), the paid ones (the latest per code) to tell a second payment from an unknown code."""
        outstanding: dict[str, Any] = {}
        paid: dict[str, Any] = {}
        if not codes:
            return outstanding, paid
        for r in self.session.execute(select(*_NOTICE_COLUMNS).where(
                remittances.c.payment_code.in_(codes), remittances.c.status == remittance_rules.APPROVED)
                .order_by(remittances.c.id).with_for_update()).mappings():
            outstanding[r["payment_code"]] = r
        for r in self.session.execute(select(*_NOTICE_COLUMNS).where(
                remittances.c.payment_code.in_(codes - set(outstanding)), remittances.c.status == remittance_rules.PAID)
                .order_by(remittances.c.paid_at)).mappings():
            paid[r["payment_code"]] = r
        return outstanding, paid

    def add_lines(self, rows: list[dict]) -> set[str]:
        """Record the lines; returns the ids of those recorded (a serial recorded meanwhile by a concurrent
        statement is skipped). executemany: psycopg2 batches it into multi-row VALUES."""
        if not rows:
            return set()
        return set(self.session.execute(pg_insert(bank_lines).on_conflict_do_nothing(
            index_elements=["serial"]).returning(bank_lines.c.id), rows).scalars())

    def pay(self, line_of: dict[str, str], at: Any) -> None:
        """The remittances (id -> the bank line that paid it) are paid: their holds released and each
        line credited to the employee's ledger (INSERT ... SELECT from the remittance lines)."""
        ids = list(line_of)
        self.session.execute(update(remittances).where(remittances.c.id.in_(ids)).values(
            status=remittance_rules.PAID, paid_at=at, paid_line_id=case(line_of, value=remittances.c.id)))
        self.session.execute(delete(remittance_holds).where(remittance_holds.c.remittance_id.in_(ids)))
        r = remittances.alias("r")
        source = select(
            remittance_lines.c.employee_id, r.c.employer_id,
            case({mode: code for mode, code in remittance_rules.BUSINESS_CODE.items()}, value=r.c.mode),
            remittance_lines.c.month, literal(1), remittance_lines.c.amount_fen, literal("remittance"), r.c.id,
            literal("到账流水") + func.left(r.c.paid_line_id, 8), literal(at, DateTime(timezone=True)),
        ).join(r, r.c.id == remittance_lines.c.remittance_id).where(r.c.id.in_(ids)).order_by(
            remittance_lines.c.remittance_id, remittance_lines.c.seq)
        self.session.execute(insert(ledger).from_select(
            ["employee_id", "employer_id", "business_code", "month", "periods", "amount_fen", "ref_type", "ref_id",
             "note", "at"], source))

    def finish(self, statement_id: str, at: Any) -> None:
        self.session.execute(update(bank_statements).where(bank_statements.c.id == statement_id).values(
            status="done", finished_at=at))
