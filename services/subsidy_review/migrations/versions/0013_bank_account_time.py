"""subsidy_review: when unit_registry stated an applicant's bank account, and the frozen one's (issue 13)

subsidy_review now takes ``individual.bank_account_changed``: the copy of the person keeps the time its
account was stated (the newest statement wins, whatever order the queues deliver them in), and the
county approval freezes that time with the account, so finance_disbursement can tell a later correction.

Revision ID: 0013_bank_account_time
Revises: 0012_read_indexes
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_bank_account_time"
down_revision = "0012_read_indexes"
branch_labels = None
depends_on = None

TABLES = ("applicants", "applications")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("bank_account_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "bank_account_at")
