"""Who may see a portal page: a logged-in session, and a password that needs no change first."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlparse

from flask import flash, g, redirect, request, url_for

from gateway import session as portal_session

EXPIRED = "登录已过期，请重新登录"
#: pages a user who must change the password may still open
PASSWORD_PAGES = {"portal.account", "portal.change_password", "portal.first_login", "portal.logout"}


def safe_next(target: str | None) -> str:
    """Only a path of the portal itself: an open redirect would let a phishing link borrow our login."""
    if not target:
        return "/portal/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/portal"):
        return "/portal/"
    return target


def to_login(message: str | None = None):
    """Back to the login page with a message, remembering the page the user wanted."""
    flash(message or (EXPIRED if g.get("session_expired") else "请先登录"), "warning")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("portal.login", next=safe_next(target) if target else None))


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        account = portal_session.account()
        if account is None:
            return to_login()
        if account.get("must_change_password") and request.endpoint not in PASSWORD_PAGES:
            flash("首次登录请先修改初始密码", "warning")
            return redirect(url_for("portal.account"))
        return view(*args, **kwargs)
    return wrapped


def role() -> str:
    return (portal_session.account() or {}).get("role", "")
