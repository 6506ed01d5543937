"""subsidy_review: 申报期 (application windows) with graduation ranges; the applicant's graduation date

Revision ID: 0010_application_windows
Revises: 0009_platform_v3
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_application_windows"
down_revision = "0009_platform_v3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("applicants", sa.Column("graduated_on", sa.Date(), nullable=True))
    op.create_table(
        "application_windows",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("graduated_from", sa.Date(), nullable=True),
        sa.Column("graduated_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_application_windows"),
    )
    op.create_index("ix_application_windows_city_status", "application_windows", ["city", "status"])


def downgrade() -> None:
    op.drop_index("ix_application_windows_city_status", table_name="application_windows")
    op.drop_table("application_windows")
    op.drop_column("applicants", "graduated_on")
