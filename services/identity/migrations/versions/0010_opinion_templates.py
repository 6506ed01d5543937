"""identity: saved opinion templates (常用审核意见) per officer

Revision ID: 0010_opinion_templates
Revises: 0007_onboarding2_sms_retry
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_opinion_templates"
down_revision = "0007_onboarding2_sms_retry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opinion_templates",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), server_default=sa.text("'any'"), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_opinion_templates"),
    )
    op.create_index("ix_opinion_templates_account_order", "opinion_templates", ["account_id", "sort_order"])
    op.create_index("uq_opinion_templates_account_text", "opinion_templates", ["account_id", "text"], unique=True)


def downgrade() -> None:
    op.drop_table("opinion_templates")
