"""Reads and locks on finance_disbursement's tables (SQLAlchemy Core), used by the use cases."""
from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Select, func, select
from sqlalchemy.orm import Session

from finance_disbursement.adapters.orm import clawbacks, county_transfers, disbursement_batches, items, payments
from finance_disbursement.domain.reconciliation import CountyTotal


def advisory_lock(session: Session, key: str) -> None:
    """Serialise, until commit, every transaction working on ``key``.

    Row locks cannot do this for a batch whose applications arrive before the batch itself: there is
    no row yet, and two handlers each seeing the other's work uncommitted would both leave the batch
    waiting for ever.
    """
    session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


def fen_sum(column) -> Any:
    """SUM of a fen column as a BIGINT (PostgreSQL sums BIGINT into NUMERIC)."""
    return func.coalesce(func.sum(column), 0).cast(BigInteger)


def one(session: Session, stmt: Select) -> dict | None:
    """The first row of ``stmt`` as a dict, or None."""
    row = session.execute(stmt).mappings().first()
    return dict(row) if row is not None else None


def latest_round(session: Session, application_id: str) -> int | None:
    """The highest round of ``application_id`` recorded here (None: never seen)."""
    return session.execute(select(func.max(items.c.round)).where(
        items.c.application_id == application_id)).scalar()


def arrived_by_county(session: Session, batch_id: str) -> list[CountyTotal]:
    """Count and amount of the applications of a batch that have arrived, per county."""
    rows = session.execute(select(items.c.county, func.count().label("n"), fen_sum(items.c.amount_fen).label("fen"))
                           .where(items.c.batch_id == batch_id).group_by(items.c.county).order_by(items.c.county))
    return [CountyTotal(r.county, r.n, r.fen) for r in rows]


def transfers_of_batch(session: Session, batch_id: str) -> dict[str, dict]:
    """The county transfers of a batch by county (a county released at most once)."""
    rows = session.execute(select(county_transfers).where(county_transfers.c.batch_id == batch_id)).mappings()
    return {r["county"]: dict(r) for r in rows}


def items_of(session: Session, *conditions, lock: bool = False) -> list[dict]:
    """Items matching ``conditions`` in a stable order (county, application number), optionally locked."""
    stmt = select(items).where(*conditions).order_by(items.c.county, items.c.application_no, items.c.round)
    if lock:
        stmt = stmt.with_for_update()
    return [dict(r) for r in session.execute(stmt).mappings()]


def items_stmt(*conditions: Any) -> Select:
    """Items matching ``conditions`` (a list's statement, to be ordered and paged)."""
    return select(items).where(*conditions)


def transfers_on_day(session: Session, county: str, prefix: str) -> int:
    """How many transfers of ``county`` already carry a number starting with ``prefix``."""
    return session.execute(select(func.count()).where(county_transfers.c.county == county,
                                                      county_transfers.c.transfer_no.startswith(prefix))).scalar_one()


def batch_list_stmt() -> Select:
    """Batches with how many of their applications have arrived and how many counties are released."""
    arrived = (select(items.c.batch_id, func.count().label("arrived_count"),
                      fen_sum(items.c.amount_fen).label("arrived_amount_fen"))
               .group_by(items.c.batch_id).subquery())
    released = (select(county_transfers.c.batch_id, func.count().label("released_county_count"))
                .group_by(county_transfers.c.batch_id).subquery())
    return (select(disbursement_batches,
                   func.coalesce(arrived.c.arrived_count, 0).label("arrived_count"),
                   func.coalesce(arrived.c.arrived_amount_fen, 0).label("arrived_amount_fen"),
                   func.coalesce(released.c.released_county_count, 0).label("released_county_count"))
            .outerjoin(arrived, arrived.c.batch_id == disbursement_batches.c.id)
            .outerjoin(released, released.c.batch_id == disbursement_batches.c.id))


def transfer_list_stmt() -> Select:
    """County transfers with their batch number."""
    return (select(county_transfers, disbursement_batches.c.batch_no)
            .outerjoin(disbursement_batches, disbursement_batches.c.id == county_transfers.c.batch_id))


def payment_list_stmt() -> Select:
    """Payments with the application they pay and the transfer they came with."""
    return (select(payments, items.c.application_no, items.c.applicant_name, items.c.unit_name, items.c.county,
                   county_transfers.c.transfer_no)
            .join(items, (items.c.application_id == payments.c.application_id) & (items.c.round == payments.c.round))
            .outerjoin(county_transfers, county_transfers.c.id == payments.c.transfer_id))


def statistics_rows(session: Session, *conditions: Any) -> list[tuple[str, str, int, int]]:
    """(county, status, count, fen) of the items matching ``conditions``."""
    rows = session.execute(
        select(items.c.county, items.c.status, func.count().label("count"), fen_sum(items.c.amount_fen).label("fen"))
        .where(*conditions).group_by(items.c.county, items.c.status).order_by(items.c.county, items.c.status))
    return [(county, status, count, fen) for county, status, count, fen in rows]


def count(session: Session, *conditions: Any) -> int:
    """How many rows match ``conditions`` (of the one table they name)."""
    return session.execute(select(func.count()).where(*conditions)).scalar_one()


def rows(session: Session, columns: list[Any], *conditions: Any) -> list[Any]:
    """``columns`` of the rows matching ``conditions`` (mappings)."""
    return list(session.execute(select(*columns).where(*conditions)).mappings())


def clawback_list_stmt() -> Select:
    """Clawbacks with the application they concern."""
    return (select(clawbacks, items.c.application_no, items.c.applicant_name, items.c.unit_name,
                   disbursement_batches.c.batch_no)
            .join(items, (items.c.application_id == clawbacks.c.application_id) & (items.c.round == clawbacks.c.round))
            .outerjoin(disbursement_batches, disbursement_batches.c.id == clawbacks.c.batch_id))


def reconciliation_rows(session: Session, *conditions: Any) -> list[tuple[str, str, str, str, int, int]]:
    """(batch_id, batch_no, county, status, count, fen) of the released items matching ``conditions``."""
    rows = session.execute(
        select(items.c.batch_id, disbursement_batches.c.batch_no, items.c.county, items.c.status,
               func.count().label("count"), fen_sum(items.c.amount_fen).label("fen"))
        .outerjoin(disbursement_batches, disbursement_batches.c.id == items.c.batch_id)
        .where(items.c.transfer_id.is_not(None), *conditions)
        .group_by(items.c.batch_id, disbursement_batches.c.batch_no, items.c.county, items.c.status)
        .order_by(disbursement_batches.c.batch_no, items.c.county, items.c.status))
    return [tuple(r) for r in rows]


def clawback_rows(session: Session, *conditions: Any) -> list[tuple[str, str, str, int, int]]:
    """(batch_id, county, status, count, fen) of the clawbacks matching ``conditions``."""
    rows = session.execute(
        select(clawbacks.c.batch_id, clawbacks.c.county, clawbacks.c.status, func.count().label("count"),
               fen_sum(clawbacks.c.amount_fen).label("fen"))
        .where(*conditions).group_by(clawbacks.c.batch_id, clawbacks.c.county, clawbacks.c.status))
    return [tuple(r) for r in rows]
