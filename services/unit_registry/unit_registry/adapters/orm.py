"""unit_registry's tables."""
from sqlalchemy import (
                        BigInteger,
                        Column,
                        Date,
                        DateTime,
                        ForeignKey,
                        Identity,
                        Index,
                        Integer,
                        MetaData,
                        String,
                        Table,
                        UniqueConstraint,
                        text,
)
from sqlalchemy.dialects.postgresql import JSONB

from shared import attachment_records
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
    Column("round", Integer, nullable=False, server_default=text("1")),          # registration round
    Column("terms_version", String(20), nullable=True),                          # 用户须知 accepted
    Column("terms_accepted_at", DateTime(timezone=True), nullable=True),
    Column("attachment_ids", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
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
    Column("round", Integer, nullable=False, server_default=text("1")),
    Column("attachment_ids", JSONB, nullable=False, server_default=text("'[]'::jsonb")),   # 证明材料
    Column("terms_version", String(20), nullable=True),                          # 用户须知 accepted
    Column("terms_accepted_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("id_type", "id_number"),  # one person, one registration, whatever the account
)
Index("ix_individuals_unit_id_status", individuals.c.unit_id, individuals.c.status)

# A change of name, USCC or region (单位信息变更) waits for the county HRSS; the unit's current data
# stays in force until it is approved.
unit_changes = Table(
    "unit_changes", metadata,
    Column("id", String(36), primary_key=True),
    Column("unit_id", String(36), ForeignKey("units.id"), nullable=False),
    Column("supervisor_region", String(6), nullable=False),   # the county reviewing it (the unit's current one)
    Column("before", JSONB, nullable=False),
    Column("after", JSONB, nullable=False),
    Column("attachment_ids", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("status", String(20), nullable=False),              # pending|approved|returned
    Column("opinion", String(500), nullable=True),
    Column("requested_by", String(36), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)
Index("ix_unit_changes_unit_id_status", unit_changes.c.unit_id, unit_changes.c.status)

# Every round of every review (units, their changes, individuals): who did what, when, with which data.
review_history = Table(
    "review_history", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("subject_type", String(20), nullable=False),        # unit | unit_change | individual
    Column("subject_id", String(36), nullable=False),
    Column("round", Integer, nullable=False),
    Column("action", String(20), nullable=False),              # submitted|resubmitted|approved|returned|changed
    Column("opinion", String(500), nullable=True),
    Column("actor_account_id", String(64), nullable=False),
    Column("actor_role", String(30), nullable=False),
    Column("actor_name", String(100), nullable=True),
    Column("data", JSONB, nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_review_history_subject", review_history.c.subject_type, review_history.c.subject_id)

# Attachment records of the files this service's records refer to (营业执照, 证明材料). The bytes live in
# the content-addressed store (shared.attachments); never on the broker.
attachments = attachment_records.table(metadata)
