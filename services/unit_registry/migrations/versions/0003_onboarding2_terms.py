"""unit_registry: 个人注册 records the 用户须知 version accepted and when (as 单位注册 does)

Revision ID: 0003_onboarding2_terms
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_onboarding2_terms"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("individuals", sa.Column("terms_version", sa.String(20), nullable=True))
    op.add_column("individuals", sa.Column("terms_accepted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("individuals", "terms_accepted_at")
    op.drop_column("individuals", "terms_version")
