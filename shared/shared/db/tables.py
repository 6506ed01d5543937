"""The platform's own tables, present in every service's database.

They live in one MetaData of their own; a service's alembic env targets ``[its metadata, this one]``
and its first migration calls :func:`shared.db.migrations.platform_v1`.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Column, DateTime, Index, Integer, MetaData, String, Table, Text, text
from sqlalchemy.dialects.postgresql import JSONB

NAMING = {
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)
Json = JSON().with_variant(JSONB(), "postgresql")


def _ts(name: str, nullable: bool = False, **kw: Any) -> Column[Any]:
    return Column(name, DateTime(timezone=True), nullable=nullable, **kw)


# Transactional outbox: written in the same transaction as the state change, published by the relay.
outbox = Table(
    "platform_outbox", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("exchange", String(100), nullable=False),
    Column("routing_key", String(255), nullable=False),
    Column("body", Text, nullable=False),
    # mandatory rows must reach a queue: an unroutable one stays unsent until the topology exists
    Column("mandatory", Boolean, nullable=False, server_default=text("true")),
    _ts("created_at", server_default=text("now()")),           # the producing transaction's start
    # timing (platform_v3): the commit (a deferred trigger, at commit), the relay taking the row (its
    # transaction's start) and the broker's confirm (set after the confirm arrived)
    _ts("committed_at", nullable=True),
    _ts("picked_at", nullable=True),
    _ts("sent_at", nullable=True),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    _ts("next_attempt_at", nullable=True),
    Column("last_error", Text, nullable=True),
)
Index("ix_platform_outbox_unsent", outbox.c.seq, postgresql_where=outbox.c.sent_at.is_(None))

# Inbox: one row per (consumer, event id); a duplicate delivery finds its row and does nothing.
inbox = Table(
    "platform_inbox", metadata,
    Column("consumer", String(150), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("event_type", String(100), nullable=False),
    _ts("received_at", server_default=text("now()")),          # the consumer's transaction start
    _ts("handled_at", nullable=True),                           # its commit (deferred trigger, platform_v3)
)

# Idempotency keys of commands: a repeat returns the stored result.
idempotency_keys = Table(
    "platform_idempotency_keys", metadata,
    Column("account_id", String(36), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("command", String(100), nullable=False),
    Column("result", Json, nullable=True),
    _ts("created_at", server_default=text("now()")),
    Column("fingerprint", String(64), nullable=True),    # SHA-256 of the arguments (platform_v2)
)

# Append-only audit trail (a trigger refuses UPDATE and DELETE).
audit_log = Table(
    "platform_audit_log", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    _ts("at", server_default=text("now()")),
    Column("actor_account", String(36), nullable=True),
    Column("actor_role", String(30), nullable=True),
    Column("actor_name", String(100), nullable=True),
    Column("action", String(100), nullable=False),
    Column("subject_type", String(50), nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("region", String(6), nullable=True),
    Column("before", Json, nullable=True),
    Column("after", Json, nullable=True),
    Column("correlation_id", String(64), nullable=True),
    Column("prev_hash", String(64), nullable=True),      # hash chain (platform_v2): see shared.audit
    Column("hash", String(64), nullable=True),
)
Index("ix_platform_audit_subject", audit_log.c.subject_type, audit_log.c.subject_id)

# Token revocation, fed by identity's events: tokens of an account below min_token_version, or a jti.
revocations = Table(
    "platform_revocations", metadata,
    Column("account_id", String(36), primary_key=True),
    Column("min_token_version", Integer, nullable=False),
    _ts("updated_at", server_default=text("now()")),
)
revoked_tokens = Table(
    "platform_revoked_tokens", metadata,
    Column("jti", String(64), primary_key=True),
    Column("account_id", String(36), nullable=False),
    _ts("expires_at"),
)

# Job runner: a job and its items; each item's effect commits together with its outcome.
jobs = Table(
    "platform_jobs", metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(100), nullable=False),
    Column("account_id", String(36), nullable=False),
    Column("dedupe_key", String(100), nullable=False),
    Column("status", String(20), nullable=False),  # queued | running | done
    Column("total", Integer, nullable=False),
    Column("succeeded", Integer, nullable=False, server_default=text("0")),
    Column("failed", Integer, nullable=False, server_default=text("0")),
    Column("params", Json, nullable=True),
    Column("principal", Json, nullable=True),
    Column("region", String(6), nullable=True),
    _ts("created_at", server_default=text("now()")),
    _ts("updated_at", server_default=text("now()")),
    _ts("finished_at", nullable=True),
)
Index("uq_platform_jobs_dedupe", jobs.c.account_id, jobs.c.kind, jobs.c.dedupe_key, unique=True)
Index("ix_platform_jobs_open", jobs.c.created_at, postgresql_where=jobs.c.status != "done")

job_items = Table(
    "platform_job_items", metadata,
    Column("job_id", String(36), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("payload", Json, nullable=False),
    Column("status", String(20), nullable=False, server_default=text("'pending'")),  # pending|ok|failed
    Column("outcome", Json, nullable=True),
    _ts("finished_at", nullable=True),
)
