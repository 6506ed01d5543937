"""identity: in-app messages and the owners of applications

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("link", sa.String(200), nullable=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sms_mobile", sa.String(11), nullable=True),
        sa.Column("sms_state", sa.String(10), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.UniqueConstraint("event_id", name="uq_messages_event_id"),
    )
    op.create_index("ix_messages_account_created", "messages", ["account_id", "created_at"])
    op.create_table(
        "application_owners",
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name="pk_application_owners"),
    )


def downgrade() -> None:
    op.drop_table("application_owners")
    op.drop_table("messages")
