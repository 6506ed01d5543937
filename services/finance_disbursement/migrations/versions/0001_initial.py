"""finance_disbursement: batches, items, county transfers, payments and the platform tables

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import platform_v1, platform_v1_downgrade

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disbursement_batches",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("batch_no", sa.String(50), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("expected_count", sa.Integer, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("counties", postgresql.JSONB, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default=sa.text("'waiting_items'")),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_disbursement_batches"),
    )
    op.create_index("ix_disbursement_batches_city_status", "disbursement_batches", ["city", "status"])

    op.create_table(
        "items",
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("application_no", sa.String(50), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("unit_name", sa.String(200), nullable=False),
        sa.Column("applicant_name", sa.String(50), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=True),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("bank_holder", sa.String(100), nullable=True),
        sa.Column("bank_name", sa.String(200), nullable=True),
        sa.Column("bank_number", sa.String(50), nullable=True),
        sa.Column("status", sa.String(20), nullable=False, server_default=sa.text("'confirmed'")),
        sa.Column("transfer_id", sa.String(36), nullable=True),
        sa.Column("payment_id", sa.String(36), nullable=True),
        sa.Column("failure_reason", sa.String(200), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_id", "round", name="pk_items"),
    )
    op.create_index("ix_items_batch_id", "items", ["batch_id"])
    op.create_index("ix_items_account_id", "items", ["account_id"])
    op.create_index("ix_items_transfer_id", "items", ["transfer_id"])

    op.create_table(
        "county_transfers",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("transfer_no", sa.String(40), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("released_by", sa.String(36), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_by", sa.String(36), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_county_transfers"),
        sa.UniqueConstraint("transfer_no", name="uq_county_transfers_transfer_no"),
        sa.UniqueConstraint("batch_id", "county", name="uq_county_transfers_batch_id"),
    )
    op.create_index("ix_county_transfers_county_status", "county_transfers", ["county", "status"])

    op.create_table(
        "payments",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("transfer_id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=True),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("bank_holder", sa.String(100), nullable=False),
        sa.Column("bank_name", sa.String(200), nullable=False),
        sa.Column("bank_number", sa.String(50), nullable=False),
        sa.Column("paid_on", sa.Date, nullable=False),
        sa.Column("paid_by", sa.String(36), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disputed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispute_opinion", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
        # money of one application's round is paid at most once, whatever the application code does
        sa.UniqueConstraint("application_id", "round", name="uq_payments_application_id"),
    )
    op.create_index("ix_payments_transfer_id", "payments", ["transfer_id"])
    op.create_index("ix_payments_account_id", "payments", ["account_id"])
    platform_v1(op)


def downgrade() -> None:
    platform_v1_downgrade(op)
    op.drop_table("payments")
    op.drop_table("county_transfers")
    op.drop_table("items")
    op.drop_table("disbursement_batches")
