"""Line B pages beside the generic lists: 注册新单位 (no account yet: the contact mobile is verified by
SMS code and the page keeps the registration ticket in the session; attachments go to the attachments
API as 注册 uploads), 单位信息 with its housing-subsidy information."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session

from gateway.context import call
from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required, role
from gateway.tickets import issue_ticket, mobile_of_ticket, verify_mobile
from shared import regions
from shared.errors import PlatformError

SERVICE = "housing_fund"


def _registrant_mobile() -> str | None:
    try:
        return mobile_of_ticket(session.get("registration_ticket"))
    except PlatformError:
        session.pop("registration_ticket", None)
        return None


@bp.route("/portal/housing/register", methods=["GET"])
def housing_register():
    """注册新单位: step 1 the contact mobile and SMS code, step 2 the registrations and the form."""
    mobile = _registrant_mobile()
    if mobile is None:
        return render_template("portal/housing_register_login.html")
    mine = call(SERVICE, "my_registrations", mobile, authenticated=False)["items"]
    editing = next((r for r in mine if r["review_status"] == "returned"), None)
    show_form = not mine or editing is not None or request.args.get("new") == "1"
    city = current_app.config.get("PORTAL_CITY", "440700")
    counties = {r.code: r.name for r in regions.counties_of(city)}
    return render_template("portal/housing_register.html", mobile=mobile, mine=mine, editing=editing,
                           show_form=show_form, counties=counties)


@bp.route("/portal/housing/register/verify", methods=["POST"])
def housing_register_verify():
    """【登录】 of the registration: consume the SMS code at identity, keep the ticket in the session."""
    portal_session_csrf = session.get("csrf", "")
    if not portal_session_csrf or request.form.get("csrf_token") != portal_session_csrf:
        flash("页面已过期，请刷新后重试", "error")
        return redirect("/portal/housing/register")
    try:
        mobile = verify_mobile(request.form.get("mobile", ""), request.form.get("sms_code", ""))
    except PlatformError as exc:
        flash(exc.message, "error")
        return redirect("/portal/housing/register")
    session["registration_ticket"] = issue_ticket(mobile)
    return redirect("/portal/housing/register")


@bp.route("/portal/housing/employers/<employer_id>", methods=["GET"])
@login_required
def housing_employer(employer_id):
    """单位详情 for the bureau: registration data, rounds, attachments, approve / return."""
    employer = call(SERVICE, "get_employer", employer_id)
    return render_template("portal/housing_employer.html", employer=employer, bureau=role() == "housing_bureau")


@bp.route("/portal/housing/employer", methods=["GET"])
@login_required
def housing_my_employer():
    """单位信息 of the employer clerk: 住房补贴信息, 单位变更记录."""
    if role() != "employer":
        abort(403)
    employer = call(SERVICE, "my_employer")
    return render_template("portal/housing_employer.html", employer=employer, bureau=False)
