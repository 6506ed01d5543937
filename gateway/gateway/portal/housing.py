"""Line B pages beside the generic lists: 注册新单位 (no account yet: the contact mobile is verified by
SMS code and the page keeps the registration ticket in the session; attachments go to the attachments
API as 注册 uploads), 单位信息 with its housing-subsidy information."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session

from gateway.context import authorised_as, call
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
@authorised_as(SERVICE, "get_employer")
def housing_employer(employer_id):
    """单位详情 for the bureau: registration data, rounds, attachments, approve / return."""
    employer = call(SERVICE, "get_employer", employer_id)
    return render_template("portal/housing_employer.html", employer=employer, bureau=role() == "housing_bureau")


@bp.route("/portal/housing/employer", methods=["GET"])
@login_required
@authorised_as(SERVICE, "my_employer")
def housing_my_employer():
    """单位信息 of the employer clerk: 住房补贴信息, 单位变更记录."""
    if role() != "employer":
        abort(403)
    employer = call(SERVICE, "my_employer")
    return render_template("portal/housing_employer.html", employer=employer, bureau=False)


def _need(*roles: str) -> None:
    if role() not in roles:
        abort(403)


def _levels() -> list[dict]:
    return call(SERVICE, "get_levels", None)["items"]


@bp.route("/portal/housing/employees/new", methods=["GET"])
@login_required
def housing_employee_new():
    """职工开户: the employee's 详细资料 (red dots required) and attachments."""
    _need("employer")
    return render_template("portal/housing_employee_new.html", levels=_levels())


@bp.route("/portal/housing/employees/<employee_id>", methods=["GET"])
@login_required
@authorised_as(SERVICE, "get_employee")
def housing_employee(employee_id):
    """详细资料 with 变更记录 and 个人明细; the employer's 新增变更信息 and 重置密码."""
    _need("employer", "housing_bureau")
    employee = call(SERVICE, "get_employee", employee_id)
    levels = _levels() if role() == "employer" else []
    return render_template("portal/housing_employee.html", employee=employee, levels=levels,
                           employer=role() == "employer")


@bp.route("/portal/housing/me", methods=["GET"])
@login_required
@authorised_as(SERVICE, "my_account")
def housing_me():
    """The employee's own 住房补贴账户."""
    _need("employee")
    return render_template("portal/housing_employee.html", employee=call(SERVICE, "my_account"), levels=[],
                           employer=False, own=True)


@bp.route("/portal/housing/import", methods=["GET"])
@login_required
def housing_import():
    """职工批量导入: download the template, upload it (every row checked, all or nothing)."""
    _need("employer")
    return render_template("portal/housing_import.html", api="/api/v1/employees/import",
                           template="/api/v1/employees/import-template.xlsx", title="职工批量导入",
                           done_href="/portal/employees", attachments=True)


@bp.route("/portal/housing/migration", methods=["GET"])
@login_required
@authorised_as(SERVICE, "list_migrations")
def housing_migration():
    """迁移导入 of employers that already remit (the bureau)."""
    _need("housing_bureau")
    runs = call(SERVICE, "list_migrations", 1, 20)
    return render_template("portal/housing_import.html", api="/api/v1/employer-migrations",
                           template="/api/v1/employer-migrations/template.xlsx", title="单位迁移导入",
                           done_href="/portal/employers", attachments=False, runs=runs)


@bp.route("/portal/housing/initialise", methods=["GET"])
@login_required
@authorised_as(SERVICE, "initialisation")
def housing_initialise():
    """职工信息初始化 at the first login: check mobile, level and monthly amount, export, submit."""
    _need("employer")
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    data = call(SERVICE, "initialisation", {"q": request.args.get("q", "")} if request.args.get("q") else {},
                page, 50)
    return render_template("portal/housing_initialise.html", data=data, page=page, q=request.args.get("q", ""))


@bp.route("/portal/housing/transfer-out", methods=["GET"])
@login_required
@authorised_as(SERVICE, "list_employees")
def housing_transfer_out():
    """新增职工转出: tick employees (single or batch), choose the receiving employer."""
    _need("employer")
    q = request.args.get("q", "")
    employees = call(SERVICE, "list_employees", {"q": q} if q else {}, 1, 100)
    targets = call(SERVICE, "receiving_employers", request.args.get("target_q") or None, 1, 200)
    return render_template("portal/housing_transfer_out.html", employees=employees, targets=targets, q=q)


@bp.route("/portal/housing/employer-changes/new", methods=["GET"])
@login_required
@authorised_as(SERVICE, "my_employer")
def housing_employer_change_new():
    """新增变更信息 of the employer (effective after the bureau approves)."""
    _need("employer")
    return render_template("portal/housing_employer_change.html", employer=call(SERVICE, "my_employer"))


@bp.route("/portal/housing/employer-changes/<change_id>", methods=["GET"])
@login_required
@authorised_as(SERVICE, "get_employer_change")
def housing_employer_change(change_id):
    """查看 a change request (before → after, attachments); the bureau approves or returns it."""
    _need("employer", "housing_bureau")
    change = call(SERVICE, "get_employer_change", change_id)
    return render_template("portal/housing_change.html", change=change, bureau=role() == "housing_bureau")


@bp.route("/portal/housing/levels", methods=["GET"])
@login_required
@authorised_as(SERVICE, "get_levels")
def housing_levels():
    """级别标准; the bureau also keeps its table here (级别维护, from an effective month)."""
    _need("housing_bureau", "employer")
    return render_template("portal/housing_levels.html", data=call(SERVICE, "get_levels", None),
                           bureau=role() == "housing_bureau")


@bp.route("/portal/housing/sealing", methods=["GET"])
@login_required
def housing_sealing():
    """批量封存/启封: the roster filtered to those who can be sealed (or unsealed) with ticked batches."""
    _need("employer")
    return redirect("/portal/employees?status=" + ("02" if request.args.get("action") == "unseal" else "01"))
