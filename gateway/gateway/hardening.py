"""The gateway's request-hardening layer (the service entrypoint applies the same rules again with
``shared.hardening``; a service never trusts that the gateway ran).

Before any view runs:
- the URL is at most ``MAX_URL_LENGTH`` characters (414 in the JSON error body; gunicorn's own line
  limit sits above it and its error pages are JSON too, see :mod:`gateway.server`);
- every query value, path segment and form field is Unicode text without NUL or other control
  characters (400 ``input.control_character``);
- a JSON body is at most ``MAX_JSON_BYTES`` and ``MAX_DEPTH`` levels deep, measured on the raw text
  *before* it is parsed (the recursive parser is what overflowed), then parsed once, every string
  normalised (NFC) and checked, and the cleaned document handed to the views;
- a malformed JSON body is a 400 ``input.malformed_json``.

Check order (401 before 403 before 400): the gateway refuses some requests itself (the checks above,
the schema validation of ``@bp.arguments``) before the service is called. For those it first asks the
service that the route calls whether the caller may call it at all (``authorise`` RPC: token,
revocation, role), so a request without a token gets 401 and a clerk of the wrong role 403 whatever
its body. The route's service and RPC are what its view declares with
``@authorised_as("service", "method")`` (gateway.context), checked at start-up; a view whose service is
chosen at run time declares ``@authorised_in_call(reason)`` instead and is asked nothing first. The fake
pool (gateway.testing) fails a test whose view called a service with the caller's token and declared
neither, and gateway/tests/unit/test_route_mapping.py holds each declared RPC to one its route calls.
"""
from __future__ import annotations

import json
import logging

from flask import Flask, current_app, g, request

from gateway.context import COMMAND_METHODS, bearer_token, declared_target
from shared import hardening
from shared.auth.tokens import FEED_TOKEN_PREFIX
from shared.errors import InvalidInput, PlatformError
from shared.service import CONTEXT_AUTHORIZATION, CONTEXT_CORRELATION_ID

log = logging.getLogger(__name__)

MAX_URL_LENGTH = 4096
JSON_TYPES = ("application/json", "application/merge-patch+json")


class UriTooLong(PlatformError):
    status = 414
    code = "request.uri_too_long"
    message = "请求地址过长"


def harden() -> None:
    """before_request: refuse what no view should ever see (see the module docstring)."""
    if len(request.full_path) > MAX_URL_LENGTH:
        raise UriTooLong(details={"max_length": MAX_URL_LENGTH})
    try:
        for key, value in request.args.items(multi=True):
            hardening.clean_text(key, key)
            hardening.clean_text(value, key)
        for key, value in (request.view_args or {}).items():
            if isinstance(value, str):
                hardening.clean_text(value, key)
        if request.method in COMMAND_METHODS:
            if request.mimetype in JSON_TYPES or request.is_json:
                _clean_json_body()
            elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                for key, value in request.form.items(multi=True):
                    hardening.clean_text(value, key)
    except InvalidInput:
        authorise_first()
        raise


def _clean_json_body() -> None:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return
    hardening.check_json_text(raw)
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise InvalidInput("请求内容不是有效的JSON", code="input.malformed_json") from None
    cleaned = hardening.clean(document)
    request._cached_data = json.dumps(cleaned, ensure_ascii=False).encode("utf-8")
    request._cached_json = (cleaned, cleaned)


# -- check order ---------------------------------------------------------------------------------
def call_targets(app: Flask) -> dict[str, tuple[str, str]]:
    """Endpoint -> (service, RPC) for every route whose view declared it (``@authorised_as``)."""
    if "call_targets" not in app.extensions:
        app.extensions["call_targets"] = {endpoint: target for endpoint, view in app.view_functions.items()
                                          if (target := declared_target(view)) is not None}
    return app.extensions["call_targets"]


def check_targets(app: Flask, services: list[str]) -> None:
    """At start-up: every declared target names a service the gateway knows and a method name, so a typo
    fails the start, not the first 400 of that route."""
    for endpoint, (service, method) in call_targets(app).items():
        if service not in services or not method.isidentifier():
            raise RuntimeError(f"{endpoint}: @authorised_as({service!r}, {method!r}) names no known service RPC")


def authorise_first() -> None:
    """Raise the 401/403 the service would give this caller for this route, if any; else return
    (and the caller answers its 400). A service that does not answer leaves the 400 standing."""
    if g.get("authorised_first"):
        return
    g.authorised_first = True
    target = call_targets(current_app).get(request.endpoint or "")
    if target is None:
        return
    service, method = target
    context = {CONTEXT_CORRELATION_ID: g.get("correlation_id")}
    token = bearer_token()
    if token and token.startswith(FEED_TOKEN_PREFIX):   # an integrator's feed token: no account to check
        return
    if token:
        context[CONTEXT_AUTHORIZATION] = "Bearer " + token
    from nameko.exceptions import RemoteError

    from shared.errors import from_remote
    try:
        current_app.extensions["rpc_pool"].call(service, "authorise", method, context=context)
    except RemoteError as exc:
        err = from_remote(exc.exc_type, exc.value)
        if err.status in (401, 403):
            raise err from None
    except PlatformError as exc:
        log.info("authorise-first check of %s.%s skipped: %s", service, method, exc.code)


def install(app: Flask, services: list[str]) -> None:
    """After every blueprint is registered: the checks before each view, and the declared targets checked."""
    check_targets(app, services)
    app.before_request(harden)
