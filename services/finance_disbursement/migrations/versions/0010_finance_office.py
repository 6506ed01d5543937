"""finance_disbursement: arrival confirmation of transfers, bank result files, attempts and returns of
failed payments, clawbacks (issue 13)

Revision ID: 0010_finance_office
Revises: 0009_platform_v3
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010_finance_office"
down_revision = "0009_platform_v3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("county_transfers", sa.Column("received_by", sa.String(36), nullable=True))
    op.add_column("county_transfers", sa.Column("received_at", sa.DateTime(timezone=True), nullable=True))
    # transfers released before this revision were paid without an arrival confirmation: they stay as they are
    op.add_column("items", sa.Column("attempt", sa.Integer, nullable=False, server_default=sa.text("1")))
    op.add_column("items", sa.Column("return_reason", sa.String(500), nullable=True))
    op.create_table(
        "bank_result_files",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("transfer_id", sa.String(36), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(200), nullable=True),
        sa.Column("summary", postgresql.JSONB, nullable=False),
        sa.Column("imported_by", sa.String(36), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bank_result_files"),
        sa.UniqueConstraint("transfer_id", "sha256", name="uq_bank_result_files_transfer_id"),
    )
    op.create_table(
        "clawbacks",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("payment_id", sa.String(36), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("recorded_by", sa.String(36), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recovered_by", sa.String(36), nullable=True),
        sa.Column("recovered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_clawbacks"),
        sa.UniqueConstraint("application_id", "round", name="uq_clawbacks_application_id"),
    )
    op.create_index("ix_clawbacks_county_status", "clawbacks", ["county", "status"])
    op.create_index("ix_clawbacks_batch_id", "clawbacks", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_clawbacks_batch_id", "clawbacks")
    op.drop_index("ix_clawbacks_county_status", "clawbacks")
    op.drop_table("clawbacks")
    op.drop_table("bank_result_files")
    op.drop_column("items", "return_reason")
    op.drop_column("items", "attempt")
    op.drop_column("county_transfers", "received_at")
    op.drop_column("county_transfers", "received_by")
