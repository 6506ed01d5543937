"""finance_disbursement's repositories: the rows its use cases read and write, one class per record
kind, built on the unit of work's session (``tx.repository(BatchRepository)``). The unit tests hand
in in-memory fakes with the same methods."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from finance_disbursement.adapters import queries
from finance_disbursement.adapters.orm import (
    bank_corrections,
    bank_result_files,
    clawbacks,
    county_transfers,
    disbursement_batches,
    items,
    payments,
)
from finance_disbursement.domain.reconciliation import CountyTotal
from shared.auth.principal import Principal
from shared.db.engine import affected_rows
from shared.db.repository import TableRepository
from shared.jurisdiction import within
from shared.pagination import narrowed, paginate

View = Callable[[Any], dict]


class _Repository(TableRepository):
    """A repository over one table (update by key from :class:`TableRepository`) that can serialise work."""

    def lock(self, key: str) -> None:
        """Serialise, until commit, every transaction working on ``key`` (see :func:`queries.advisory_lock`)."""
        queries.advisory_lock(self.session, key)

    def _waiting(self, where: Any, since: Any, statuses: Iterable[str]) -> list[Any]:
        """City, status and ``since`` of the rows matching ``where`` in ``statuses``: what a to-do counter
        counts, with what its 其中超时 needs."""
        t = self.table
        return queries.rows(self.session, [t.c.city, t.c.status, since], where, t.c.status.in_(statuses))


class BatchRepository(_Repository):
    """City batches as the city organisation department confirmed them."""

    table = disbursement_batches

    def get(self, batch_id: str, *, lock: bool = False, share: bool = False) -> dict | None:
        stmt = select(disbursement_batches).where(disbursement_batches.c.id == batch_id)
        return queries.one(self.session, stmt.with_for_update(read=not lock) if lock or share else stmt)

    def summary(self, batch_id: str) -> dict | None:
        """The batch with how many applications have arrived and how many counties are released."""
        return queries.one(self.session, queries.batch_list_stmt().where(disbursement_batches.c.id == batch_id))

    def add(self, values: dict) -> bool:
        """Insert a batch; False when it is already here."""
        return bool(affected_rows(self.session.execute(pg_insert(disbursement_batches).values(**values)
                                                       .on_conflict_do_nothing())))

    def arrived_by_county(self, batch_id: str) -> list[CountyTotal]:
        return queries.arrived_by_county(self.session, batch_id)

    def page(self, city: str | None, wanted: Mapping[str, Any], page: Any, page_size: Any, view: View) -> dict:
        """The city's batches, newest first; ``status`` and ``q`` (batch number) already checked."""
        stmt = narrowed(queries.batch_list_stmt().where(disbursement_batches.c.city == city), wanted,
                        equal={"status": disbursement_batches.c.status}, search=(disbursement_batches.c.batch_no,))
        stmt = stmt.order_by(disbursement_batches.c.received_at.desc(), disbursement_batches.c.id)
        return paginate(self.session, stmt, page, page_size, view)

    def waiting(self, city: str | None, statuses: Iterable[str]) -> list[Any]:
        """City, status and arrival time of the city's batches in ``statuses`` (what a counter counts)."""
        return self._waiting(disbursement_batches.c.city == city, disbursement_batches.c.received_at, statuses)


class ItemRepository:
    """One application's money in one round (keyed by application and round)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lock(self, key: str) -> None:
        """Serialise, until commit, every transaction working on ``key`` (see :func:`queries.advisory_lock`)."""
        queries.advisory_lock(self.session, key)

    def latest_round(self, application_id: str) -> int | None:
        return queries.latest_round(self.session, application_id)

    def add(self, values: dict) -> bool:
        """Insert an item; False when this (application, round) is already here."""
        return bool(affected_rows(self.session.execute(pg_insert(items).values(**values).on_conflict_do_nothing())))

    def update(self, item: dict, values: dict) -> None:
        self.session.execute(update(items).where(items.c.application_id == item["application_id"],
                                                 items.c.round == item["round"]).values(**values))

    def of_batch(self, batch_id: str, *, county: str | None = None, status: str | None = None,
                 lock: bool = False) -> list[dict]:
        conditions = [items.c.batch_id == batch_id]
        if county is not None:
            conditions.append(items.c.county == county)
        if status is not None:
            conditions.append(items.c.status == status)
        return queries.items_of(self.session, *conditions, lock=lock)

    def of_transfer(self, transfer_id: str, *, lock: bool = False) -> list[dict]:
        return queries.items_of(self.session, items.c.transfer_id == transfer_id, lock=lock)

    def of_round(self, application_id: str, round_: int, *, lock: bool = False) -> list[dict]:
        return queries.items_of(self.session, items.c.application_id == application_id, items.c.round == round_,
                                lock=lock)

    def failed_of_account(self, account_id: str, *, lock: bool = False) -> list[dict]:
        """The individual's payments that failed and wait for county finance (支付失败待处理)."""
        return queries.items_of(self.session, items.c.account_id == account_id,
                                items.c.status == "payment_failed", lock=lock)

    def latest(self, application_id: str, *, lock: bool = False) -> dict | None:
        """The application's money of its latest round here (None: never seen)."""
        round_ = self.latest_round(application_id)
        if round_ is None:
            return None
        found = self.of_round(application_id, round_, lock=lock)
        return found[0] if found else None

    def failed_page(self, county: str | None, wanted: Mapping[str, Any], page: Any, page_size: Any,
                    view: View) -> dict:
        """The county's failed payments, latest first; ``transfer_id`` and ``q`` already checked."""
        stmt = narrowed(queries.items_stmt(items.c.county == county, items.c.status == "payment_failed"),
                        wanted, equal={"transfer_id": items.c.transfer_id},
                        search=(items.c.application_no, items.c.applicant_name))
        stmt = stmt.order_by(items.c.updated_at.desc(), items.c.application_id)
        return paginate(self.session, stmt, page, page_size, view)

    def count_in(self, county: str | None, status: str) -> int:
        return queries.count(self.session, items.c.county == county, items.c.status == status)

    def statistics(self, principal: Principal, wanted: Mapping[str, Any]) -> list[tuple[str, str, int, int]]:
        """(county, status, count, fen) of the items the caller may see (a unit's operator: its own
        people), narrowed by ``county``, ``batch_id`` and ``status``."""
        conditions = [within(principal, county=items.c.county, city=items.c.city, unit=items.c.unit_id)]
        for key in ("county", "batch_id", "status"):
            if wanted.get(key):
                conditions.append(items.c[key] == wanted[key])
        return queries.statistics_rows(self.session, *conditions)

    def released_totals(self, principal: Principal,
                        wanted: Mapping[str, Any]) -> list[tuple[str, str, str, str, int, int]]:
        """(batch_id, batch_no, county, status, count, fen) of the released items in the caller's city or
        county, narrowed by ``county`` and ``batch_id``."""
        conditions = [within(principal, county=items.c.county, city=items.c.city)]
        for key in ("county", "batch_id"):
            if wanted.get(key):
                conditions.append(items.c[key] == wanted[key])
        return queries.reconciliation_rows(self.session, *conditions)


class TransferRepository(_Repository):
    """City finance's transfers to county finance bureaux (with their batch number)."""

    table = county_transfers

    def get(self, transfer_id: str, *, lock: bool = False, share: bool = False) -> dict | None:
        stmt = queries.transfer_list_stmt().where(county_transfers.c.id == transfer_id)
        return queries.one(self.session, stmt.with_for_update(of=county_transfers, read=not lock) if lock or share
                           else stmt)

    def add(self, values: dict) -> None:
        self.session.execute(insert(county_transfers).values(**values))

    def of_batch(self, batch_id: str) -> dict[str, dict]:
        return queries.transfers_of_batch(self.session, batch_id)

    def count_numbered(self, county: str, prefix: str) -> int:
        return queries.transfers_on_day(self.session, county, prefix)

    def page(self, county: str | None, wanted: Mapping[str, Any], page: Any, page_size: Any, view: View) -> dict:
        """The county's transfers, latest first; ``status``, ``batch_id`` and ``q`` already checked."""
        stmt = narrowed(queries.transfer_list_stmt().where(county_transfers.c.county == county), wanted,
                        equal={"status": county_transfers.c.status, "batch_id": county_transfers.c.batch_id},
                        search=(county_transfers.c.transfer_no, disbursement_batches.c.batch_no))
        stmt = stmt.order_by(county_transfers.c.released_at.desc(), county_transfers.c.id)
        return paginate(self.session, stmt, page, page_size, view)

    def waiting(self, county: str | None, statuses: Iterable[str]) -> list[Any]:
        """City, status and release time of the county's transfers in ``statuses`` (what a counter counts)."""
        return self._waiting(county_transfers.c.county == county, county_transfers.c.released_at, statuses)


class PaymentRepository(_Repository):
    """Payments to individuals (with the application they pay)."""

    table = payments

    def get(self, payment_id: str, *, lock: bool = False, share: bool = False) -> dict | None:
        stmt = queries.payment_list_stmt().where(payments.c.id == payment_id)
        return queries.one(self.session, stmt.with_for_update(of=payments, read=not lock) if lock or share else stmt)

    def add(self, values: dict) -> bool:
        """Insert a payment; False when this (application, round) is already paid."""
        return bool(affected_rows(self.session.execute(pg_insert(payments).values(**values).on_conflict_do_nothing(
            index_elements=["application_id", "round"]))))

    def page(self, account_id: str | None, wanted: Mapping[str, Any], page: Any, page_size: Any,
             view: View) -> dict:
        """The account's payments, newest first; ``status`` already checked."""
        stmt = narrowed(queries.payment_list_stmt().where(payments.c.account_id == account_id), wanted,
                        equal={"status": payments.c.status})
        stmt = stmt.order_by(payments.c.paid_at.desc(), payments.c.id)
        return paginate(self.session, stmt, page, page_size, view)

    def count_of(self, account_id: str | None, status: str) -> int:
        return queries.count(self.session, payments.c.account_id == account_id, payments.c.status == status)


class BankFileRepository(_Repository):
    """Bank result files (回盘) imported per transfer, by their SHA-256."""

    table = bank_result_files

    def of_sha(self, transfer_id: str, sha256: str) -> dict | None:
        return queries.one(self.session, select(bank_result_files).where(
            bank_result_files.c.transfer_id == transfer_id, bank_result_files.c.sha256 == sha256))

    def add(self, values: dict) -> None:
        self.session.execute(insert(bank_result_files).values(**values))

    def of_transfer(self, transfer_id: str) -> list[dict]:
        rows = self.session.execute(select(bank_result_files).where(bank_result_files.c.transfer_id == transfer_id)
                                    .order_by(bank_result_files.c.imported_at, bank_result_files.c.id)).mappings()
        return [dict(r) for r in rows]


class ClawbackRepository(_Repository):
    """追回 of money paid (one per application round)."""

    table = clawbacks

    def get(self, clawback_id: str, *, lock: bool = False, share: bool = False) -> dict | None:
        stmt = queries.clawback_list_stmt().where(clawbacks.c.id == clawback_id)
        return queries.one(self.session, stmt.with_for_update(of=clawbacks, read=not lock) if lock or share
                           else stmt)

    def add(self, values: dict) -> bool:
        """Insert a clawback; False when this (application, round) already has one."""
        return bool(affected_rows(self.session.execute(pg_insert(clawbacks).values(**values).on_conflict_do_nothing(
            index_elements=["application_id", "round"]))))

    def page(self, principal: Principal, wanted: Mapping[str, Any], page: Any, page_size: Any,
             view: View) -> dict:
        """The clawbacks the caller may see, newest first; ``status`` and ``batch_id`` already checked."""
        stmt = narrowed(queries.clawback_list_stmt().where(
            within(principal, county=clawbacks.c.county, city=clawbacks.c.city)), wanted,
            equal={"status": clawbacks.c.status, "batch_id": clawbacks.c.batch_id})
        stmt = stmt.order_by(clawbacks.c.recorded_at.desc(), clawbacks.c.id)
        return paginate(self.session, stmt, page, page_size, view)

    def totals(self, principal: Principal, wanted: Mapping[str, Any]) -> list[tuple[str, str, str, int, int]]:
        """(batch_id, county, status, count, fen) of the clawbacks in the caller's city or county,
        narrowed by ``county`` and ``batch_id``."""
        conditions = [within(principal, county=clawbacks.c.county, city=clawbacks.c.city)]
        for key in ("county", "batch_id"):
            if wanted.get(key):
                conditions.append(clawbacks.c[key] == wanted[key])
        return queries.clawback_rows(self.session, *conditions)


class CorrectionRepository(_Repository):
    """The latest account each individual corrected (个人更正银行账户), by login account."""

    table = bank_corrections
    key = "account_id"

    def latest(self, account_id: str, *, lock: bool = False) -> dict | None:
        stmt = select(bank_corrections).where(bank_corrections.c.account_id == account_id)
        return queries.one(self.session, stmt.with_for_update() if lock else stmt)

    def put(self, account_id: str, values: dict) -> None:
        self.session.execute(pg_insert(bank_corrections).values(account_id=account_id, **values)
                             .on_conflict_do_update(index_elements=["account_id"], set_=values))
