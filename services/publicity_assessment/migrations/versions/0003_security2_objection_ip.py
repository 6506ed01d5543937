"""publicity_assessment: objections remember the lodging client's address (throttle of the public form)

Revision ID: 0003_security2_objection_ip
Revises: 0002_platform_v2
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_security2_objection_ip"
down_revision = "0002_platform_v2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("objections", sa.Column("client_ip", sa.String(45), nullable=True))
    op.create_index("ix_objections_client_ip_lodged_at", "objections", ["client_ip", "lodged_at"])


def downgrade() -> None:
    op.drop_index("ix_objections_client_ip_lodged_at", table_name="objections")
    op.drop_column("objections", "client_ip")
