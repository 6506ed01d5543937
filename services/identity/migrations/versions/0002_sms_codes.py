"""identity: SMS codes, the development SMS inbox, identity policy data

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
    op.create_table(
        "sms_codes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("mobile", sa.String(11), nullable=False),
        sa.Column("purpose", sa.String(30), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("delivery", sa.String(20), nullable=False, server_default=sa.text("'pending'")),
        sa.PrimaryKeyConstraint("id", name="pk_sms_codes"),
    )
    op.create_index("ix_sms_codes_mobile_created", "sms_codes", ["mobile", "created_at"])
    op.create_table(
        "sms_dev_inbox",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("mobile", sa.String(11), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sms_dev_inbox"),
    )
    op.create_index("ix_sms_dev_inbox_mobile", "sms_dev_inbox", ["mobile"])
    op.create_table(
        "identity_policy",
        sa.Column("key", sa.String(50), nullable=False),
        sa.Column("value", JSONB, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("key", name="pk_identity_policy"),
    )


def downgrade() -> None:
    op.drop_table("identity_policy")
    op.drop_table("sms_dev_inbox")
    op.drop_table("sms_codes")
