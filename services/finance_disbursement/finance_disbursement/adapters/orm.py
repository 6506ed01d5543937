"""finance_disbursement's tables: the city batches, their items, county transfers and payments."""
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from shared.db.tables import NAMING, Json

metadata = MetaData(naming_convention=NAMING)

# A city batch confirmed by the city organisation department (id = org_confirmation's batch id).
disbursement_batches = Table(
    "disbursement_batches", metadata,
    Column("id", String(36), primary_key=True),
    Column("batch_no", String(50), nullable=False),
    Column("city", String(6), nullable=False),
    Column("expected_count", Integer, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("counties", Json, nullable=False),  # [{county, count, amount_fen}] as the city org confirmed them
    # waiting_items | ready | partly_released | released
    Column("status", String(20), nullable=False, server_default=text("'waiting_items'")),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("ready_at", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_disbursement_batches_city_status", disbursement_batches.c.city, disbursement_batches.c.status)

# One application of a batch in one round: the finance bureau's copy of the confirmed snapshot.
items = Table(
    "items", metadata,
    Column("application_id", String(36), nullable=False),
    Column("round", Integer, nullable=False),
    Column("batch_id", String(36), nullable=False, index=True),
    Column("application_no", String(50), nullable=False),
    Column("county", String(6), nullable=False),
    Column("city", String(6), nullable=False),
    Column("unit_id", String(36), nullable=False),
    Column("unit_name", String(200), nullable=False),
    Column("applicant_name", String(50), nullable=False),
    Column("account_id", String(36), nullable=True, index=True),  # the individual's login account
    Column("amount_fen", BigInteger, nullable=False),
    Column("bank_holder", String(100), nullable=True),
    Column("bank_name", String(200), nullable=True),
    Column("bank_number", String(50), nullable=True),
    # confirmed | released | paid | receipt_confirmed | receipt_disputed | payment_failed
    Column("status", String(20), nullable=False, server_default=text("'confirmed'")),
    Column("transfer_id", String(36), nullable=True, index=True),
    Column("payment_id", String(36), nullable=True),
    Column("failure_reason", String(200), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("application_id", "round"),
)

# City finance -> county finance: one transfer per county of a batch (the UNIQUE forbids a second one).
county_transfers = Table(
    "county_transfers", metadata,
    Column("id", String(36), primary_key=True),
    Column("transfer_no", String(40), nullable=False, unique=True),
    Column("batch_id", String(36), nullable=False),
    Column("city", String(6), nullable=False),
    Column("county", String(6), nullable=False),
    Column("count", Integer, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("status", String(20), nullable=False),  # released | paid
    Column("released_by", String(36), nullable=False),
    Column("released_at", DateTime(timezone=True), nullable=False),
    Column("paid_by", String(36), nullable=True),
    Column("paid_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("batch_id", "county"),
)
Index("ix_county_transfers_county_status", county_transfers.c.county, county_transfers.c.status)

# County finance -> the individual. UNIQUE(application_id, round): the money of a round goes out once.
payments = Table(
    "payments", metadata,
    Column("id", String(36), primary_key=True),
    Column("application_id", String(36), nullable=False),
    Column("round", Integer, nullable=False),
    Column("transfer_id", String(36), nullable=False, index=True),
    Column("account_id", String(36), nullable=True, index=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("bank_holder", String(100), nullable=False),
    Column("bank_name", String(200), nullable=False),
    Column("bank_number", String(50), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("paid_by", String(36), nullable=False),
    Column("paid_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),  # paid | receipt_confirmed | receipt_disputed
    Column("confirmed_at", DateTime(timezone=True), nullable=True),
    Column("disputed_at", DateTime(timezone=True), nullable=True),
    Column("dispute_opinion", Text, nullable=True),
    UniqueConstraint("application_id", "round"),
)
