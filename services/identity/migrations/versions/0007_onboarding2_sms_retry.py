"""identity: message SMS attempts, the time a sender claimed one, the reason it failed (the sweeper
re-sends messages stuck in "sending")

Revision ID: 0007_onboarding2_sms_retry
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_onboarding2_sms_retry"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("messages", sa.Column("sms_attempts", sa.Integer, nullable=False, server_default=sa.text("0")))
    op.add_column("messages", sa.Column("sms_claimed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("messages", sa.Column("sms_error", sa.String(200), nullable=True))
    op.create_index("ix_messages_sms_state", "messages", ["sms_state"])


def downgrade() -> None:
    op.drop_index("ix_messages_sms_state", table_name="messages")
    op.drop_column("messages", "sms_error")
    op.drop_column("messages", "sms_claimed_at")
    op.drop_column("messages", "sms_attempts")
