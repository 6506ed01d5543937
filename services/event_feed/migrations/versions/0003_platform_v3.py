"""event_feed: commit-side times on the outbox and inbox rows for the hand-off measurements (platform_v3)

Revision ID: 0003_platform_v3
Revises: 0002_feed_tokens
"""
from alembic import op

from shared.db.migrations import platform_v3, platform_v3_downgrade

revision = "0003_platform_v3"
down_revision = "0002_feed_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    platform_v3(op)


def downgrade() -> None:
    platform_v3_downgrade(op)
