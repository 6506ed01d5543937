"""Errors on portal pages become a friendly Chinese page (the API keeps its JSON errors). A portal
endpoint called by the page's JavaScript answers in the API's error format instead."""
from __future__ import annotations

import logging

from flask import g, jsonify, render_template, request
from nameko.exceptions import RemoteError
from werkzeug.exceptions import HTTPException

from gateway import session as portal_session
from gateway.errors import HTTP_CODES
from gateway.portal.blueprint import bp
from gateway.portal.guard import to_login
from shared.errors import PlatformError, from_remote

log = logging.getLogger(__name__)

TITLES = {400: "输入信息有误", 403: "没有权限", 404: "页面或记录不存在", 409: "当前状态不允许此操作",
          413: "上传内容过大", 503: "服务暂不可用"}


def _wants_json() -> bool:
    return request.method != "GET" or request.accept_mimetypes.best == "application/json"


def _answer(status: int, code: str, message: str, details: dict | None = None):
    if _wants_json():
        response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
        response.status_code = status
        return response
    return render_template("portal/error.html", status=status, title=TITLES.get(status, "出错了"),
                           message=message, request_id=g.get("correlation_id")), status


@bp.errorhandler(PlatformError)
def platform_error(exc: PlatformError):
    if exc.status == 401 and not _wants_json():
        portal_session.end()  # the token was revoked or has expired: the session is of no use any more
        return to_login("登录已失效，请重新登录")
    if exc.status >= 500:
        log.error("portal page failed: %s %s (request %s)", exc.code, exc.message, g.get("correlation_id"))
    return _answer(exc.status, exc.code, exc.message, exc.details)


@bp.errorhandler(RemoteError)
def remote_error(exc: RemoteError):
    return platform_error(from_remote(exc.exc_type, exc.value))


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    status = exc.code or 500
    code, message = HTTP_CODES.get(status, ("http_error", exc.description or "请求失败"))
    return _answer(status, code, message)


@bp.errorhandler(Exception)
def unexpected(exc: Exception):
    log.exception("unexpected portal error (request %s)", g.get("correlation_id"))
    return _answer(500, "internal_error", "系统内部错误，请稍后重试")
