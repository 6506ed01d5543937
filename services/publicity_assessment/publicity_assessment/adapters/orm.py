"""publicity_assessment's tables: its copy of each county-approved application (a *case*), the
publicity batches, the objections lodged against them, the publicity policy per city and the
holiday calendar."""
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)

from shared.db.tables import NAMING, Json

metadata = MetaData(naming_convention=NAMING)

# One row per application that reached stage 5; a return to stage 4 and a new county approval reuse
# the row for the next round (the round number tells a genuine re-entry from a stale event).
cases = Table(
    "cases", metadata,
    Column("application_id", String(36), primary_key=True),
    Column("round", Integer, nullable=False, server_default=text("1")),
    Column("application_no", String(40), nullable=False),
    Column("county", String(6), nullable=False),
    Column("city", String(6), nullable=False),
    Column("unit_id", String(36), nullable=False),
    Column("unit_name", String(200), nullable=False),
    Column("applicant_name", String(50), nullable=False),
    Column("id_number", String(30), nullable=False),
    Column("degree", String(20), nullable=False),
    Column("months", Integer, nullable=False),
    Column("standard_fen", BigInteger, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("snapshot", Json, nullable=False),  # as received, bank account included: stage 7 forwards it
    # awaiting_publicity | in_publicity | objection_upheld | publicity_passed | assessment_passed |
    # assessment_failed | reported
    Column("status", String(30), nullable=False),
    Column("batch_id", String(36), nullable=True),
    Column("opinion", String(500), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
Index("ix_cases_county_status", cases.c.county, cases.c.status)
Index("ix_cases_batch_id", cases.c.batch_id)
Index("ix_cases_application_no", cases.c.application_no)

publicity_batches = Table(
    "publicity_batches", metadata,
    Column("id", String(36), primary_key=True),
    Column("batch_no", String(40), nullable=False, unique=True),  # GS440703-20261125-01
    Column("county", String(6), nullable=False),
    Column("city", String(6), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("status", String(20), nullable=False),  # open | ended
    Column("created_by", String(36), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("ended_at", DateTime(timezone=True), nullable=True),
)
Index("ix_publicity_batches_county_status", publicity_batches.c.county, publicity_batches.c.status)

objections = Table(
    "objections", metadata,
    Column("id", String(36), primary_key=True),
    Column("application_id", String(36), nullable=False),
    Column("batch_id", String(36), nullable=False),
    Column("county", String(6), nullable=False),
    Column("reason", Text, nullable=False),
    Column("contact_name", String(50), nullable=False),
    Column("contact_phone", String(11), nullable=False),
    Column("status", String(20), nullable=False),  # pending | upheld | dismissed
    Column("opinion", String(500), nullable=True),
    Column("lodged_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_by", String(36), nullable=True),
    # the lodging client's address, kept only to throttle the public form (never shown or emitted)
    Column("client_ip", String(45), nullable=True),
)
Index("ix_objections_client_ip_lodged_at", objections.c.client_ip, objections.c.lodged_at)
Index("ix_objections_county_status", objections.c.county, objections.c.status)
Index("ix_objections_batch_id_status", objections.c.batch_id, objections.c.status)
Index("ix_objections_application_id", objections.c.application_id)

publicity_policies = Table(
    "publicity_policies", metadata,
    Column("city", String(6), primary_key=True),
    Column("days", Integer, nullable=False),
    Column("counts_working_days", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The State Council's schedule as data: days off (holiday) and make-up working days (workday) that
# override the Monday-to-Friday rule; an admin adds the next year when it is announced.
calendar_days = Table(
    "calendar_days", metadata,
    Column("day", Date, primary_key=True),
    Column("kind", String(10), nullable=False),  # holiday | workday
    Column("name", String(50), nullable=False),
)

# The years whose schedule is complete: a working-day period is computed only through such years
# (the shipped ones, and each year the admin confirms once its 放假安排 is entered), never guessed.
calendar_years = Table(
    "calendar_years", metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("confirmed_by", String(64), nullable=True),  # NULL: shipped with the service
    Column("confirmed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
