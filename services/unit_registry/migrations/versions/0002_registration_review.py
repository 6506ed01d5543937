"""unit_registry: unit registration review (用户须知 acceptance, rounds, change requests) and attachment records

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.add_column("units", sa.Column("round", sa.Integer, nullable=False, server_default=sa.text("1")))
    op.add_column("units", sa.Column("terms_version", sa.String(20), nullable=True))
    op.add_column("units", sa.Column("terms_accepted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("units", sa.Column("attachment_ids", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")))
    op.add_column("individuals", sa.Column("round", sa.Integer, nullable=False, server_default=sa.text("1")))
    op.add_column("individuals", sa.Column("attachment_ids", JSONB, nullable=False,
                                           server_default=sa.text("'[]'::jsonb")))
    op.create_table(
        "unit_changes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("supervisor_region", sa.String(6), nullable=False),
        sa.Column("before", JSONB, nullable=False),
        sa.Column("after", JSONB, nullable=False),
        sa.Column("attachment_ids", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("requested_by", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_unit_changes"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_unit_changes_unit_id_units"),
    )
    op.create_index("ix_unit_changes_unit_id_status", "unit_changes", ["unit_id", "status"])
    op.create_table(
        "review_history",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column("subject_type", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.String(36), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("actor_account_id", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(30), nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=True),
        sa.Column("data", JSONB, nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_history"),
    )
    op.create_index("ix_review_history_subject", "review_history", ["subject_type", "subject_id"])
    op.create_table(
        "attachments",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("uploader_account_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject_type", sa.String(20), nullable=True),
        sa.Column("subject_id", sa.String(36), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
    )
    op.create_index("ix_attachments_subject", "attachments", ["subject_type", "subject_id"])


def downgrade() -> None:
    op.drop_table("attachments")
    op.drop_table("review_history")
    op.drop_table("unit_changes")
    op.drop_column("individuals", "attachment_ids")
    op.drop_column("individuals", "round")
    for name in ("attachment_ids", "terms_accepted_at", "terms_version", "round"):
        op.drop_column("units", name)
