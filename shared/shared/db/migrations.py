"""Versioned migration steps for the platform tables, called from each service's alembic tree.

A step never changes once released: a later change to the platform tables is a new function
(``platform_v2``) that services add to a new migration of their own. Each service's test
"migrations match models" checks that the steps still produce what ``shared.db.tables`` declares.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# the JSON columns: JSONB on PostgreSQL
JSON_ = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

def append_only_sql(table: str, name: str) -> str:
    """A trigger (and its function ``name``) refusing every UPDATE and DELETE of ``table``."""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{table} is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {name}();
"""


AUDIT_APPEND_ONLY_SQL = append_only_sql("platform_audit_log", "platform_audit_append_only")


def platform_v1(op: Any) -> None:
    """Create the platform tables (outbox, inbox, idempotency, audit, revocation, jobs), frozen as
    explicit operations: what this step creates never follows later edits of ``shared.db.tables``."""
    op.create_table('platform_audit_log',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor_account', sa.String(length=36), nullable=True),
    sa.Column('actor_role', sa.String(length=30), nullable=True),
    sa.Column('actor_name', sa.String(length=100), nullable=True),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('subject_type', sa.String(length=50), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=True),
    sa.Column('before', JSON_, nullable=True),
    sa.Column('after', JSON_, nullable=True),
    sa.Column('correlation_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_audit_log'))
    )
    op.create_index('ix_platform_audit_subject', 'platform_audit_log', ['subject_type', 'subject_id'], unique=False)
    op.create_table('platform_idempotency_keys',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('command', sa.String(length=100), nullable=False),
    sa.Column('result', JSON_, nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('account_id', 'key', name=op.f('pk_platform_idempotency_keys'))
    )
    op.create_table('platform_inbox',
    sa.Column('consumer', sa.String(length=150), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'event_id', name=op.f('pk_platform_inbox'))
    )
    op.create_table('platform_job_items',
    sa.Column('job_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('payload', JSON_, nullable=False),
    sa.Column('status', sa.String(length=20), server_default=sa.text("'pending'"), nullable=False),
    sa.Column('outcome', JSON_, nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('job_id', 'seq', name=op.f('pk_platform_job_items'))
    )
    op.create_table('platform_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=100), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('dedupe_key', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('succeeded', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('failed', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('params', JSON_, nullable=True),
    sa.Column('principal', JSON_, nullable=True),
    sa.Column('region', sa.String(length=6), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_jobs'))
    )
    op.create_index('ix_platform_jobs_open', 'platform_jobs', ['created_at'], unique=False,
        postgresql_where=sa.text("status != 'done'"))
    op.create_index('uq_platform_jobs_dedupe', 'platform_jobs', ['account_id', 'kind', 'dedupe_key'], unique=True)
    op.create_table('platform_outbox',
    sa.Column('seq', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.String(length=100), nullable=False),
    sa.Column('exchange', sa.String(length=100), nullable=False),
    sa.Column('routing_key', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('mandatory', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_platform_outbox'))
    )
    op.create_index('ix_platform_outbox_unsent', 'platform_outbox', ['seq'], unique=False,
        postgresql_where=sa.text('sent_at IS NULL'))
    op.create_table('platform_revocations',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('min_token_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_platform_revocations'))
    )
    op.create_table('platform_revoked_tokens',
    sa.Column('jti', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('jti', name=op.f('pk_platform_revoked_tokens'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(AUDIT_APPEND_ONLY_SQL)


def platform_v1_downgrade(op: Any) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS platform_audit_append_only ON platform_audit_log")
        op.execute("DROP FUNCTION IF EXISTS platform_audit_append_only()")
    op.drop_table('platform_revoked_tokens')
    op.drop_table('platform_revocations')
    op.drop_index('ix_platform_outbox_unsent', table_name='platform_outbox',
        postgresql_where=sa.text('sent_at IS NULL'))
    op.drop_table('platform_outbox')
    op.drop_index('uq_platform_jobs_dedupe', table_name='platform_jobs')
    op.drop_index('ix_platform_jobs_open', table_name='platform_jobs', postgresql_where=sa.text("status != 'done'"))
    op.drop_table('platform_jobs')
    op.drop_table('platform_job_items')
    op.drop_table('platform_inbox')
    op.drop_table('platform_idempotency_keys')
    op.drop_index('ix_platform_audit_subject', table_name='platform_audit_log')
    op.drop_table('platform_audit_log')


def platform_v2(op: Any) -> None:
    """Idempotency keys bound to their arguments (a fingerprint), the audit trail hash-chained
    (``prev_hash`` and ``hash`` of each row; rows written before this step stay unchained)."""
    op.add_column('platform_idempotency_keys', sa.Column('fingerprint', sa.String(length=64), nullable=True))
    op.add_column('platform_audit_log', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('platform_audit_log', sa.Column('hash', sa.String(length=64), nullable=True))


def platform_v2_downgrade(op: Any) -> None:
    op.drop_column('platform_audit_log', 'hash')
    op.drop_column('platform_audit_log', 'prev_hash')
    op.drop_column('platform_idempotency_keys', 'fingerprint')


# A deferred constraint trigger fires at COMMIT, after the transaction's own statements: its
# clock_timestamp() is the commit time (within the few rows' trigger work), where now() and column
# defaults are the transaction's start. Measured by bench/pipeline.py, never relied on by the code.
COMMIT_TIME_SQL = """
CREATE OR REPLACE FUNCTION platform_outbox_committed() RETURNS trigger AS $$
BEGIN
  UPDATE platform_outbox SET committed_at = clock_timestamp() WHERE seq = NEW.seq;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS platform_outbox_committed ON platform_outbox;
CREATE CONSTRAINT TRIGGER platform_outbox_committed AFTER INSERT ON platform_outbox
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION platform_outbox_committed();
CREATE OR REPLACE FUNCTION platform_inbox_handled() RETURNS trigger AS $$
BEGIN
  UPDATE platform_inbox SET handled_at = clock_timestamp()
   WHERE consumer = NEW.consumer AND event_id = NEW.event_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS platform_inbox_handled ON platform_inbox;
CREATE CONSTRAINT TRIGGER platform_inbox_handled AFTER INSERT ON platform_inbox
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION platform_inbox_handled();
"""


def platform_v3(op: Any) -> None:
    """Commit-side times for the hand-off measurements: the outbox row's ``committed_at`` (the
    producer's commit) and ``picked_at`` (the relay took it; ``sent_at`` becomes the confirm's time),
    the inbox row's ``handled_at`` (the consumer's commit; ``received_at`` is its start)."""
    op.add_column('platform_outbox', sa.Column('committed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('platform_outbox', sa.Column('picked_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('platform_inbox', sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(COMMIT_TIME_SQL)


def platform_v3_downgrade(op: Any) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS platform_inbox_handled ON platform_inbox")
        op.execute("DROP FUNCTION IF EXISTS platform_inbox_handled()")
        op.execute("DROP TRIGGER IF EXISTS platform_outbox_committed ON platform_outbox")
        op.execute("DROP FUNCTION IF EXISTS platform_outbox_committed()")
    op.drop_column('platform_inbox', 'handled_at')
    op.drop_column('platform_outbox', 'picked_at')
    op.drop_column('platform_outbox', 'committed_at')
