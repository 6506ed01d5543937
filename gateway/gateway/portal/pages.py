"""The pages beside the generic lists: home with its to-do counters, record details, the application
with its timeline (流程状态), the forms of the individual, and the admin's screens."""
from __future__ import annotations

import logging
from datetime import date

from flask import abort, current_app, redirect, render_template, request

from gateway.api.publicity import path_year
from gateway.api.work import collect_todos
from gateway.context import authorised_as, authorised_in_call, call
from gateway.portal.blueprint import bp
from gateway.portal.details import detail_for
from gateway.portal.guard import login_required, role
from gateway.portal.registration import terms_in_force
from gateway.portal.screens import APPLICATION_LABELS, ROLE_LABELS, Act, Col
from shared.clock import clock_from_env
from shared.contracts.statuses import DEGREES
from shared.errors import NotFound, PlatformError

log = logging.getLogger(__name__)

#: the services behind the to-do counters, as the home page names them when one is down
SERVICE_NAMES = {"unit_registry": "单位与个人注册", "subsidy_review": "补助申请审核",
                 "publicity_assessment": "公示评审", "org_confirmation": "组织部确认与汇总",
                 "finance_disbursement": "资金拨付", "housing_fund": "住房补贴汇缴"}
RETURNED = ("unit_returned", "county_returned")
APPLICATION_FIELDS = (
    Col("application_no", "申请编号"), Col("status_label", "状态", "status"), Col("applicant_name", "姓名"),
    Col("id_number", "证件号码"), Col("mobile", "手机号码"), Col("unit_name", "单位名称"), Col("county_name", "县区"),
    Col("degree_label", "学历"), Col("start_date", "补助申领起始日期", "date"), Col("months", "补贴月数"),
    Col("standard_fen", "补贴标准（元/月）", "money"), Col("amount_fen", "合计金额", "money"),
    Col("submitted_at", "提交时间", "datetime"), Col("reported_at", "上报时间", "datetime"),
    Col("bank_account.bank", "开户行"), Col("bank_account.number", "银行卡号"), Col("opinion", "审核意见"))


@bp.route("/portal/", methods=["GET"])
@login_required
@authorised_in_call("gathers every service's counters for the caller's role; each call answers its own 401/403")
def home():
    if role() == "employer" and not _employer_initialised():
        return redirect("/portal/housing/initialise")  # seed 004: the first login opens 职工信息初始化
    items, unavailable = collect_todos()
    for item in items:  # a service that names its list without the portal's prefix still links right
        href = item.get("href") or "/portal/"
        item["href"] = href if href.startswith("/portal") else "/portal" + href
    return render_template("portal/home.html", todos=items,
                           unavailable=[SERVICE_NAMES.get(s, s) for s in unavailable])


def _employer_initialised() -> bool:
    try:
        return bool(call("housing_fund", "my_employer").get("initialised"))
    except PlatformError:
        return True  # housing_fund down: the home page still opens


@bp.route("/portal/applications/<application_id>", methods=["GET"])
@login_required
@authorised_as("subsidy_review", "get_application")
def application(application_id):
    """补助申请详情 with its 流程状态: the 13 stages with actor, time and opinion, and the history."""
    detail = call("subsidy_review", "get_application", application_id)
    timeline = call("subsidy_review", "timeline", application_id)
    return render_template("portal/application.html", app=detail, timeline=timeline, role=role(),
                           returned=RETURNED, application_fields=APPLICATION_FIELDS, role_labels=ROLE_LABELS)


@bp.route("/portal/applications/<application_id>/print", methods=["GET"])
@login_required
@authorised_as("subsidy_review", "get_application")
def application_print(application_id):
    """补助申请表, styled for the browser's print (打印)."""
    detail = call("subsidy_review", "get_application", application_id)
    return render_template("portal/application_print.html", app=detail, application_fields=APPLICATION_FIELDS)


def _application_form(app: dict | None):
    if role() != "individual":
        abort(403)
    profile = call("subsidy_review", "applicant_profile")
    policy = None
    if profile.get("region"):
        try:
            policy = call("subsidy_review", "get_policy", profile["region"][:4] + "00")
        except PlatformError:
            policy = None
    return render_template("portal/application_form.html", app=app, profile=profile, policy=policy,
                           degrees=DEGREES)


@bp.route("/portal/applications/new", methods=["GET"])
@login_required
def application_new():
    return _application_form(None)


@bp.route("/portal/applications/<application_id>/edit", methods=["GET"])
@login_required
@authorised_as("subsidy_review", "get_application")
def application_edit(application_id):
    app = call("subsidy_review", "get_application", application_id)
    if app["status"] not in RETURNED:
        abort(409)
    return _application_form(app)


@bp.route("/portal/<path>/<record_id>", methods=["GET"])
@login_required
def record(path, record_id):
    config = detail_for(role(), path)
    if config is None:
        abort(404)
    item = call(config.service, config.method, record_id)
    return render_template("portal/detail.html", config=config, item=item, record_id=record_id)


@bp.route("/portal/register/individual", methods=["GET"])
@login_required
@authorised_as("unit_registry", "my_registration")
def register_individual():
    """个人注册 of a graduate whose account exists (the open registration arrives with its issue)."""
    if role() != "individual":
        abort(403)
    try:
        mine = call("unit_registry", "my_registration")
    except NotFound:
        mine = None
    terms = terms_in_force("individual") if mine is None or mine["status"] == "returned" else None
    return render_template("portal/register_individual.html", mine=mine, degrees=DEGREES, terms=terms)


@bp.route("/portal/accounts/new", methods=["GET"])
@login_required
def account_new():
    if role() == "unit_admin":  # a unit adds another operator of its own unit (个人 come from 个人注册)
        return render_template("portal/account_new.html", unit_operator=True, units=[],
                               roles={"unit_admin": ROLE_LABELS["unit_admin"]})
    if role() != "sys_admin":
        abort(403)
    try:
        units = call("unit_registry", "list_approved_units", None, None, 1, 200, authenticated=False)["items"]
    except PlatformError:
        units = []  # the unit is then typed as its id
    # 个人 accounts come from 个人注册 only: the admin opens accounts for staff
    roles = {k: v for k, v in ROLE_LABELS.items() if k != "individual"}
    return render_template("portal/account_new.html", roles=roles, units=units, unit_operator=False)


@bp.route("/portal/accounts/<account_id>", methods=["GET"])
@login_required
@authorised_as("identity", "get_account")
def account_detail(account_id):
    """账号详情: view, 修改, 修改密码, 注销 / 撤销注销 (another unit's account is 404 from identity)."""
    if role() not in ("sys_admin", "unit_admin"):
        abort(403)
    item = call("identity", "get_account", account_id)
    return render_template("portal/account_detail.html", item=item)


#: 申报期 (application windows) on the policy page: the list and its 撤销 button
WINDOW_COLUMNS = (Col("name", "申报期名称"), Col("opens_on", "申报开始", "date"), Col("closes_on", "申报截止", "date"),
                  Col("graduated_from", "毕业时间起", "date"), Col("graduated_to", "毕业时间止", "date"),
                  Col("status_label", "状态", "status"))
WINDOW_ACTIONS = (Act("撤销", "/api/v1/application-windows/{id}/cancel", when=("active",), style="danger",
                      confirm="撤销该申报期？撤销后该期间不再受理申请（记录保留）。"),)


@bp.route("/portal/policies", methods=["GET"])
@login_required
@authorised_as("subsidy_review", "get_policy")
def policies():
    if role() != "sys_admin":
        abort(403)
    city = request.args.get("city") or current_app.config.get("PORTAL_CITY", "440700")
    try:
        policy = call("subsidy_review", "get_policy", city)
    except NotFound:
        policy = None
    windows = call("subsidy_review", "list_windows", city)["items"]
    return render_template("portal/policies.html", policy=policy, city=city, degrees=DEGREES, windows=windows,
                           window_columns=WINDOW_COLUMNS, window_actions=WINDOW_ACTIONS)


@bp.route("/portal/calendar", methods=["GET"])
@login_required
@authorised_as("publicity_assessment", "list_calendar_days")
def calendar():
    """节假日安排: the admin enters a year's holidays and make-up working days, then confirms the year
    (a working-day publicity is computed only through confirmed years)."""
    if role() != "sys_admin":
        abort(403)
    year = path_year(request.args.get("year", ""))
    if not isinstance(year, int):
        year = clock_from_env().today_local().year
    data = call("publicity_assessment", "list_calendar_days", year)
    for item in data["items"]:
        item["weekday"] = "星期" + "一二三四五六日"[date.fromisoformat(item["day"]).weekday()]
    return render_template("portal/calendar.html", data=data)


@bp.route("/portal/disbursement-statistics", methods=["GET"])
@login_required
@authorised_as("finance_disbursement", "statistics")
def disbursement_statistics():
    """资金拨付查询统计 of the city or county finance bureau, or of a unit for its own people."""
    if role() not in ("city_finance", "county_finance", "unit_admin"):
        abort(403)
    return render_template("portal/statistics.html", stats=call("finance_disbursement", "statistics", {}),
                           own_unit=role() == "unit_admin")


@bp.route("/portal/disbursement-reconciliation", methods=["GET"])
@login_required
@authorised_as("finance_disbursement", "reconciliation")
def disbursement_reconciliation():
    """资金对账 per batch and county: released = paid + failed + pending + returned, clawbacks apart."""
    if role() not in ("city_finance", "county_finance"):
        abort(403)
    filters = {k: v for k in ("batch_id", "county") if (v := request.args.get(k, "").strip())}
    report = call("finance_disbursement", "reconciliation", filters)
    return render_template("portal/reconciliation.html", report=report, filters=filters)


@bp.route("/portal/county-transfers/<transfer_id>/bank-result", methods=["GET"])
@login_required
@authorised_as("finance_disbursement", "get_transfer")
def bank_result(transfer_id):
    """导入银行回盘 of a county transfer (the upload answers per line)."""
    if role() != "county_finance":
        abort(403)
    transfer = call("finance_disbursement", "get_transfer", transfer_id)
    return render_template("portal/bank_result.html", transfer=transfer)


@bp.route("/portal/failed-payments/<application_id>/retry", methods=["GET"])
@login_required
def retry_payment(application_id):
    """更正账户重新支付: the account the graduate corrected."""
    if role() != "county_finance":
        abort(403)
    return render_template("portal/retry_payment.html", application_id=application_id)


@bp.app_template_global()
def application_status_label(status: str) -> str:
    return APPLICATION_LABELS.get(status, status)
