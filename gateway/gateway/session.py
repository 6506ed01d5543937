"""The portal's session: the user's tokens live in the encrypted (:mod:`gateway.cookies`), HttpOnly
session cookie, never in a URL or in JavaScript. The REST API accepts either
``Authorization: Bearer`` (scripts, integrators) or this session; with the session, every unsafe
method must carry the CSRF token (header ``X-CSRF-Token`` or form field ``csrf_token``), so another
site cannot act in the user's name.

- idle timeout: a session unused for ``PORTAL_IDLE_MINUTES`` (default 30) ends;
- the access token (30 min) is refreshed silently with the refresh token while the user is active;
- logout (注销登录) revokes the token at identity and clears the cookie.
"""
from __future__ import annotations

import hmac
import logging
import secrets
import time
from typing import Any

from flask import current_app, g, request, session

from shared.errors import Forbidden, PlatformError

log = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
REFRESH_MARGIN_SECONDS = 120


def start(tokens: dict[str, Any]) -> None:
    """Open a portal session from identity's login answer."""
    session.clear()
    session.permanent = False
    session["access_token"] = tokens["access_token"]
    session["refresh_token"] = tokens["refresh_token"]
    session["expires_at"] = int(tokens["expires_at"])
    session["account"] = {k: tokens["account"].get(k) for k in ("id", "username", "name", "role", "role_label",
                                                                 "region", "region_name", "unit_id",
                                                                 "must_change_password")}
    session["csrf"] = secrets.token_urlsafe(24)
    session["last_seen"] = int(time.time())


def end() -> None:
    session.clear()


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def account() -> dict | None:
    return session.get("account") if session.get("access_token") else None


def _refresh() -> None:
    from gateway.context import call  # late: context imports nothing of ours at module level

    try:
        tokens = call("identity", "refresh", session["refresh_token"], authenticated=False)
    except PlatformError as exc:
        log.info("portal session refresh refused: %s", exc.code)
        end()
        return
    csrf, started = session.get("csrf"), session.get("last_seen")
    start(tokens)
    session["csrf"], session["last_seen"] = csrf or session["csrf"], started or session["last_seen"]


def load() -> None:
    """before_request: make the session's token the request's token (when no Bearer header is sent)."""
    if request.headers.get("Authorization") or not session.get("access_token"):
        return
    now = int(time.time())
    idle = current_app.config.get("PORTAL_IDLE_MINUTES", 30) * 60
    if now - int(session.get("last_seen", 0)) > idle:
        end()
        g.session_expired = True
        return
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
        if not hmac.compare_digest(str(sent), str(session.get("csrf", ""))):
            raise Forbidden("页面已过期，请刷新后重试", code="csrf.invalid")
    if int(session.get("expires_at", 0)) - now < REFRESH_MARGIN_SECONDS:
        _refresh()
        if not session.get("access_token"):
            return
    session["last_seen"] = now
    g.portal_token = session["access_token"]
