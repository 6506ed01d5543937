"""housing_fund's tables."""
from sqlalchemy import Column, DateTime, MetaData, String, Table, text

from shared.db.tables import NAMING

metadata = MetaData(naming_convention=NAMING)

# Employers (缴存单位): "units" of line B, kept apart from line A's units in unit_registry.
employers = Table(
    "employers", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("org_code", String(9), nullable=False, unique=True),  # 组织机构代码: the employer's login on line B
    Column("region", String(6), nullable=False, index=True),
    Column("status", String(2), nullable=False, server_default=text("'02'")),  # see domain.employers
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
