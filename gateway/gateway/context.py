"""Per-request context: the caller's token (verified here for an early 401 and again by every
service), the idempotency key of commands, the correlation id."""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from flask import current_app, g, request
from nameko.exceptions import RemoteError, UnknownService

from shared import logs
from shared.auth.principal import Principal
from shared.errors import InvalidInput, PlatformError, Unavailable, from_remote
from shared.service import CONTEXT_AUTHORIZATION, CONTEXT_CORRELATION_ID, CONTEXT_IDEMPOTENCY_KEY, CONTEXT_PURPOSE

log = logging.getLogger(__name__)

COMMAND_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return g.get("portal_token")


def principal() -> Principal:
    """The verified caller, or 401."""
    if "principal" not in g:
        g.principal = current_app.extensions["token_verifier"].verify(bearer_token())
    return g.principal


def rpc_context(*, authenticated: bool = True, token: str | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {CONTEXT_CORRELATION_ID: g.correlation_id}
    if token:  # a token the gateway just received for the caller (self-registration), verified by the service
        context[CONTEXT_AUTHORIZATION] = "Bearer " + token
    elif authenticated:
        principal()
        verified = bearer_token()
        assert verified is not None  # principal() verified it (401 without one)
        context[CONTEXT_AUTHORIZATION] = "Bearer " + verified
    if request.method in COMMAND_METHODS:
        key = request.headers.get("Idempotency-Key")
        if key is not None and not _KEY.match(key):
            raise InvalidInput("Idempotency-Key 应为1-100位字母、数字或_.:-", code="idempotency.key_invalid")
        # without a client key, one per request still protects against RPC redelivery after a crash
        context[CONTEXT_IDEMPOTENCY_KEY] = key or f"gw:{uuid.uuid4()}"
    return context


def call(service: str, method: str, *args: Any, authenticated: bool = True, token: str | None = None,
         purpose: str | None = None,
         **kwargs: Any) -> Any:
    """Call ``service.method`` through the pool with this request's context. A service's error comes
    back as our :class:`PlatformError` (status, code, Chinese message), never as nameko's RemoteError.
    ``purpose="export"`` tells the service a list page is read for a download (audited as an export)."""
    pool = current_app.extensions["rpc_pool"]
    context = rpc_context(authenticated=authenticated, token=token)
    if purpose:
        context[CONTEXT_PURPOSE] = purpose
    try:
        return pool.call(service, method, *args, context=context, **kwargs)
    except RemoteError as exc:
        err = from_remote(exc.exc_type, exc.value)
        if err.status >= 500:
            log.error("%s.%s failed: %s %s (request %s)", service, method, exc.exc_type, exc.value,
                      g.get("correlation_id"))
        raise err from None


def call_each(calls: list[tuple[str, str]]) -> list[Any]:
    """``service.method()`` of each of ``calls`` at once, with this request's context: each answer is the
    result or the :class:`PlatformError` it came back as (a service that is not there: 503)."""
    pool = current_app.extensions["rpc_pool"]
    answers = pool.call_each(calls, context=rpc_context())
    result: list[Any] = []
    for (service, method), answer in zip(calls, answers, strict=True):
        if isinstance(answer, RemoteError):
            answer = from_remote(answer.exc_type, answer.value)
            if answer.status >= 500:
                log.error("%s.%s failed: %s (request %s)", service, method, answer.code, g.get("correlation_id"))
        elif isinstance(answer, UnknownService):
            answer = Unavailable(f"服务{answer}暂不可用", code="service_unavailable")
        elif isinstance(answer, Exception) and not isinstance(answer, PlatformError):
            raise answer
        result.append(answer)
    return result


def begin_request() -> None:
    incoming = request.headers.get("X-Request-Id", "")
    g.correlation_id = incoming if re.match(r"^[A-Za-z0-9_.:-]{8,64}$", incoming) else uuid.uuid4().hex
    logs.bind(g.correlation_id)   # on every log line of this request (shared/shared/logs.py)
