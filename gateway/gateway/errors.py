"""The one place where errors become HTTP responses:
``{"error": {"code": <stable English code>, "message": <Chinese>, "details": {...}}}``.

Remote errors from services arrive as nameko ``RemoteError`` and are rebuilt with
``shared.errors.from_remote``; webargs validation errors become 400 with per-field messages; nothing
a client sends can produce a 500 (an unexpected error is logged and answered with a generic 500).
"""
from __future__ import annotations

import logging
import re

from flask import Flask, g, jsonify, request
from nameko.exceptions import RemoteError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from shared.errors import PlatformError, from_remote

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: ("bad_request", "请求格式不正确"), 401: ("auth.unauthenticated", "请先登录"),
    403: ("auth.forbidden", "您没有权限办理此业务"), 404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"), 409: ("conflict", "当前状态不允许此操作"),
    413: ("payload_too_large", "上传内容过大"), 414: ("request.uri_too_long", "请求地址过长"),
    415: ("unsupported_media_type", "不支持的内容类型"),
    422: ("invalid_input", "输入信息有误"), 429: ("rate_limited", "操作过于频繁，请稍后再试"),
}

FIELD_MESSAGES = {
    "Missing data for required field.": "此项为必填项",
    "Field may not be null.": "此项不能为空",
    "Not a valid string.": "应为文本",
    "Not a valid integer.": "应为整数",
    "Not a valid date.": "日期格式应为YYYY-MM-DD",
    "Unknown field.": "不支持的字段",
    "Not a valid email address.": "邮箱格式不正确",
}


def body(code: str, message: str, details: dict | None = None, status: int = 400):
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    if status == 429:  # every 429 says when to come back (details.retry_after when the service knows)
        retry = (details or {}).get("retry_after") if isinstance(details, dict) else None
        response.headers["Retry-After"] = str(int(retry)) if isinstance(retry, int | float) and retry > 0 else "60"
    return response


PATTERNS = [
    (re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"), "应在{0}到{1}之间"),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"), "不能小于{0}"),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"), "不能大于{0}"),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), "长度应为{0}-{1}个字符"),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), "长度不能少于{0}个字符"),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), "长度不能超过{0}个字符"),
    (re.compile(r"^Must be one of: (.*)\.$"), "取值应为：{0}"),
    (re.compile(r"^String does not match expected pattern\.$"), "格式不正确"),
]


def _translate(message: str) -> str:
    if message in FIELD_MESSAGES:
        return FIELD_MESSAGES[message]
    for pattern, chinese in PATTERNS:
        match = pattern.match(message)
        if match:
            return chinese.format(*match.groups())
    return message


def _chinese(messages):
    if isinstance(messages, dict):
        return {k: _chinese(v) for k, v in messages.items()}
    if isinstance(messages, list):
        return "；".join(_translate(m) if isinstance(m, str) else str(_chinese(m)) for m in messages)
    return _translate(messages) if isinstance(messages, str) else messages


def register(app: Flask) -> None:
    @app.errorhandler(PlatformError)
    def platform_error(exc: PlatformError):
        return body(exc.code, exc.message, exc.details, exc.status)

    @app.errorhandler(RemoteError)
    def remote_error(exc: RemoteError):
        err = from_remote(exc.exc_type, exc.value)
        if err.status >= 500:
            log.error("service error %s: %s (request %s)", exc.exc_type, exc.value, g.get("correlation_id"))
        return body(err.code, err.message, err.details, err.status)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if status in (400, 422) and request.blueprint not in (None, "portal", "meta"):
            # the gateway refuses this body itself: 401/403 first if the service would give them
            from gateway.hardening import authorise_first
            try:
                authorise_first()
            except PlatformError as err:
                return platform_error(err)
        if status == 422:  # webargs/marshmallow validation of the request
            fields = {}
            messages = getattr(exc, "data", {}).get("messages", {}) if hasattr(exc, "data") else {}
            for location in messages.values():
                fields.update(_chinese(location))
            return body("invalid_input", "输入信息有误，请检查标红的项目", {"fields": fields}, 400)
        code, message = HTTP_CODES.get(status, ("http_error", exc.description or "请求失败"))
        response = body(code, message, {}, status)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error (request %s)", g.get("correlation_id"))
        return body("internal_error", "系统内部错误，请稍后重试", {"request_id": g.get("correlation_id")}, 500)
