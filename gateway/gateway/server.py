"""gunicorn's gthread worker with the platform's JSON error body on gunicorn's own error pages.

gunicorn answers some requests before Flask sees them (a request line over ``--limit-request-line``:
414, too many or too large headers: 431, a malformed request line: 400) with an HTML page. The
gateway's URL limit (:data:`gateway.hardening.MAX_URL_LENGTH`, 4096) sits below gunicorn's line limit
(8190 in the Procfile and compose), so a long URL normally gets the app's own JSON 414; anything
gunicorn still refuses itself answers ``{"error": {"code", "message", "details"}}`` too.

Use: ``gunicorn --worker-class gateway.server.JsonErrorThreadWorker --logger-class gateway.server.JsonLogger``.
:class:`JsonLogger` writes gunicorn's own lines (access log included) as JSON with the request id, as
every other line of the platform (shared/shared/logs.py).
"""
from __future__ import annotations

import json

from gunicorn import glogging, util
from gunicorn.workers.gthread import ThreadWorker

CODES = {400: ("bad_request", "请求格式不正确"), 403: ("auth.forbidden", "请求被拒绝"),
         414: ("request.uri_too_long", "请求地址过长"), 417: ("bad_request", "请求格式不正确"),
         431: ("request.headers_too_large", "请求头过大"), 500: ("internal_error", "系统内部错误，请稍后重试"),
         501: ("not_implemented", "不支持的传输编码")}


def write_json_error(sock, status_int, reason, mesg):
    code, message = CODES.get(int(status_int), ("http_error", "请求失败"))
    body = json.dumps({"error": {"code": code, "message": message, "details": {}}}, ensure_ascii=False)
    payload = body.encode("utf-8")
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json; charset=utf-8\r\nContent-Length: {len(payload)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin1") + payload)


class JsonErrorThreadWorker(ThreadWorker):
    def init_process(self):
        util.write_error = write_json_error  # gunicorn's workers call util.write_error for these pages
        super().init_process()


class JsonLogger(glogging.Logger):
    """gunicorn's error and access logs as JSON lines; an access line carries the response's
    ``X-Request-Id`` (the correlation id the gateway used), method, path, status and duration."""

    def setup(self, cfg):
        super().setup(cfg)
        from shared.logs import JsonFormatter
        for logger in (self.error_log, self.access_log):
            for handler in logger.handlers:
                handler.setFormatter(JsonFormatter("gateway"))

    def access(self, resp, req, environ, request_time):
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.logconfig_dict or self.cfg.syslog):
            return
        request_id = next((value for name, value in (resp.headers or []) if name.lower() == "x-request-id"), None)
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        self.access_log.info("%s %s %s", req.method, req.path, status, extra={
            "kind": "access", "method": req.method, "path": req.path, "status": int(status),
            "duration_ms": round(request_time.total_seconds() * 1000, 1), "correlation_id": request_id})
