"""Small helpers used by tests of every tier."""
from __future__ import annotations

import time
from contextlib import contextmanager

from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import create_engine, text


@contextmanager
def rpc_client(amqp_uri: str, service: str, token: str | None = None, key: str | None = None, timeout: float = 15):
    """A nameko RPC proxy to ``service`` carrying a token and an idempotency key, as the gateway does."""
    context = {}
    if token:
        context["authorization"] = token
    if key:
        context["idempotency_key"] = key
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, context_data=context, timeout=timeout) as proxy:
        yield proxy[service]


def scalar(url: str, sql: str, **params):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def rows(url: str, sql: str, **params) -> list[dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def execute(url: str, sql: str, **params) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def remote_code(exc: BaseException) -> tuple[int, str]:
    """(status, code) of a nameko RemoteError carrying one of our PlatformErrors."""
    from shared.errors import from_remote

    err = from_remote(getattr(exc, "exc_type", None), getattr(exc, "value", None))
    return err.status, err.code


def refusal(fn, *args, **kwargs) -> tuple[int, str]:
    """(HTTP status, error code) of a call that must be refused; the test fails if it is not."""
    import pytest
    from nameko.exceptions import RemoteError

    with pytest.raises(RemoteError) as info:
        fn(*args, **kwargs)
    return remote_code(info.value)
