"""publicity_assessment: cases, publicity batches, objections, policy, holiday calendar, platform tables

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from publicity_assessment.adapters.calendar_csv import load_shipped_days
from shared.db.migrations import platform_v1, platform_v1_downgrade

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name, nullable=False, **kw):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, **kw)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("round", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("application_no", sa.String(40), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("unit_name", sa.String(200), nullable=False),
        sa.Column("applicant_name", sa.String(50), nullable=False),
        sa.Column("id_number", sa.String(30), nullable=False),
        sa.Column("degree", sa.String(20), nullable=False),
        sa.Column("months", sa.Integer, nullable=False),
        sa.Column("standard_fen", sa.BigInteger, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("snapshot", postgresql.JSONB, nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=True),
        sa.Column("opinion", sa.String(500), nullable=True),
        _ts("received_at", server_default=sa.func.now()),
        _ts("updated_at", server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("application_id", name="pk_cases"),
    )
    op.create_index("ix_cases_county_status", "cases", ["county", "status"])
    op.create_index("ix_cases_batch_id", "cases", ["batch_id"])
    op.create_index("ix_cases_application_no", "cases", ["application_no"])

    op.create_table(
        "publicity_batches",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("batch_no", sa.String(40), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(36), nullable=False),
        _ts("created_at", server_default=sa.func.now()),
        _ts("ended_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_publicity_batches"),
        sa.UniqueConstraint("batch_no", name="uq_publicity_batches_batch_no"),
    )
    op.create_index("ix_publicity_batches_county_status", "publicity_batches", ["county", "status"])

    op.create_table(
        "objections",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("county", sa.String(6), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("contact_name", sa.String(50), nullable=False),
        sa.Column("contact_phone", sa.String(11), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("opinion", sa.String(500), nullable=True),
        _ts("lodged_at", server_default=sa.func.now()),
        _ts("resolved_at", nullable=True),
        sa.Column("resolved_by", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_objections"),
    )
    op.create_index("ix_objections_county_status", "objections", ["county", "status"])
    op.create_index("ix_objections_batch_id_status", "objections", ["batch_id", "status"])
    op.create_index("ix_objections_application_id", "objections", ["application_id"])

    op.create_table(
        "publicity_policies",
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("counts_working_days", sa.Boolean, nullable=False),
        _ts("updated_at", server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("city", name="pk_publicity_policies"),
    )

    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_calendar_days"),
    )
    # data step: the State Council schedule shipped with the service (2025, 2026)
    load_shipped_days(op.get_bind())

    platform_v1(op)


def downgrade() -> None:
    platform_v1_downgrade(op)
    op.drop_table("calendar_days")
    op.drop_table("publicity_policies")
    op.drop_table("objections")
    op.drop_table("publicity_batches")
    op.drop_table("cases")
