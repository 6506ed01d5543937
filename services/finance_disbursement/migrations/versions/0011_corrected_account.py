"""finance_disbursement: the account a graduate corrected for a failed payment (individual.bank_account_changed)

Revision ID: 0011_corrected_account
Revises: 0010_finance_office
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_corrected_account"
down_revision = "0010_finance_office"
branch_labels = None
depends_on = None

_COLUMNS = (("corrected_bank_holder", 100), ("corrected_bank_name", 200), ("corrected_bank_number", 50))


def upgrade() -> None:
    for name, length in _COLUMNS:
        op.add_column("items", sa.Column(name, sa.String(length), nullable=True))
    op.add_column("items", sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("items", "corrected_at")
    for name, _length in reversed(_COLUMNS):
        op.drop_column("items", name)
