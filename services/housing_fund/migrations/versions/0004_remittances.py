"""housing_fund line B part 2: remittances (and their payment notices), holds, overrides, reminders,
receiving accounts, bank statements and lines, back-fills, withdrawals

Revision ID: 0004
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
S = sa.String
UNFINISHED = sa.text("status IN ('pending', 'approved')")


def upgrade() -> None:
    op.create_table(
        "remittances",
        sa.Column("id", S(36), primary_key=True), sa.Column("employer_id", S(36), nullable=False),
        sa.Column("region", S(6), nullable=False), sa.Column("mode", S(10), nullable=False),
        sa.Column("back_pay_kind", S(10)), sa.Column("month_from", S(6), nullable=False),
        sa.Column("month_to", S(6), nullable=False), sa.Column("status", S(20), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False), sa.Column("employee_count", sa.Integer(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False), sa.Column("submitted_by", S(36), nullable=False),
        sa.Column("submitted_at", TS, nullable=False), sa.Column("opinion", S(500)), sa.Column("decided_by", S(36)),
        sa.Column("decided_at", TS), sa.Column("payment_code", S(4)), sa.Column("trade_code", S(5)),
        sa.Column("memo", S(11)), sa.Column("receiving_account", JSONB()), sa.Column("paid_at", TS),
        sa.Column("paid_line_id", S(36)))
    op.create_index("ix_remittances_employer_id", "remittances", ["employer_id"])
    op.create_index("uq_remittances_unfinished_employer", "remittances", ["employer_id"], unique=True,
                    postgresql_where=UNFINISHED)
    op.create_index("uq_remittances_outstanding_code", "remittances", ["payment_code"], unique=True,
                    postgresql_where=sa.text("status = 'approved'"))
    op.create_index("ix_remittances_region_status", "remittances", ["region", "status"])
    op.create_table(
        "remittance_lines",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("remittance_id", S(36), nullable=False), sa.Column("employee_id", S(36), nullable=False),
        sa.Column("month", S(6), nullable=False), sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("overridden", sa.Boolean(), nullable=False, server_default=sa.text("false")))
    op.create_index("ix_remittance_lines_remittance_id", "remittance_lines", ["remittance_id"])
    op.create_index("ix_remittance_lines_employee_id", "remittance_lines", ["employee_id"])
    op.create_table(
        "remittance_holds",
        sa.Column("employee_id", S(36), primary_key=True), sa.Column("remittance_id", S(36), nullable=False))
    op.create_index("ix_remittance_holds_remittance_id", "remittance_holds", ["remittance_id"])
    op.create_table(
        "remit_overrides",
        sa.Column("employer_id", S(36), primary_key=True), sa.Column("employee_id", S(36), primary_key=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False), sa.Column("from_month", S(6), nullable=False),
        sa.Column("updated_at", TS, nullable=False))
    op.create_table(
        "remittance_reminders",
        sa.Column("employer_id", S(36), primary_key=True), sa.Column("month", S(6), primary_key=True),
        sa.Column("region", S(6), nullable=False), sa.Column("at", TS, nullable=False), sa.Column("read_at", TS))
    op.create_table(
        "receiving_accounts",
        sa.Column("bureau", S(6), primary_key=True), sa.Column("account_name", S(100), nullable=False),
        sa.Column("account_no", S(40), nullable=False), sa.Column("bank_name", S(100), nullable=False),
        sa.Column("updated_at", TS, nullable=False))
    op.create_table(
        "bank_statements",
        sa.Column("id", S(36), primary_key=True), sa.Column("region", S(6), nullable=False),
        sa.Column("sha256", S(64), nullable=False), sa.Column("filename", S(200)),
        sa.Column("status", S(20), nullable=False), sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("credit_count", sa.Integer(), nullable=False), sa.Column("credit_fen", sa.BigInteger(), nullable=False),
        sa.Column("job_id", S(36)), sa.Column("uploaded_by", S(36), nullable=False),
        sa.Column("uploaded_at", TS, nullable=False), sa.Column("finished_at", TS))
    op.create_index("uq_bank_statements_region_sha", "bank_statements", ["region", "sha256"], unique=True)
    op.create_table(
        "bank_lines",
        sa.Column("id", S(36), primary_key=True), sa.Column("serial", S(64), nullable=False),
        sa.Column("statement_id", S(36), nullable=False), sa.Column("region", S(6), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False), sa.Column("date", S(10), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False), sa.Column("payer_account", S(40)),
        sa.Column("payer_name", S(100)), sa.Column("memo", S(200)), sa.Column("outcome", S(10), nullable=False),
        sa.Column("reason", S(30)), sa.Column("remittance_id", S(36)), sa.Column("employer_id", S(36)),
        sa.Column("at", TS, nullable=False), sa.UniqueConstraint("serial", name="uq_bank_lines_serial"))
    op.create_index("ix_bank_lines_statement_id", "bank_lines", ["statement_id"])
    op.create_index("ix_bank_lines_remittance_id", "bank_lines", ["remittance_id"])
    op.create_index("ix_bank_lines_employer_id", "bank_lines", ["employer_id"])
    op.create_index("ix_bank_lines_region_outcome", "bank_lines", ["region", "outcome"])
    op.create_table(
        "backfills",
        sa.Column("id", S(36), primary_key=True), sa.Column("employer_id", S(36), nullable=False),
        sa.Column("region", S(6), nullable=False), sa.Column("status", S(20), nullable=False),
        sa.Column("rows", JSONB(), nullable=False), sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("attachments", JSONB(), nullable=False), sa.Column("reason", S(500)),
        sa.Column("submitted_by", S(36), nullable=False), sa.Column("submitted_at", TS, nullable=False),
        sa.Column("opinion", S(500)), sa.Column("decided_by", S(36)), sa.Column("decided_at", TS))
    op.create_index("ix_backfills_employer_id", "backfills", ["employer_id"])
    op.create_index("ix_backfills_region_status", "backfills", ["region", "status"])
    op.create_table(
        "withdrawals",
        sa.Column("id", S(36), primary_key=True), sa.Column("employee_id", S(36), nullable=False),
        sa.Column("employer_id", S(36), nullable=False), sa.Column("region", S(6), nullable=False),
        sa.Column("reason_code", S(2), nullable=False), sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("payee_name", S(100), nullable=False), sa.Column("payee_bank", S(100), nullable=False),
        sa.Column("payee_account", S(30), nullable=False), sa.Column("note", S(500)),
        sa.Column("attachments", JSONB(), nullable=False), sa.Column("status", S(20), nullable=False),
        sa.Column("submitted_by", S(36), nullable=False), sa.Column("submitted_at", TS, nullable=False),
        sa.Column("opinion", S(500)), sa.Column("decided_by", S(36)), sa.Column("decided_at", TS),
        sa.Column("paid_at", TS))
    op.create_index("ix_withdrawals_employee_id", "withdrawals", ["employee_id"])
    op.create_index("ix_withdrawals_employer_id", "withdrawals", ["employer_id"])
    op.create_index("ix_withdrawals_region_status", "withdrawals", ["region", "status"])


def downgrade() -> None:
    for table in ("withdrawals", "backfills", "bank_lines", "bank_statements", "receiving_accounts",
                  "remittance_reminders", "remit_overrides", "remittance_holds", "remittance_lines", "remittances"):
        op.drop_table(table)
