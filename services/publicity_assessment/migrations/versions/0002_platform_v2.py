"""publicity_assessment: idempotency keys bound to their arguments, hash-chained audit trail (platform_v2)

Revision ID: 0002_platform_v2
Revises: 0001
"""
from alembic import op

from shared.db.migrations import platform_v2, platform_v2_downgrade

revision = "0002_platform_v2"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    platform_v2(op)


def downgrade() -> None:
    platform_v2_downgrade(op)
