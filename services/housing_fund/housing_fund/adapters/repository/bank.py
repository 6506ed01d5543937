"""Bank statements, lines and their matching to payment notices."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import DateTime, case, delete, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters.orm import (
    bank_lines,
    bank_statements,
    employers,
    ledger,
    remittance_holds,
    remittance_lines,
    remittances,
)
from housing_fund.domain import remittances as remittance_rules
from shared.jobs import JobRepository as JobRepository  # the use cases' job reads, as every service's
from shared.pagination import narrowed, paginate

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
