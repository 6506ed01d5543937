"""Fixture factory for a service's own tier: its database migrated by its real alembic tree once per
session (emptied per test), a fresh vhost and keys, the service running in-process.

In ``services/<name>/tests/service/conftest.py``::

    from shared.testing.service import service_fixtures
    from <name>.service import <Class>
    globals().update(service_fixtures("<name>", <Class>, seed=<optional callable(url)>))

gives the fixtures ``<name>_db`` (URL), ``<name>_config`` (nameko config dict) and ``<name>`` (the
started container), plus ``call(<config>, method, *args, token=None, key=None)``. The fixtures ``vhost``
and ``keys_dir`` come from the plugin :mod:`shared.testing.fixtures` (the root conftest loads it; alone:
``pytest -p shared.testing.fixtures``).
"""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shared.testing import db, rabbit


def service_directory(service_cls: type) -> Path:
    """``services/<name>``, holding the service's ``alembic.ini`` and migrations: the directory above
    the package that defines ``service_cls`` (its source checkout, installed editable or run in place)."""
    package = sys.modules[service_cls.__module__.split(".")[0]]
    assert package.__file__ is not None, f"{package.__name__} is a namespace package"
    return Path(package.__file__).resolve().parents[1]


def service_fixtures(name: str, service_cls: type, seed: Callable[[str], Any] | None = None,
                     service_dir: Path | None = None, extra_config: dict | None = None) -> dict:
    """The fixtures of the module docstring; ``extra_config`` adds to (or overrides) the nameko config."""
    directory = service_dir or service_directory(service_cls)

    @pytest.fixture(scope="session")
    def database():
        url = db.migrated_database(f"test_{name}", directory)
        yield url
        db.drop(url)

    @pytest.fixture
    def url(request):
        value = request.getfixturevalue(f"{name}_session_db")
        db.truncate_all(value)
        if seed is not None:
            seed(value)
        return value

    @pytest.fixture
    def config(vhost, keys_dir, request):
        return {"AMQP_URI": rabbit.uri(vhost), "DATABASE_URL": request.getfixturevalue(f"{name}_db"),
                "JWT_JWKS_FILE": str(keys_dir / "jwks.json"), "JWT_KEYS_DIR": str(keys_dir),
                "RETRY_DELAYS_MS": "100,200,300", "OUTBOX_SWEEP_SECONDS": 0.3, "OUTBOX_MAX_RETRY_SECONDS": 0.5,
                "JOB_POLL_SECONDS": 0.2, "max_workers": 10, **(extra_config or {})}

    @pytest.fixture
    def container(container_factory, request):
        started = container_factory(service_cls, request.getfixturevalue(f"{name}_config"))
        started.start()
        return started

    return {f"{name}_session_db": database, f"{name}_db": url, f"{name}_config": config, name: container}


def call(config: dict, service: str, method: str, *args, token: str | None = None, key: str | None = None,
         **kwargs):
    """One RPC to ``service`` as the gateway would make it."""
    from shared.testing.helpers import rpc_client

    with rpc_client(config["AMQP_URI"], service, token, key) as proxy:
        return getattr(proxy, method)(*args, **kwargs)


def caller(service: str) -> Callable[..., Any]:
    """``rpc(config, method, *args, token=None, key=None)``: a test module's RPCs to ``service``."""
    def rpc(config: dict, method: str, *args, token: str | None = None, key: str | None = None, **kwargs):
        return call(config, service, method, *args, token=token, key=key, **kwargs)
    return rpc


def refusals(rpc: Callable[..., Any]) -> Callable[..., tuple[int, str]]:
    """``error_of(*args, **kwargs)``: (HTTP status, error code) of an ``rpc(*args, **kwargs)`` that must be
    refused (the test fails if it is not)."""
    from shared.testing.helpers import refusal

    return functools.partial(refusal, rpc)


def callers(service: str) -> tuple[Callable[..., Any], Callable[..., tuple[int, str]]]:
    """``rpc, error_of = callers(service)``: :func:`caller` and its :func:`refusals`."""
    rpc = caller(service)
    return rpc, refusals(rpc)
