"""org_confirmation: cases, city batches and the platform tables

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

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("application_no", sa.String(50), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("unit_name", sa.String(200), nullable=False),
        sa.Column("applicant_name", sa.String(50), nullable=False),
        sa.Column("degree", sa.String(20), nullable=False),
        sa.Column("months", sa.Integer, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("snapshot", JSON, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("city_batch_id", sa.String(36), nullable=True),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name="pk_cases"),
    )
    op.create_index("ix_cases_city_batch_id", "cases", ["city_batch_id"])
    op.create_index("ix_cases_county_status", "cases", ["county", "status"])
    op.create_index("ix_cases_city_status", "cases", ["city", "status"])
    op.create_table(
        "city_batches",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("batch_no", sa.String(40), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("counties", JSON, nullable=False),
        sa.Column("application_ids", JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_by_name", sa.String(50), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_by_name", sa.String(50), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_city_batches"),
        sa.UniqueConstraint("batch_no", name="uq_city_batches_batch_no"),
    )
    op.create_index("ix_city_batches_city_status", "city_batches", ["city", "status"])
    platform_v1(op)


def downgrade() -> None:
    platform_v1_downgrade(op)
    op.drop_table("city_batches")
    op.drop_table("cases")
