"""event_feed's tables: the feed (append-only, a trigger refuses UPDATE and DELETE), its head (the last
sequence number handed out: one row, locked by each append, so sequence numbers become visible in
order and without gaps), the webhook endpoints, their deliveries and every delivery attempt."""
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from shared.db.tables import NAMING, Json

metadata = MetaData(naming_convention=NAMING)


def _ts(name: str, nullable: bool = False) -> Column:
    return Column(name, DateTime(timezone=True), nullable=nullable)


feed_head = Table(
    "feed_head", metadata,
    Column("id", Integer, primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
)

feed_events = Table(
    "feed_events", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("type", String(100), nullable=False),
    Column("source", String(100), nullable=False),
    Column("subject", String(100), nullable=False),
    Column("region", String(6), nullable=False),
    Column("city", String(6), nullable=False),
    Column("routing_key", String(255), nullable=False),
    Column("time", String(40), nullable=False),
    Column("envelope", Json, nullable=False),
    _ts("received_at"),
    Index("ix_feed_events_type_seq", "type", "seq"),
    Index("ix_feed_events_region_seq", "region", "seq"),
    Index("ix_feed_events_city_seq", "city", "seq"),
)

webhook_endpoints = Table(
    "webhook_endpoints", metadata,
    Column("id", String(36), primary_key=True),
    Column("url", String(500), nullable=False),
    Column("secret", String(200), nullable=False),
    Column("types", String(500), nullable=True),          # comma-separated type patterns; null: every type
    Column("region", String(6), nullable=True),            # a county or a city; null: everywhere
    Column("description", String(200), nullable=True),
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", Text, nullable=True),
    _ts("disabled_at", nullable=True),
    Column("cursor_seq", BigInteger, nullable=False),      # the feed is fanned out to it up to here
    Column("created_by", String(36), nullable=False),
    _ts("created_at"),
)

webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", String(36), primary_key=True),
    Column("endpoint_id", String(36), ForeignKey("webhook_endpoints.id"), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("status", String(20), nullable=False),          # pending, delivered, failed
    Column("attempts", Integer, nullable=False),
    _ts("created_at"),
    _ts("next_attempt_at", nullable=True),
    _ts("delivered_at", nullable=True),
    Column("last_error", Text, nullable=True),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_endpoint_seq", "endpoint_id", "seq"),
)

webhook_attempts = Table(
    "webhook_attempts", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("delivery_id", String(36), ForeignKey("webhook_deliveries.id"), nullable=False, index=True),
    _ts("at"),
    Column("status_code", Integer, nullable=True),
    Column("duration_ms", Float, nullable=False),
    Column("error", Text, nullable=True),
)

# An integrator's read-only token for GET /events (shown once; only its SHA-256 is kept), scoped to a
# county or a city (null: the whole platform)
feed_tokens = Table(
    "feed_tokens", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("region", String(6), nullable=True),
    Column("created_by", String(36), nullable=False),
    _ts("created_at"),
    _ts("revoked_at", nullable=True),
    _ts("last_used_at", nullable=True),
)
