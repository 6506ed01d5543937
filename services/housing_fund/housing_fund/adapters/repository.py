"""housing_fund's repositories, one a aggregate: employers (with their registration rounds), employees
(with their 变更记录), the ledger, level tables, transfers, withdrawals and the attachments records link.
Built on the unit of work's session (``tx.repository(EmployeeRepository)``); the unit tests hand in
in-memory fakes with the same methods (``services/housing_fund/tests/unit/conftest.py``). The lists
(paged, filtered reads) still build their statements in the use cases."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from housing_fund.adapters.orm import (
    attachments,
    employee_changes,
    employees,
    employer_rounds,
    employers,
    ledger,
    level_tables,
    levels,
    transfers,
    withdrawals,
)
from shared import attachment_records
from shared.db.repository import TableRepository
from shared.service import Tx


class EmployerRepository(TableRepository):
    table = employers

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(employers).values(**values))

    def registered_as(self, uscc: str, org_code: str, *, except_id: str) -> bool:
        """Whether another employer holds the 统一社会信用代码 or its 组织机构代码."""
        return self.session.execute(select(employers.c.id).where(
            or_(employers.c.uscc == uscc, employers.c.org_code == org_code), employers.c.id != except_id)
        ).first() is not None

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

    def add_round(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(employer_rounds).values(**values))

    def decide_round(self, employer_id: str, round_: int, values: Mapping[str, Any]) -> None:
        self.session.execute(update(employer_rounds).where(employer_rounds.c.employer_id == employer_id,
                                                           employer_rounds.c.round == round_).values(**values))

    def rounds(self, employer_id: str) -> list[Any]:
        return list(self.session.execute(select(employer_rounds).where(employer_rounds.c.employer_id == employer_id)
                                         .order_by(employer_rounds.c.round)).mappings())


class EmployeeRepository(TableRepository):
    table = employees

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

    def add_change(self, values: Mapping[str, Any]) -> None:
        """A row of the employee's 变更记录."""
        self.session.execute(insert(employee_changes).values(**values))

    def changes(self, employee_id: str) -> list[Any]:
        return list(self.session.execute(select(employee_changes).where(employee_changes.c.employee_id == employee_id)
                                         .order_by(employee_changes.c.at, employee_changes.c.id)).mappings())


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


class TransferRepository(TableRepository):
    table = transfers

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(transfers).values(**values))

    def pending_of(self, employee_ids: Iterable[str]) -> set[str]:
        """Which of the employees have a transfer waiting for its 审阅."""
        return set(self.session.execute(select(transfers.c.employee_id).where(
            transfers.c.employee_id.in_(list(employee_ids)), transfers.c.status == "pending")).scalars())


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
