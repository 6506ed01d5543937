"""单位注册 and 个人注册 from the login page (用户须知 with 【同意】 first), the unit's own page (注册审核状态
while pending or returned, 单位信息管理 once approved).

The pages post JSON to portal endpoints that run the same flows as ``/api/v1/registrations/*``
(``gateway.api.registration``) and then open the portal session with the new account's tokens, so
the browser never sees a token. Uploads go to ``/api/v1/attachments`` before the account exists
(registration kinds only).
"""
from __future__ import annotations

import hmac

import marshmallow as ma
from flask import abort, current_app, jsonify, render_template, request, session

from gateway import session as portal_session
from gateway.api.registration import (
    PersonRegistration,
    UnitRegistration,
    register_individual_flow,
    register_unit_flow,
)
from gateway.context import authorised_as, call
from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required, role
from gateway.portal.screens import ATTACHMENT_COLUMNS, CHANGE_COLUMNS, HISTORY_COLUMNS
from shared import regions
from shared.contracts.statuses import DEGREES
from shared.errors import Forbidden, InvalidInput, NotFound, PlatformError

UNIT_KINDS = (("business_license", "企业营业执照"), ("unit_other", "其它"))


def counties() -> list[dict]:
    """The counties of the portal's city: 行政区划 and 主管部门 (the county HRSS) choices."""
    city = current_app.config.get("PORTAL_CITY", "440700")
    return [{"code": r.code, "name": r.name, "full_name": regions.full_name(r.code),
             "hrss": f"{r.name}人力资源和社会保障局"} for r in regions.counties_of(city)]


def terms_in_force(kind: str) -> dict | None:
    try:
        return call("unit_registry", "current_terms", kind, authenticated=False)
    except PlatformError:
        return None


def _check_csrf() -> None:
    sent = request.headers.get("X-CSRF-Token", "")
    if not hmac.compare_digest(str(sent), str(session.get("csrf", "-"))):
        raise Forbidden("页面已过期，请刷新后重试", code="csrf.invalid")


def _load(schema: ma.Schema) -> dict:
    try:
        return schema.load(request.get_json(silent=True) or {})
    except ma.ValidationError as exc:
        fields = {}

        def flatten(prefix, errors):
            for key, value in errors.items():
                name = f"{prefix}.{key}" if prefix else str(key)
                if isinstance(value, dict):
                    flatten(name, value)
                else:
                    fields[name] = "此项为必填项" if "required" in " ".join(map(str, value)).lower() or \
                        "Missing" in " ".join(map(str, value)) else "格式不正确"
        flatten("", exc.messages)
        raise InvalidInput("请检查填写的信息", code="validation_error", details={"fields": fields}) from None


def _form_fields(run, *args):
    """Run a registration flow; a refused field is named as the form names it (``unit.uscc``)."""
    try:
        return run(*args)
    except PlatformError as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        part, fields = details.get("part"), details.get("fields")
        if part and isinstance(fields, dict):
            details["fields"] = {(name if name == "unit_id" else f"{part}.{name}"): message
                                 for name, message in fields.items()}
        raise


def _open_session(tokens: dict, unit_status: str | None = None) -> None:
    portal_session.start(tokens)
    if unit_status:
        session["account"] = {**session["account"], "unit_status": unit_status}


# -- 单位注册 -------------------------------------------------------------------------------------------
@bp.route("/portal/register/unit", methods=["GET"])
def register_unit():
    """注册新单位: 用户须知 (【同意】), then the account and unit data with the unit's materials."""
    return render_template("portal/register_unit.html", terms=terms_in_force("unit"), counties=counties(),
                           kinds=UNIT_KINDS)


@bp.route("/portal/register/unit", methods=["POST"])
def register_unit_submit():
    _check_csrf()
    result = _form_fields(register_unit_flow, _load(UnitRegistration()))
    _open_session(result, result["unit"]["status"])
    return jsonify({"ok": True, "unit_id": result["unit"]["id"]}), 201


# -- 个人注册 -------------------------------------------------------------------------------------------
@bp.route("/portal/register/start", methods=["GET"])
def register_individual_info():
    """个人注册 before login: 用户须知, account, the unit (searchable by name), data and 证明材料."""
    return render_template("portal/register_person.html", terms=terms_in_force("individual"), degrees=DEGREES)


@bp.route("/portal/register/start", methods=["POST"])
def register_individual_submit():
    _check_csrf()
    result = _form_fields(register_individual_flow, _load(PersonRegistration()))
    _open_session(result)
    return jsonify({"ok": True, "individual_id": result["individual"]["id"]}), 201


# -- the unit's own page ------------------------------------------------------------------------------
@bp.route("/portal/unit", methods=["GET"])
@login_required
@authorised_as("unit_registry", "my_unit")
def my_unit():
    """注册审核状态 (pending / returned, with the reviewer's opinion and every round) or 单位信息管理."""
    if role() != "unit_admin":
        abort(403)
    try:
        unit = call("unit_registry", "my_unit")
    except NotFound:
        unit = None
    if unit is not None:
        session["account"] = {**session["account"], "unit_status": unit["status"]}
    terms = terms_in_force("unit") if unit and unit["status"] == "returned" else None
    return render_template("portal/unit.html", unit=unit, counties=counties(), kinds=UNIT_KINDS, terms=terms,
                           attachment_columns=ATTACHMENT_COLUMNS, history_columns=HISTORY_COLUMNS,
                           change_columns=CHANGE_COLUMNS)


def unit_status() -> str | None:
    """The status of a unit clerk's unit, kept in the session (the menu of a pending unit is short)."""
    account = portal_session.account()
    if not account or account.get("role") != "unit_admin":
        return None
    if "unit_status" not in account:
        try:
            status = call("unit_registry", "my_unit")["status"]
        except PlatformError:
            status = None
        session["account"] = {**account, "unit_status": status}
    return session["account"].get("unit_status")
