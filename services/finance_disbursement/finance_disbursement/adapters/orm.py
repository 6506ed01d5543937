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
    # confirmed | released | paid | receipt_confirmed | receipt_disputed | payment_failed | payment_returned
    Column("status", String(20), nullable=False, server_default=text("'confirmed'")),
    Column("transfer_id", String(36), nullable=True, index=True),
    Column("payment_id", String(36), nullable=True),
    Column("failure_reason", String(200), nullable=True),
    # which attempt at the bank this is (1, then +1 per retry): a bank result line names it
    Column("attempt", Integer, nullable=False, server_default=text("1")),
    Column("return_reason", String(500), nullable=True),
    # the account the graduate corrected in unit_registry while this payment had failed
    # (individual.bank_account_changed); a retry without a typed account uses it, then it is cleared
    Column("corrected_bank_holder", String(100), nullable=True),
    Column("corrected_bank_name", String(200), nullable=True),
    Column("corrected_bank_number", String(50), nullable=True),
    Column("corrected_at", DateTime(timezone=True), nullable=True),
    # when the account in bank_* was stated: unit_registry's time of the account the county approval froze
    # (the snapshot's bank_account_at), the correction's time or the typing's on a retry; a failed payment
    # takes a correction only if it is later (NULL: unknown, an account other than this one is taken)
    Column("bank_account_at", DateTime(timezone=True), nullable=True),
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
    Column("status", String(20), nullable=False),  # released | received | paid
    Column("released_by", String(36), nullable=False),
    Column("released_at", DateTime(timezone=True), nullable=False),
    Column("received_by", String(36), nullable=True),  # 到账确认 by county finance
    Column("received_at", DateTime(timezone=True), nullable=True),
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

# A bank's result file (回盘) imported for a transfer: the same file (SHA-256) twice changes nothing.
bank_result_files = Table(
    "bank_result_files", metadata,
    Column("id", String(36), primary_key=True),
    Column("transfer_id", String(36), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("filename", String(200), nullable=True),
    Column("summary", Json, nullable=False),  # {paid, failed, unchanged, rejected, lines: [...]}
    Column("imported_by", String(36), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("transfer_id", "sha256"),
)

# 追回: money paid to an individual that is to come back (one per application round).
clawbacks = Table(
    "clawbacks", metadata,
    Column("id", String(36), primary_key=True),
    Column("application_id", String(36), nullable=False),
    Column("round", Integer, nullable=False),
    Column("payment_id", String(36), nullable=False),
    Column("batch_id", String(36), nullable=False),
    Column("county", String(6), nullable=False),
    Column("city", String(6), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(20), nullable=False),  # recorded | recovered
    Column("recorded_by", String(36), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recovered_by", String(36), nullable=True),
    Column("recovered_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("application_id", "round"),
)
Index("ix_clawbacks_county_status", clawbacks.c.county, clawbacks.c.status)
Index("ix_clawbacks_batch_id", clawbacks.c.batch_id)

# The latest account each individual corrected in unit_registry (individual.bank_account_changed), with
# its time, whether or not a payment of theirs had failed then: a payment failing later (回盘) takes it
# when it is later than the account that failed (a correction made before the failure reaches the retry).
bank_corrections = Table(
    "bank_corrections", metadata,
    Column("account_id", String(36), primary_key=True),  # the individual's login account, as on items
    Column("bank_holder", String(100), nullable=False),
    Column("bank_name", String(200), nullable=False),
    Column("bank_number", String(50), nullable=False),
    Column("corrected_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
