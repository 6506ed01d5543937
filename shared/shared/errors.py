"""The error vocabulary shared by every service and the gateway.

A service raises a subclass of :class:`PlatformError`; nameko serialises it into the RPC reply as
``exc_type`` + ``value``, where ``value`` is the JSON produced by :meth:`PlatformError.__str__`.
The gateway turns that back into an HTTP status and the body
``{"error": {"code", "message", "details"}}`` in one place (:func:`from_remote`).

Status rule (events.md): outside jurisdiction -> 404, wrong role -> 403, illegal transition -> 409,
invalid input -> 400. Codes are stable English identifiers; messages are Chinese for the clerk.
"""
from __future__ import annotations

import json
from typing import Any


class PlatformError(Exception):
    status = 500
    code = "internal_error"
    message = "系统内部错误，请稍后重试"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        self.message = message or type(self).message
        self.code = code or type(self).code
        self.details = details or {}
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "code": self.code, "message": self.message,
                "details": self.details}

    def __str__(self) -> str:  # what nameko puts into the RPC reply's ``value``
        return json.dumps(self.to_dict(), ensure_ascii=False)


class InvalidInput(PlatformError):
    status = 400
    code = "invalid_input"
    message = "输入信息有误，请检查后重新提交"

    @classmethod
    def field(cls, field: str, code: str, message: str) -> "InvalidInput":
        """An error caused by one field; the portal shows ``message`` next to that field."""
        return cls(message, code=code, details={"fields": {field: message}})


class Unauthenticated(PlatformError):
    status = 401
    code = "auth.unauthenticated"
    message = "登录已失效，请重新登录"


class Forbidden(PlatformError):
    status = 403
    code = "auth.forbidden"
    message = "您没有权限办理此业务"


class NotFound(PlatformError):
    status = 404
    code = "not_found"
    message = "记录不存在或不在您的管辖范围内"


class Conflict(PlatformError):
    status = 409
    code = "conflict"
    message = "当前状态不允许此操作"


class IllegalTransition(Conflict):
    code = "illegal_transition"
    message = "该记录当前状态不允许此操作"


class Unprocessable(PlatformError):
    """422: well-formed but contradicting what the platform already holds (an Idempotency-Key
    replayed for another operation or other arguments)."""
    status = 422
    code = "unprocessable"
    message = "请求与已处理的请求不一致"


class RateLimited(PlatformError):
    status = 429
    code = "rate_limited"
    message = "操作过于频繁，请稍后再试"


class Unavailable(PlatformError):
    status = 503
    code = "service_unavailable"
    message = "服务暂不可用，请稍后再试"


_BY_STATUS = {c.status: c for c in (InvalidInput, Unauthenticated, Forbidden, NotFound, Conflict,
                                    Unprocessable, RateLimited, Unavailable)}


def from_remote(exc_type: str | None, value: str | None) -> PlatformError:
    """Rebuild a :class:`PlatformError` from what a nameko ``RemoteError`` carries.

    Anything that is not one of ours (a bug in a service, a nameko ``IncorrectSignature``) becomes a
    generic error: 400 for a bad call signature, 500 otherwise, without leaking the remote traceback.
    """
    try:
        data = json.loads(value or "")
    except (TypeError, ValueError):
        data = None
    if isinstance(data, dict) and {"status", "code", "message"} <= data.keys():
        cls = _BY_STATUS.get(int(data["status"]), PlatformError)
        err = cls(data["message"], code=data["code"], details=data.get("details") or {})
        err.status = int(data["status"])
        return err
    if exc_type in ("IncorrectSignature", "MalformedRequest"):
        return InvalidInput(code="invalid_call")
    if exc_type == "MethodNotFound":
        return NotFound(code="method_not_found")
    return PlatformError()
