"""org_confirmation's tables: one case per application (its latest round) and the city batches."""
from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table

from shared.db.tables import NAMING, Json

metadata = MetaData(naming_convention=NAMING)

cases = Table(
    "cases", metadata,
    Column("application_id", String(36), primary_key=True),
    Column("round", Integer, nullable=False),
    Column("application_no", String(50), nullable=False),
    Column("county", String(6), nullable=False),
    Column("city", String(6), nullable=False),
    Column("unit_id", String(36), nullable=False),
    Column("unit_name", String(200), nullable=False),
    Column("applicant_name", String(50), nullable=False),
    Column("degree", String(20), nullable=False),
    Column("months", Integer, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    # the application as the county HRSS approved it (incl. bank account): handed on to city finance
    Column("snapshot", Json, nullable=False),
    Column("status", String(30), nullable=False),
    Column("city_batch_id", String(36), nullable=True, index=True),
    Column("opinion", String(500), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_cases_county_status", cases.c.county, cases.c.status)
Index("ix_cases_city_status", cases.c.city, cases.c.status)

city_batches = Table(
    "city_batches", metadata,
    Column("id", String(36), primary_key=True),
    Column("batch_no", String(40), nullable=False, unique=True),
    Column("city", String(6), nullable=False),
    Column("count", Integer, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("counties", Json, nullable=False),          # [{county, count, amount_fen}]
    # the members at aggregation: a returned case may later join another batch, the record stays
    Column("application_ids", Json, nullable=False),
    Column("status", String(20), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_by_name", String(50), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", String(64), nullable=True),
    Column("decided_by_name", String(50), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)
Index("ix_city_batches_city_status", city_batches.c.city, city_batches.c.status)
