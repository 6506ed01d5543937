"""Engines and database URLs.

Each service has its own PostgreSQL database. The URL comes from ``<SERVICE>_DATABASE_URL`` or, when
that is unset, from ``DATABASE_URL`` (a server URL, default ``postgresql://postgres@127.0.0.1:5432``)
plus the database name ``<DATABASE_PREFIX><service>`` (prefix default ``subsidy_``).
"""
from __future__ import annotations

import os
from typing import Any, cast

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, CursorResult, Engine, Result, make_url

DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432"


def server_url() -> str:
    return os.environ.get("DATABASE_URL", DEFAULT_SERVER_URL).rstrip("/")


def database_name(service: str) -> str:
    return f"{os.environ.get('DATABASE_PREFIX', 'subsidy_')}{service}"


def database_url(service: str) -> str:
    """The SQLAlchemy URL of ``service``'s database (psycopg2 driver)."""
    explicit = os.environ.get(f"{service.upper()}_DATABASE_URL")
    url = make_url(explicit) if explicit else make_url(server_url()).set(database=database_name(service))
    return _with_driver(url).render_as_string(hide_password=False)


def _with_driver(url: URL) -> URL:
    return url.set(drivername="postgresql+psycopg2") if url.drivername in ("postgresql", "postgres") else url


def make_engine(url: str, *, pool_size: int = 15, application_name: str = "platform") -> Engine:
    """An engine sized for a nameko container: ``pool_size`` must be >= the container's max_workers
    plus the background loops (relay, job runner)."""
    return create_engine(
        _with_driver(make_url(url)), pool_size=pool_size, max_overflow=5, pool_pre_ping=True,
        pool_recycle=1800, connect_args={"application_name": application_name, "connect_timeout": 10},
    )


def affected_rows(result: Result[Any]) -> int:
    """How many rows an INSERT, UPDATE or DELETE touched: ``session.execute`` returns its ``CursorResult``,
    which SQLAlchemy's types call a plain ``Result`` (without ``rowcount``)."""
    return cast(CursorResult[Any], result).rowcount
