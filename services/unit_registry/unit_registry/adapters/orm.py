"""unit_registry's tables."""
from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, MetaData, String, Table, UniqueConstraint, text

from shared.db.tables import NAMING

metadata = MetaData(naming_convention=NAMING)

units = Table(
    "units", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("uscc", String(18), nullable=False, unique=True),     # 统一社会信用代码
    Column("org_code", String(9), nullable=False),               # 组织机构代码, characters 9-17 of the USCC
    Column("region", String(6), nullable=False, index=True),     # the county the unit sits in
    Column("supervisor_region", String(6), nullable=False),      # 主管部门: the reviewing county HRSS
    Column("leader", String(50), nullable=False),
    Column("leader_phone", String(20), nullable=False),
    Column("admin_account_id", String(36), nullable=True),
    Column("status", String(20), nullable=False, server_default=text("'pending'")),  # pending|approved|returned
    Column("opinion", String(500), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("approved_at", DateTime(timezone=True), nullable=True),
)

individuals = Table(
    "individuals", metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=False, unique=True),   # one registration per account
    Column("unit_id", String(36), ForeignKey("units.id"), nullable=False),
    Column("name", String(50), nullable=False),
    Column("id_type", String(30), nullable=False),
    Column("id_number", String(30), nullable=False),
    Column("mobile", String(11), nullable=False),
    Column("degree", String(20), nullable=False),
    Column("graduated_on", Date, nullable=False),
    Column("bank_holder", String(50), nullable=False),
    Column("bank_name", String(100), nullable=False),
    Column("bank_number", String(30), nullable=False),
    Column("status", String(20), nullable=False, server_default=text("'pending'")),  # pending|approved|returned
    Column("opinion", String(500), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("approved_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("id_type", "id_number"),  # one person, one registration, whatever the account
)
Index("ix_individuals_unit_id_status", individuals.c.unit_id, individuals.c.status)
