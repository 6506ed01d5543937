"""Login (账号密码; 短信验证码 once identity offers it), logout (注销登录) and the user's own account
(账号管理: name, mobile, email, password)."""
from __future__ import annotations

import hmac

from flask import flash, g, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from gateway import session as portal_session
from gateway.context import authorised_as, call
from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required, safe_next
from shared.errors import InvalidInput, PlatformError


@bp.route("/", methods=["GET"])
def login():
    if portal_session.account():
        return redirect(safe_next(request.args.get("next")))
    return render_template("portal/login.html", username="", error=None, mode="password",
                           next=request.args.get("next", ""))


@bp.route("/", methods=["POST"])
def login_submit() -> ResponseReturnValue:
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    target = safe_next(request.form.get("next"))
    errors: dict[str, str] = {}
    # the login form has its own CSRF check: session.load only checks sessions that are logged in
    if not hmac.compare_digest(request.form.get("csrf_token", ""), session.get("csrf", "-")):
        error = "页面已过期，请刷新后重新登录"
    elif not username or not password:
        error = "请输入用户名和密码"
        errors = {k: "此项为必填项" for k, v in (("username", username), ("password", password)) if not v}
    else:
        try:
            tokens = call("identity", "login", username, password, request.remote_addr, authenticated=False)
        except PlatformError as exc:
            error = exc.message
            errors = exc.details.get("fields", {}) if isinstance(exc.details, dict) else {}
        else:
            portal_session.start(tokens)
            return redirect(target)
    return render_template("portal/login.html", username=username, error=error, errors=errors,
                           mode="password", next=request.form.get("next", "")), 400


@bp.route("/portal/sms-login", methods=["POST"])
def sms_login_submit() -> ResponseReturnValue:
    """短信验证码登录: mobile + the code sent to it (purpose ``login``); username only when the mobile
    belongs to several accounts."""
    mobile = request.form.get("mobile", "").strip()
    code = request.form.get("code", "").strip()
    username = request.form.get("username", "").strip() or None
    target = safe_next(request.form.get("next"))
    errors: dict[str, str] = {}
    ambiguous = False
    if not hmac.compare_digest(request.form.get("csrf_token", ""), session.get("csrf", "-")):
        error = "页面已过期，请刷新后重新登录"
    elif not mobile or not code:
        error = "请输入手机号码和短信验证码"
        errors = {k: "此项为必填项" for k, v in (("mobile", mobile), ("sms_code", code)) if not v}
    else:
        try:
            tokens = call("identity", "sms_login", mobile, code, username, authenticated=False)
        except PlatformError as exc:
            error = exc.message
            errors = exc.details.get("fields", {}) if isinstance(exc.details, dict) else {}
            ambiguous = exc.code == "auth.mobile_ambiguous"
        else:
            portal_session.start(tokens)
            return redirect(target)
    return render_template("portal/login.html", username="", mobile=mobile, error=error, errors=errors,
                           mode="sms", ambiguous=ambiguous, next=request.form.get("next", "")), 400


@bp.route("/portal/logout", methods=["POST"])
@authorised_as("identity", "logout")
def logout():
    if portal_session.account() and g.get("portal_token"):
        try:
            call("identity", "logout")  # revoke the token everywhere, not only forget the cookie
        except PlatformError:
            pass  # an expired or revoked token: nothing left to revoke
    portal_session.end()
    flash("您已安全退出系统", "success")
    return redirect(url_for("portal.login"))


@bp.route("/portal/account", methods=["GET"])
@login_required
@authorised_as("identity", "me")
def account():
    me = call("identity", "me")
    # the top bar shows the name kept in the session: refresh it after an edit
    session["account"] = {**session["account"], "name": me.get("name")}
    return render_template("portal/account.html", me=me)


@bp.route("/portal/account/password", methods=["POST"])
@login_required
@authorised_as("identity", "change_password")
def change_password():
    """修改密码. Not the page calling ``POST /api/v1/me/password`` itself: identity answers with new
    tokens (the old ones are revoked), which belong in the session, never in the page's JavaScript."""
    data = request.get_json(silent=True) or {}
    old, new, again = (str(data.get(k) or "") for k in ("old_password", "new_password", "confirm_password"))
    if not old:
        raise InvalidInput.field("old_password", "account.old_password_required", "请输入原密码")
    if new != again:
        raise InvalidInput.field("confirm_password", "account.password_mismatch", "两次输入的新密码不一致")
    return _restart(call("identity", "change_password", old, new))


def _restart(tokens: dict):
    csrf = session.get("csrf")
    portal_session.start(tokens)
    session["csrf"] = csrf or session["csrf"]  # the open page keeps working with its token
    return jsonify({"ok": True, "message": "密码已修改"})


@bp.route("/portal/account/first-login", methods=["POST"])
@login_required
@authorised_as("identity", "first_login_change_password")
def first_login():
    """首次登录: SMS code to the account's mobile, then the new password (new tokens into the session)."""
    data = request.get_json(silent=True) or {}
    code, new, again = (str(data.get(k) or "") for k in ("sms_code", "new_password", "confirm_password"))
    if not code:
        raise InvalidInput.field("sms_code", "sms.code_required", "请输入短信验证码")
    if new != again:
        raise InvalidInput.field("confirm_password", "account.password_mismatch", "两次输入的新密码不一致")
    return _restart(call("identity", "first_login_change_password", code, new))


@bp.app_template_global()
def unread_messages() -> int:
    """The header's unread count (0 when identity does not answer: the page still shows)."""
    if not portal_session.account() or not g.get("portal_token"):
        return 0
    if "unread_messages" not in g:
        try:
            result = call("identity", "my_messages", True, 1, 1)
            g.unread_messages = int(result.get("unread", 0)) if isinstance(result, dict) else 0
        except PlatformError:
            g.unread_messages = 0
    return g.unread_messages


@bp.route("/portal/messages", methods=["GET"])
@login_required
@authorised_as("identity", "my_messages")
def messages():
    """站内消息 list; opening it marks nothing read (the buttons do)."""
    page = request.args.get("page", "1")
    result = call("identity", "my_messages", request.args.get("unread") == "1",
                  int(page) if page.isdigit() and 0 < int(page) < 10000 else 1, 20)
    g.unread_messages = result["unread"]
    return render_template("portal/messages.html", result=result, unread_only=request.args.get("unread") == "1")
