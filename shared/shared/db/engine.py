"""Engines and database URLs.

Each service has its own PostgreSQL database. The URL comes from ``<SERVICE>_DATABASE_URL`` or, when
that is unset, from ``DATABASE_URL`` (a server URL, default ``postgresql://postgres@127.0.0.1:5432``)
plus the database name ``<DATABASE_PREFIX><service>`` (prefix default ``subsidy_``).
"""
from __future__ import annotations

import os
import time
from typing import Any, cast

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, CursorResult, Engine, Result, make_url
from sqlalchemy.exc import DisconnectionError

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


#: a pooled connection idle at least this long is pinged (``SELECT 1``) before it is handed out again
PING_IDLE_SECONDS = 1.0


def make_engine(url: str, *, pool_size: int = 15, application_name: str = "platform") -> Engine:
    """An engine sized for a nameko container: ``pool_size`` must be >= the container's max_workers
    plus the background loops (relay, job runner). A connection that sat in the pool for
    :data:`PING_IDLE_SECONDS` or more is pinged before use (see :func:`ping_when_idle`)."""
    engine = create_engine(
        _with_driver(make_url(url)), pool_size=pool_size, max_overflow=5,
        pool_recycle=1800, connect_args={"application_name": application_name, "connect_timeout": 10},
    )
    ping_when_idle(engine, PING_IDLE_SECONDS)
    return engine


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """SQLAlchemy's ``pool_pre_ping``, for connections idle ``idle_seconds`` or more: a dead one (the
    server restarted, a proxy cut it while it slept) is replaced before the call uses it. Pinging every
    checkout cost each call one more round trip to the database (about a tenth of a read's time, issue
    15). A connection back from a call a moment ago is not pinged; if the server went away in that
    moment, the statement fails, SQLAlchemy invalidates the whole pool and the call answers 503
    ``service.db_unavailable`` (shared/db/outage.py), as a call in flight at that moment does anyway."""
    dbapi_error = engine.dialect.loaded_dbapi.Error

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned = record.info.get("checked_in")
        if returned is None or time.monotonic() - returned < idle_seconds:
            return  # just connected, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except dbapi_error as err:  # the pool replaces the connection and tries again
            raise DisconnectionError(f"pooled connection lost: {err}") from err


def affected_rows(result: Result[Any]) -> int:
    """How many rows an INSERT, UPDATE or DELETE touched: ``session.execute`` returns its ``CursorResult``,
    which SQLAlchemy's types call a plain ``Result`` (without ``rowcount``)."""
    return cast(CursorResult[Any], result).rowcount
