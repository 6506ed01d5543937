"""The gateway without services, for its unit tests and the portal's server-side tests: a fake RPC pool in
place of nameko's cluster proxies (gateway.rpc.RpcPool), written once for both."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from nameko.exceptions import RemoteError

from gateway.context import declaration
from shared.service import CONTEXT_AUTHORIZATION

TEST_SECRET = "f3c1a9d27be04e6f8a5b1c3d7e9f0a2b4c6d8e1f3a5b7c9d"  # a test key, not a placeholder


class FakePool:
    """Records each operation call as ``(service, method, args)`` (its nameko context in ``contexts``) and
    answers from ``answers["service.method"]`` (a value, a callable given the arguments, or an exception to
    raise), else ``results[method]``, else ``result``; raises ``error`` instead when set.

    The check-order pre-check (``authorise``, gateway.hardening) is kept apart in ``prechecks`` as
    ``(service, rpc, context)`` and answers ``authorise`` (an error to raise, or None): it asks whether the
    caller may call a route, it is not the route.

    Each request that calls a service with a token is kept in ``requests`` as ``(endpoint, declared,
    calls)``: :meth:`assert_declared` fails a test whose view called a service but declared neither the
    RPC whose right it needs (``@authorised_as``) nor why it asks nothing first (``@authorised_in_call``);
    such a route would answer its own 400 before the 401/403 the service gives. (That a declared RPC is
    one the route calls is held by gateway/tests/unit/test_route_mapping.py.)"""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, tuple]] = []
        self.contexts: list[dict[str, Any]] = []
        self.prechecks: list[tuple[str, str, dict[str, Any]]] = []
        self.requests: list[tuple[str | None, tuple[str, str] | str | None, list[tuple[str, str]]]] = []
        self.answers: dict[str, Any] = {}
        self.results: dict[str, Any] = {}
        self.result: Any = None
        self.error: Exception | None = None
        self.authorise: Exception | None = None

    def call(self, service: str, method: str, *args: Any, context: dict[str, Any], **kwargs: Any) -> Any:
        if method == "authorise":
            self.prechecks.append((service, args[0], context))
            if self.authorise is not None:
                raise RemoteError(type(self.authorise).__name__, str(self.authorise))
            return None
        self._check_declared(service, method, context)
        self.calls.append((service, method, args))
        self.contexts.append(context)
        if self.error is not None:
            raise self.error
        key = f"{service}.{method}"
        if key in self.answers:
            answer = self.answers[key]
            if isinstance(answer, Exception):
                raise answer
            return answer(*args) if callable(answer) else answer
        return self.results.get(method, self.result)

    def call_each(self, calls: list[tuple[str, str]], *, context: dict[str, Any]) -> list[Any]:
        """The real pool's several-at-once calls: each answer is the result or the exception raised."""
        answers: list[Any] = []
        for service, method in calls:
            try:
                answers.append(self.call(service, method, context=context))
            except Exception as exc:  # noqa: BLE001 - handed back, as the real pool does
                answers.append(exc)
        return answers

    def _check_declared(self, service: str, method: str, context: dict[str, Any]) -> None:
        if not has_request_context() or CONTEXT_AUTHORIZATION not in context:
            return
        if "fake_pool_calls" not in g:
            g.fake_pool_calls = []
            view = current_app.view_functions.get(request.endpoint or "")
            self.requests.append((request.endpoint, view and declaration(view), g.fake_pool_calls))
        g.fake_pool_calls.append((service, method))

    def undeclared(self) -> list[tuple[str | None, tuple[str, str] | str | None, list[tuple[str, str]]]]:
        """The requests whose view called a service with a token and declared nothing."""
        return [(endpoint, declared, calls) for endpoint, declared, calls in self.requests if declared is None]

    def assert_declared(self) -> None:
        assert self.undeclared() == [], (
            "views that called a service with a token without declaring that call (@authorised_as) or why "
            "nothing is asked first (@authorised_in_call), as (endpoint, declared, calls): "
            + repr(self.undeclared()))


def gateway_over_fake_pool(jwks_file: str | Path) -> Flask:
    """The whole gateway (every blueprint as app.py registers it) over a :class:`FakePool`, with the test
    key and cookies a test client may send over plain http."""
    from gateway.app import create_app
    from gateway.config import Settings
    app = create_app(Settings(jwks_file=str(jwks_file), secure_cookies=False, secret_key=TEST_SECRET))
    fresh_pool(app)
    return app


def fresh_pool(app: Flask) -> FakePool:
    """A new :class:`FakePool` for ``app`` and an empty holiday-schedule cache (gateway.holidays): a test
    sees only its own calls."""
    pool = app.extensions["rpc_pool"] = FakePool()
    app.extensions["calendar_cache"].clear()
    return pool
