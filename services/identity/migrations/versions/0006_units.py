"""identity: units (统一社会信用代码 / 组织机构代码 login)

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("org_code", sa.String(9), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("unit_id", name="pk_units"),
    )
    op.create_index("ix_units_uscc", "units", ["uscc"])
    op.create_index("ix_units_org_code", "units", ["org_code"])


def downgrade() -> None:
    op.drop_table("units")
