"""Throwaway PostgreSQL databases for tests, created and migrated as the services do."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url

from shared.db import admin
from shared.db.migrations import AUDIT_APPEND_ONLY_SQL
from shared.db.tables import metadata as platform_metadata

SERVER = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432")


def url_for(name: str) -> str:
    return make_url(SERVER.replace("postgresql://", "postgresql+psycopg2://", 1)).set(database=name).render_as_string(
        hide_password=False)


def fresh_database(prefix: str) -> str:
    """A new empty database; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = url_for(name)
    admin.create_database(name, url)
    return url


def migrated_database(prefix: str, service_dir) -> str:
    """A new database at the service's newest schema; returns its URL. A copy of the template that its
    real alembic tree migrated once (``shared.db.admin.clone_migrated``): the same schema as migrating
    this database, without running every migration for each test session and tier."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = url_for(name)
    admin.clone_migrated(service_dir, url)
    return url


@contextmanager
def templates():
    """Inside: ``platform-db ensure`` (a test stack's ``prepare``) copies each service's migrated template
    instead of migrating a new database step by step (``shared.db.admin``, ``PLATFORM_DB_TEMPLATES``)."""
    saved = os.environ.get("PLATFORM_DB_TEMPLATES")
    os.environ["PLATFORM_DB_TEMPLATES"] = "1"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PLATFORM_DB_TEMPLATES", None)
        else:
            os.environ["PLATFORM_DB_TEMPLATES"] = saved


def drop(url: str) -> None:
    admin.drop_database("", url)


def create_tables(url: str, metadata: MetaData) -> None:
    """For test-only services without migrations: their tables plus the platform tables."""
    engine = create_engine(url)
    with engine.begin() as conn:
        metadata.create_all(conn)
        platform_metadata.create_all(conn)
        conn.execute(text(AUDIT_APPEND_ONLY_SQL))
    engine.dispose()


def truncate_all(url: str) -> None:
    """Empty every table (but alembic's) and restart its sequences, between two tests.

    DELETE rather than TRUNCATE: a test leaves a few rows, and TRUNCATE of the ~30 tables of a service
    gives each a new file that the commit must fsync (0.5-1 s per test on a busy machine, against a
    tenth of that for DELETE). ``session_replication_role = replica`` (this transaction only) keeps
    every trigger quiet: the foreign keys' (all tables are emptied at once) and the audit log's
    append-only guard, which TRUNCATE never fired either; the guard stays in place for the test.
    """
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        names = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename NOT LIKE 'alembic_version%'"))]
        if names:
            conn.execute(text("; ".join(f'DELETE FROM "{n}"' for n in names)))
        # what TRUNCATE ... RESTART IDENTITY did: every used sequence starts again
        conn.execute(text("SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false) "
                          "FROM pg_sequences WHERE schemaname='public' AND last_value IS NOT NULL"))
    engine.dispose()
