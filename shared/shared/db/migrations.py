"""Versioned migration steps for the platform tables, called from each service's alembic tree.

A step never changes once released: a later change to the platform tables is a new function
(``platform_v2``) that services add to a new migration of their own.
"""
from __future__ import annotations

from shared.db import tables

AUDIT_APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION platform_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'platform_audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS platform_audit_append_only ON platform_audit_log;
CREATE TRIGGER platform_audit_append_only BEFORE UPDATE OR DELETE ON platform_audit_log
  FOR EACH ROW EXECUTE FUNCTION platform_audit_append_only();
"""


def platform_v1(op) -> None:
    """Create the platform tables (outbox, inbox, idempotency, audit, revocation, jobs)."""
    bind = op.get_bind()
    tables.metadata.create_all(bind, checkfirst=True)
    if bind.dialect.name == "postgresql":
        op.execute(AUDIT_APPEND_ONLY_SQL)


def platform_v1_downgrade(op) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS platform_audit_append_only ON platform_audit_log")
        op.execute("DROP FUNCTION IF EXISTS platform_audit_append_only()")
    tables.metadata.drop_all(bind, checkfirst=True)
