"""Bank reconciliation (到账匹配): uploaded statements and every bank line ever seen."""
from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, String, Table

from housing_fund.adapters.orm.base import metadata

bank_statements = Table(
    "bank_statements", metadata,
    Column("id", String(36), primary_key=True),
    Column("region", String(6), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("filename", String(200), nullable=True),
    Column("status", String(20), nullable=False),          # processing | done
    Column("line_count", Integer, nullable=False),
    Column("credit_count", Integer, nullable=False),
    Column("credit_fen", BigInteger, nullable=False),
    Column("job_id", String(36), nullable=True),
    Column("uploaded_by", String(36), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)
Index("uq_bank_statements_region_sha", bank_statements.c.region, bank_statements.c.sha256, unique=True)

# one row per bank serial ever seen: the same line in a second upload is recognised, never booked twice
bank_lines = Table(
    "bank_lines", metadata,
    Column("id", String(36), primary_key=True),
    Column("serial", String(64), nullable=False, unique=True),
    Column("statement_id", String(36), nullable=False, index=True),
    Column("region", String(6), nullable=False),
    Column("row", Integer, nullable=False),
    Column("date", String(10), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("payer_account", String(40), nullable=True),
    Column("payer_name", String(100), nullable=True),
    Column("memo", String(200), nullable=True),
    Column("outcome", String(10), nullable=False),         # matched | returned | debit
    Column("reason", String(30), nullable=True),
    Column("remittance_id", String(36), nullable=True, index=True),
    Column("employer_id", String(36), nullable=True, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_bank_lines_region_outcome", bank_lines.c.region, bank_lines.c.outcome)
