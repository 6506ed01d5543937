"""The gateway's Flask app factory: ``gunicorn 'gateway.app:create_app()'``."""
from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from flask import Flask, g, request, send_from_directory
from flask_smorest import Api

from gateway import errors, hardening
from gateway import metrics as gateway_metrics
from gateway import session as portal_session
from gateway.api import (
    accounts,
    applications,
    attachments,
    auth,
    dev,
    employees,
    events,
    finance,
    housing,
    meta,
    opinion_templates,
    org,
    printing,
    publicity,
    registration,
    registry,
    remittances,
    stage_times,
    work,
)
from gateway.api.schemas import Error
from gateway.config import Settings
from gateway.context import begin_request
from gateway.cookies import EncryptedCookieSessionInterface, check_secret
from gateway.holidays import CalendarCache
from gateway.portal import register as register_portal
from gateway.rpc import RpcPool
from shared import logs
from shared.auth.tokens import TokenVerifier
from shared.clock import clock_from_env

API_BLUEPRINTS = [auth.bp, accounts.bp, registry.bp, applications.bp, publicity.bp, org.bp, finance.bp,
                  housing.bp, employees.bp, remittances.bp, work.bp, dev.bp, accounts.policy_bp, attachments.bp,
                  registration.bp, events.bp, opinion_templates.bp, stage_times.bp,
                  printing.bp]


class PlatformApi(Api):
    """flask-smorest's Api documenting the platform's real error body (not its own default)."""

    ERROR_SCHEMA = Error


#: Content-Security-Policy of the portal: scripts and styles from the gateway only, no framing
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
#: Swagger UI's page starts itself with an inline script
CSP_DOCS = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'")


def security_headers(response):
    """Every response: no framing, no referrer beyond the origin, no MIME sniffing, the CSP; and
    ``no-store`` on everything but static assets (pages, API answers and exports carry personal data)."""
    path = request.path
    response.headers["Content-Security-Policy"] = CSP_DOCS if path.startswith("/api/docs") else CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if not (path.startswith("/api/docs/assets/") or "/static/" in path):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def _openapi_errors(api: Api) -> None:
    """Validation failures answer 400 (not flask-smorest's documented 422), with the error body."""
    for path in api.spec._paths.values():
        for operation in path.values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if responses and "422" in responses:
                responses.pop("422")
                responses["400"] = {"description": "输入信息有误（字段错误在 details.fields 中）",
                                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    # JSON lines with the request's correlation id (shared/shared/logs.py), warnings included
    logs.configure("gateway", capture_warnings=True)
    app = Flask(__name__)
    app.session_interface = EncryptedCookieSessionInterface()
    app.config.update(
        SECRET_KEY=check_secret(settings.secret_key), AMQP_URI=settings.amqp_uri, JWT_JWKS_FILE=settings.jwks_file,
        READY_SERVICES=meta.SERVICES, JSON_AS_ASCII=False, MAX_CONTENT_LENGTH=12 * 1024 * 1024,
        API_TITLE="大学生租房补助与住房补贴汇缴平台 API", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api", OPENAPI_JSON_PATH="v1/openapi.json", OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/api/docs/assets/",
        API_SPEC_OPTIONS={
            "info": {"description": (
                "所有命令接受 Idempotency-Key 请求头；错误格式 "
                "{\"error\": {\"code\", \"message\", \"details\"}}。"
                "事件目录见 /api/v1/asyncapi.json。")},
            "components": {"securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
            "security": [{"bearer": []}],
        },
        SESSION_COOKIE_SECURE=settings.secure_cookies, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="portal_session", PORTAL_IDLE_MINUTES=settings.session_idle_minutes,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # DefaultJSONProvider's, typed as JSONProvider
    app.extensions["rpc_pool"] = RpcPool(settings.amqp_uri, settings.rpc_pool_size, settings.rpc_timeout)
    app.extensions["token_verifier"] = TokenVerifier(settings.jwks_file, clock=clock_from_env())
    app.extensions["calendar_cache"] = CalendarCache(settings.calendar_ttl_seconds)

    api = PlatformApi(app)
    for bp in API_BLUEPRINTS:
        api.register_blueprint(bp)
    _openapi_errors(api)
    app.register_blueprint(meta.bp)
    register_portal(app)
    errors.register(app)  # after Api, so these handlers win over flask-smorest's own
    app.before_request(gateway_metrics.begin)
    app.before_request(begin_request)
    app.before_request(portal_session.load)
    hardening.install(app, meta.SERVICES)  # after the session: the check order needs the portal's token

    @app.after_request
    def headers(response):
        gateway_metrics.finish(response)
        response.headers["X-Request-Id"] = g.get("correlation_id", "")
        return security_headers(response)

    swagger_assets = Path(swagger_ui_bundle.swagger_ui_path)

    @app.get("/api/docs/assets/<path:filename>")
    def swagger_asset(filename):
        """Swagger UI served from the installed package: the docs work without internet access."""
        return send_from_directory(swagger_assets, filename)

    return app
