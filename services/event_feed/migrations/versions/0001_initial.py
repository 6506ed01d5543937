"""event_feed: the feed (append-only, gap-free sequence), webhooks, platform tables

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import (
    append_only_sql,
    platform_v1,
    platform_v1_downgrade,
    platform_v2,
    platform_v2_downgrade,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name, nullable=False, **kw):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, **kw)


def upgrade() -> None:
    op.create_table(
        "feed_head",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feed_head"),
    )
    op.execute("INSERT INTO feed_head (id, last_seq) VALUES (1, 0)")
    op.create_table(
        "feed_events",
        sa.Column("seq", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("region", sa.String(6), nullable=False),
        sa.Column("city", sa.String(6), nullable=False),
        sa.Column("routing_key", sa.String(255), nullable=False),
        sa.Column("time", sa.String(40), nullable=False),
        sa.Column("envelope", postgresql.JSONB, nullable=False),
        _ts("received_at"),
        sa.PrimaryKeyConstraint("seq", name="pk_feed_events"),
        sa.UniqueConstraint("event_id", name="uq_feed_events_event_id"),
    )
    op.create_index("ix_feed_events_type_seq", "feed_events", ["type", "seq"])
    op.create_index("ix_feed_events_region_seq", "feed_events", ["region", "seq"])
    op.create_index("ix_feed_events_city_seq", "feed_events", ["city", "seq"])
    op.execute(append_only_sql("feed_events", "feed_events_append_only"))
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("types", sa.String(500), nullable=True),
        sa.Column("region", sa.String(6), nullable=True),
        sa.Column("description", sa.String(200), nullable=True),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("disabled_reason", sa.Text, nullable=True),
        _ts("disabled_at", nullable=True),
        sa.Column("cursor_seq", sa.BigInteger, nullable=False),
        sa.Column("created_by", sa.String(36), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_endpoints"),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("endpoint_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        _ts("created_at"),
        _ts("next_attempt_at", nullable=True),
        _ts("delivered_at", nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
        sa.ForeignKeyConstraint(["endpoint_id"], ["webhook_endpoints.id"],
                                name="fk_webhook_deliveries_endpoint_id_webhook_endpoints"),
    )
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"])
    op.create_index("ix_webhook_deliveries_endpoint_seq", "webhook_deliveries", ["endpoint_id", "seq"])
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.BigInteger, autoincrement=True, nullable=False),
        sa.Column("delivery_id", sa.String(36), nullable=False),
        _ts("at"),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("duration_ms", sa.Float, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_attempts"),
        sa.ForeignKeyConstraint(["delivery_id"], ["webhook_deliveries.id"],
                                name="fk_webhook_attempts_delivery_id_webhook_deliveries"),
    )
    op.create_index("ix_webhook_attempts_delivery_id", "webhook_attempts", ["delivery_id"])
    platform_v1(op)
    platform_v2(op)


def downgrade() -> None:
    platform_v2_downgrade(op)
    platform_v1_downgrade(op)
    op.drop_table("webhook_attempts")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_endpoints")
    op.drop_table("feed_events")
    op.drop_table("feed_head")
