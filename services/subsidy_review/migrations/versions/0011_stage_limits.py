"""subsidy_review: 各环节办理时限 (stage time limits in working days, with effective dates)

Revision ID: 0011_stage_limits
Revises: 0010_application_windows
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_stage_limits"
down_revision = "0010_application_windows"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_limits",
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("city", "stage", "effective_from", name=op.f("pk_stage_limits")),
    )


def downgrade() -> None:
    op.drop_table("stage_limits")
