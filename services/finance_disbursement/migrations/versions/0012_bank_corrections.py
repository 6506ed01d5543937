"""finance_disbursement: the latest corrected account per individual, and when an item's account was stated

A graduate may correct the account before the payment fails (after the county approval froze the old
one): the correction is kept per individual with its time, and a payment failing later takes it when it
is later than the account that failed (``items.bank_account_at``; issue 13).

Revision ID: 0012_bank_corrections
Revises: 0011_corrected_account
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_bank_corrections"
down_revision = "0011_corrected_account"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("items", sa.Column("bank_account_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "bank_corrections",
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("bank_holder", sa.String(100), nullable=False),
        sa.Column("bank_name", sa.String(200), nullable=False),
        sa.Column("bank_number", sa.String(50), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name="pk_bank_corrections"),
    )


def downgrade() -> None:
    op.drop_table("bank_corrections")
    op.drop_column("items", "bank_account_at")
