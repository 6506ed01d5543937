"""subsidy_review's tables: its copies of units and applicants (from unit_registry's events), the
policy, applications and their timeline."""
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from shared import attachment_records
from shared.db.tables import NAMING, Json

metadata = MetaData(naming_convention=NAMING)


def _ts(name, nullable=True, **kw):
    return Column(name, DateTime(timezone=True), nullable=nullable, **kw)


units = Table(
    "units", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("uscc", String(18), nullable=True),
    Column("region", String(6), nullable=False),
    Column("status", String(20), nullable=False),
    _ts("updated_at", nullable=False, server_default=func.now()),
)

applicants = Table(
    "applicants", metadata,
    Column("individual_id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=True, unique=True),
    Column("unit_id", String(36), nullable=False),
    Column("unit_name", String(100), nullable=True),
    Column("name", String(50), nullable=False),
    Column("id_type", String(30), nullable=False),
    Column("id_number", String(30), nullable=False),
    Column("mobile", String(11), nullable=True),
    Column("degree", String(20), nullable=True),
    Column("graduated_on", Date, nullable=True),   # the graduation window is checked against it
    Column("region", String(6), nullable=False),
    Column("status", String(20), nullable=False),
    Column("bank_account", Json, nullable=True),
    # when unit_registry stated that account (the event's time): a later statement replaces it, an older
    # one arriving late does not (use_cases/mirrors.py)
    _ts("bank_account_at"),
    _ts("updated_at", nullable=False, server_default=func.now()),
)

policies = Table(
    "policies", metadata,
    Column("city", String(6), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("standards_fen", Json, nullable=False),
    Column("max_months", Integer, nullable=False),
    _ts("updated_at", nullable=False, server_default=func.now()),
)

# 申报期 and its graduation range: city policy data with effective dates (cancelled rows are kept)
application_windows = Table(
    "application_windows", metadata,
    Column("id", String(36), primary_key=True),
    Column("city", String(6), nullable=False),
    Column("name", String(50), nullable=False),
    Column("opens_on", Date, nullable=False),
    Column("closes_on", Date, nullable=False),
    Column("graduated_from", Date, nullable=True),
    Column("graduated_to", Date, nullable=True),
    Column("status", String(20), nullable=False),
    Column("created_by", String(64), nullable=False),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
)
Index("ix_application_windows_city_status", application_windows.c.city, application_windows.c.status)

counters = Table(
    "counters", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

applications = Table(
    "applications", metadata,
    Column("id", String(36), primary_key=True),
    Column("application_no", String(30), nullable=False, unique=True),
    Column("individual_id", String(36), nullable=False),
    Column("account_id", String(36), nullable=True),
    Column("unit_id", String(36), nullable=False),
    Column("unit_name", String(100), nullable=False),
    Column("county", String(6), nullable=False),
    Column("city", String(6), nullable=False),
    Column("applicant_name", String(50), nullable=False),
    Column("id_type", String(30), nullable=False),
    Column("id_number", String(30), nullable=False),
    Column("mobile", String(11), nullable=True),
    Column("degree", String(20), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("months", Integer, nullable=False),
    Column("standard_fen", BigInteger, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("policy_version", Integer, nullable=False),
    Column("work_history", Json, nullable=True),
    Column("bank_account", Json, nullable=True),   # frozen at the county approval
    _ts("bank_account_at"),   # when unit_registry stated the frozen account (finance compares corrections)
    Column("status", String(30), nullable=False),
    Column("round", Integer, nullable=False, server_default="0"),
    Column("opinion", Text, nullable=True),
    _ts("submitted_at"),
    _ts("reported_at"),
    _ts("county_approved_at"),
    _ts("created_at", nullable=False, server_default=func.now()),
    _ts("updated_at", nullable=False, server_default=func.now()),
    Column("attachment_ids", JSONB, nullable=False, server_default=text("'[]'::jsonb")),   # 申请材料
    _ts("waiting_since"),   # when the stay it still waits in began (adapters/waiting.py); NULL: final
)
# 申请材料 (stage 1): records of the uploads linked to applications; the bytes stay in the store
attachments = attachment_records.table(metadata)
# the lists (within the caller's area, newest change first, optionally by status), the to-do counters and
# the statistics (covering: index only) at 100,000 applications; migration 0012_read_indexes
for _area, _column in (("unit", applications.c.unit_id), ("county", applications.c.county),
                       ("city", applications.c.city)):
    Index(f"ix_applications_{_area}_status", _column, applications.c.status, applications.c.updated_at.desc(),
          applications.c.id)
    Index(f"ix_applications_{_area}_updated", _column, applications.c.updated_at.desc(), applications.c.id)
for _area, _column in (("county", applications.c.county), ("city", applications.c.city)):
    Index(f"ix_applications_{_area}_totals", _column, applications.c.status, applications.c.unit_name,
          postgresql_include=["amount_fen"])
# 其中超时 of a to-do counter: the waiting applications of an area by status and since when, index only
# (the city among the included columns); migration 0014_waiting_since
for _area, _column in (("unit", applications.c.unit_id), ("county", applications.c.county),
                       ("city", applications.c.city)):
    Index(f"ix_applications_{_area}_waiting", _column, applications.c.status, applications.c.waiting_since,
          postgresql_include=[] if _area == "city" else ["city"])
Index("ix_applications_account", applications.c.account_id)

timeline = Table(
    "timeline", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("application_id", String(36), nullable=False),
    Column("stage", Integer, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("status", String(30), nullable=True),
    Column("round", Integer, nullable=False),
    Column("actor_role", String(30), nullable=True),
    Column("actor_account", String(64), nullable=True),
    Column("actor_name", String(100), nullable=True),
    Column("opinion", Text, nullable=True),
    Column("event_id", String(36), nullable=False),
    _ts("at", nullable=False),
    UniqueConstraint("event_id", name="uq_timeline_event_id"),
)
Index("ix_timeline_application", timeline.c.application_id, timeline.c.at)

# 各环节办理时限: a city's time limit per stage in working days; each change is a new version from its date
stage_limits = Table(
    "stage_limits", metadata,
    Column("city", String(6), primary_key=True),
    Column("stage", Integer, primary_key=True),
    Column("effective_from", Date, primary_key=True),
    Column("working_days", Integer, nullable=False),
    Column("set_by", String(64), nullable=True),
    _ts("set_at", nullable=False, server_default=func.now()),
)
