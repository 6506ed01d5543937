"""housing_fund: level tables the bureau edits, from an effective month (级别维护)

Revision ID: 0005_employees2
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005_employees2"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "level_tables",
        sa.Column("bureau", sa.String(6), primary_key=True),
        sa.Column("effective_month", sa.String(6), primary_key=True),
        sa.Column("entries", JSONB(), nullable=False),
        sa.Column("reason", sa.String(500)),
        sa.Column("by_account", sa.String(36), nullable=False),
        sa.Column("by_name", sa.String(50)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("level_tables")
