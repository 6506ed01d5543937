"""publicity_assessment: the years whose holiday schedule is complete (calendar_years)

A working-day period is computed only through such years; the shipped years (2025, 2026) are marked
complete here, later ones by the admin once their schedule is entered.

Revision ID: 0004_calendar_years
Revises: 0003_security2_objection_ip
"""
import sqlalchemy as sa
from alembic import op

from publicity_assessment.adapters.calendar_csv import load_shipped_years

revision = "0004_calendar_years"
down_revision = "0003_security2_objection_ip"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("confirmed_by", sa.String(64), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_calendar_years"),
    )
    load_shipped_years(op.get_bind())


def downgrade() -> None:
    op.drop_table("calendar_years")
