"""Throwaway PostgreSQL databases for tests, created and migrated as the services do."""
from __future__ import annotations

import os
import uuid

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
    engine = create_engine(url)
    with engine.begin() as conn:
        names = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename NOT LIKE 'alembic_version%'"))]
        if names:  # TRUNCATE fires no row trigger: the audit log's append-only guard stays intact
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
    engine.dispose()
