"""Remittances, notices, import runs and back-fills."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import (
    backfills,
    employees,
    employers,
    import_runs,
    receiving_accounts,
    remit_overrides,
    remittance_holds,
    remittance_lines,
    remittance_reminders,
    remittance_rounds,
    remittances,
)
from housing_fund.adapters.repository.common import View, _own_or_area, _page
from housing_fund.domain import remittances as remittance_rules
from shared.db.engine import affected_rows
from shared.db.repository import TableRepository
from shared.jobs import JobRepository as JobRepository  # the use cases' job reads, as every service's
from shared.pagination import narrowed


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
