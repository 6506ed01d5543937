"""The append-only ledger (个人明细账) and the requests that book into it after the fact: 缴款历史补录
and 支取申请."""
from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, String, Table, text

from housing_fund.adapters.orm.base import metadata
from shared.db.tables import Json

# The ledger (个人明细账), append-only (migration 0002's trigger refuses UPDATE and DELETE): the balance of an
# employee is the sum of their rows, of an employer the sum of the rows booked at it.
ledger = Table(
    "ledger", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=True),
    Column("employee_id", String(36), nullable=False, index=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("business_code", String(2), nullable=False),
    Column("month", String(6), nullable=True),
    Column("periods", Integer, nullable=False, server_default=text("0")),
    Column("amount_fen", BigInteger, nullable=False),
    Column("ref_type", String(30), nullable=True),
    Column("ref_id", String(36), nullable=True),
    Column("note", String(200), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

# 缴款历史补录: past payments of chosen employees, entered by the employer, reviewed by the bureau
backfills = Table(
    "backfills", metadata,
    Column("id", String(36), primary_key=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("region", String(6), nullable=False),
    Column("status", String(20), nullable=False),          # pending | approved | returned
    Column("rows", Json, nullable=False),
    Column("total_fen", BigInteger, nullable=False),
    Column("attachments", Json, nullable=False),
    Column("reason", String(500), nullable=True),
    Column("submitted_by", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)
Index("ix_backfills_region_status", backfills.c.region, backfills.c.status)

# 支取申请
withdrawals = Table(
    "withdrawals", metadata,
    Column("id", String(36), primary_key=True),
    Column("employee_id", String(36), nullable=False, index=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("region", String(6), nullable=False),
    Column("reason_code", String(2), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("payee_name", String(100), nullable=False),
    Column("payee_bank", String(100), nullable=False),
    Column("payee_account", String(30), nullable=False),
    Column("note", String(500), nullable=True),
    Column("attachments", Json, nullable=False),
    Column("status", String(20), nullable=False),          # pending | approved | rejected | paid
    Column("submitted_by", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("paid_at", DateTime(timezone=True), nullable=True),
)
Index("ix_withdrawals_region_status", withdrawals.c.region, withdrawals.c.status)
