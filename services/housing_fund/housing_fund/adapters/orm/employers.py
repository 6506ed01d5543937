"""Employers (汇缴单位): their registration rounds, change requests and the bureaus' level tables."""
from sqlalchemy import BigInteger, Boolean, Column, DateTime, Index, Integer, String, Table, func, text

from housing_fund.adapters.orm.base import metadata
from shared.db.tables import Json

# Employers (汇缴单位): "units" of line B, kept apart from line A's units in unit_registry.
employers = Table(
    "employers", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("org_code", String(9), nullable=False, unique=True),  # 组织机构代码: the employer's login on line B
    Column("region", String(6), nullable=False, index=True),
    Column("status", String(2), nullable=False, server_default=text("'02'")),  # see domain.employers
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("uscc", String(18), nullable=True, unique=True),
    Column("trade_code", String(5), nullable=True, unique=True),  # 单位交易代码, assigned at approval
    Column("source", String(20), nullable=False, server_default=text("'registered'")),  # registered | migrated
    Column("review_status", String(20), nullable=False, server_default=text("'approved'")),  # pending|approved|returned
    Column("round", Integer, nullable=False, server_default=text("1")),
    Column("opinion", String(500), nullable=True),
    Column("profile", Json, nullable=False, server_default=text("'{}'::jsonb")),  # address, legal person, bank...
    Column("contact_mobile", String(11), nullable=True, index=True),
    Column("attachments", Json, nullable=False, server_default=text("'[]'::jsonb")),
    Column("approved_at", DateTime(timezone=True), nullable=True),
    Column("initialised_at", DateTime(timezone=True), nullable=True),  # 职工信息初始化 submitted
)
Index("ix_employers_review_status", employers.c.review_status)

# Every round of a registration as submitted and decided (resubmission keeps every round).
employer_rounds = Table(
    "employer_rounds", metadata,
    Column("id", String(36), primary_key=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("round", Integer, nullable=False),
    Column("data", Json, nullable=False),
    Column("attachments", Json, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("decision", String(20), nullable=True),  # approved | returned
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_by_name", String(50), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)

# 单位信息变更: a request with attachments; effective once the bureau approves (the change history).
employer_changes = Table(
    "employer_changes", metadata,
    Column("id", String(36), primary_key=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("region", String(6), nullable=False),
    Column("status", String(20), nullable=False),  # pending | approved | returned
    Column("before", Json, nullable=False),
    Column("after", Json, nullable=False),
    Column("attachments", Json, nullable=False),
    Column("reason", String(500), nullable=True),
    Column("submitted_by", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)
Index("ix_employer_changes_region_status", employer_changes.c.region, employer_changes.c.status)

# Levels (级别) and their monthly amounts, per bureau (a city's or a county's housing bureau).
levels = Table(
    "levels", metadata,
    Column("bureau", String(6), primary_key=True),
    Column("code", String(10), primary_key=True),
    Column("name", String(30), nullable=False),
    Column("monthly_fen", BigInteger, nullable=False),
    Column("sort", Integer, nullable=False, server_default=text("0")),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# A bureau's edited level table from a month on (the newest whose month has come applies; before any,
# ``levels`` above): the whole table each time, with who set it and why (级别维护).
level_tables = Table(
    "level_tables", metadata,
    Column("bureau", String(6), primary_key=True),
    Column("effective_month", String(6), primary_key=True),
    Column("entries", Json, nullable=False),  # [{code, name, monthly_fen}]
    Column("reason", String(500), nullable=True),
    Column("by_account", String(36), nullable=False),
    Column("by_name", String(50), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)
