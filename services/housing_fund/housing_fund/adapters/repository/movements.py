"""Transfers, withdrawals and attachment records of the roster."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, or_, select

from housing_fund.adapters.orm import (
    attachments,
    employees,
    employers,
    transfers,
    withdrawals,
)
from housing_fund.adapters.repository.common import View, _own_or_area, _page
from shared import attachment_records
from shared.db.repository import TableRepository
from shared.jobs import JobRepository as JobRepository  # the use cases' job reads, as every service's
from shared.pagination import narrowed
from shared.service import Tx


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
