"""unit_registry: units, individuals and the platform tables

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from shared.db.migrations import platform_v1, platform_v1_downgrade

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("org_code", sa.String(9), nullable=False),
        sa.Column("region", sa.String(6), nullable=False),
        sa.Column("supervisor_region", sa.String(6), nullable=False),
        sa.Column("leader", sa.String(50), nullable=False),
        sa.Column("leader_phone", sa.String(20), nullable=False),
        sa.Column("admin_account_id", sa.String(36), nullable=True),
        sa.Column("status", sa.String(20), nullable=False, server_default=sa.text("'pending'")),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_units"),
        sa.UniqueConstraint("uscc", name="uq_units_uscc"),
    )
    op.create_index("ix_units_region", "units", ["region"])
    op.create_table(
        "individuals",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("id_type", sa.String(30), nullable=False),
        sa.Column("id_number", sa.String(30), nullable=False),
        sa.Column("mobile", sa.String(11), nullable=False),
        sa.Column("degree", sa.String(20), nullable=False),
        sa.Column("graduated_on", sa.Date, nullable=False),
        sa.Column("bank_holder", sa.String(50), nullable=False),
        sa.Column("bank_name", sa.String(100), nullable=False),
        sa.Column("bank_number", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default=sa.text("'pending'")),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_individuals"),
        sa.UniqueConstraint("account_id", name="uq_individuals_account_id"),
        sa.UniqueConstraint("id_type", "id_number", name="uq_individuals_id_type"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_individuals_unit_id_units"),
    )
    op.create_index("ix_individuals_unit_id_status", "individuals", ["unit_id", "status"])
    platform_v1(op)


def downgrade() -> None:
    platform_v1_downgrade(op)
    op.drop_table("individuals")
    op.drop_table("units")
