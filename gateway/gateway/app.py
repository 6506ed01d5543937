"""The gateway's Flask app factory: ``gunicorn 'gateway.app:create_app()'``."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import swagger_ui_bundle
from flask import Flask, g, send_from_directory
from flask_smorest import Api

from gateway import errors
from gateway import session as portal_session
from gateway.api import (
    accounts,
    applications,
    attachments,
    auth,
    dev,
    employees,
    finance,
    housing,
    meta,
    org,
    publicity,
    registration,
    registry,
    work,
)
from gateway.config import Settings
from gateway.context import begin_request
from gateway.portal import register as register_portal
from gateway.rpc import RpcPool
from shared.auth.tokens import TokenVerifier
from shared.clock import clock_from_env

API_BLUEPRINTS = [auth.bp, accounts.bp, registry.bp, applications.bp, publicity.bp, org.bp, finance.bp,
                  housing.bp, employees.bp, work.bp, dev.bp, attachments.bp, registration.bp]


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key, AMQP_URI=settings.amqp_uri, JWT_JWKS_FILE=settings.jwks_file,
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
    app.json.ensure_ascii = False
    app.extensions["rpc_pool"] = RpcPool(settings.amqp_uri, settings.rpc_pool_size, settings.rpc_timeout)
    app.extensions["token_verifier"] = TokenVerifier(settings.jwks_file, clock=clock_from_env())

    api = Api(app)
    for bp in API_BLUEPRINTS:
        api.register_blueprint(bp)
    app.register_blueprint(meta.bp)
    register_portal(app)
    errors.register(app)  # after Api, so these handlers win over flask-smorest's own
    app.before_request(begin_request)
    app.before_request(portal_session.load)

    @app.after_request
    def headers(response):
        response.headers["X-Request-Id"] = g.get("correlation_id", "")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    swagger_assets = Path(swagger_ui_bundle.swagger_ui_path)

    @app.get("/api/docs/assets/<path:filename>")
    def swagger_asset(filename):
        """Swagger UI served from the installed package: the docs work without internet access."""
        return send_from_directory(swagger_assets, filename)

    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s gateway %(name)s: %(message)s")
    return app
