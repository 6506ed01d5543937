"""subsidy_review: indexes for the lists, counters and statistics at 100,000 applications (issue 15)

Each list is read within the caller's area (unit, county or city), newest change first
(``ORDER BY updated_at DESC, id``), optionally narrowed by status: one index per area leads with the
area, then the status, then the order, so a page deep in a filtered list and a to-do counter are index
scans. The statistics (count and amount per status and unit) read covering indexes, index only.

Revision ID: 0012_read_indexes
Revises: 0011_stage_limits
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_read_indexes"
down_revision = "0011_stage_limits"
branch_labels = None
depends_on = None

AREAS = ("unit", "county", "city")


def _column(area: str) -> str:
    return "unit_id" if area == "unit" else area


def upgrade() -> None:
    for area in AREAS:
        op.drop_index(f"ix_applications_{area}_status", table_name="applications")
        op.create_index(f"ix_applications_{area}_status", "applications",
                        [_column(area), "status", sa.text("updated_at DESC"), "id"])
        op.create_index(f"ix_applications_{area}_updated", "applications",
                        [_column(area), sa.text("updated_at DESC"), "id"])
    for area in ("county", "city"):
        op.create_index(f"ix_applications_{area}_totals", "applications", [area, "status", "unit_name"],
                        postgresql_include=["amount_fen"])


def downgrade() -> None:
    for area in ("county", "city"):
        op.drop_index(f"ix_applications_{area}_totals", table_name="applications")
    for area in AREAS:
        op.drop_index(f"ix_applications_{area}_updated", table_name="applications")
        op.drop_index(f"ix_applications_{area}_status", table_name="applications")
        op.create_index(f"ix_applications_{area}_status", "applications", [_column(area), "status"])
