"""Line B employee screens (seed 004: 基本信息-职工管理; 业务办理-职工开户/职工批量导入/职工信息变更/
批量封存启封/员工转入转出; the employee's 我的住房补贴账户). Lists are entries of the generic screen
table (``screens._add``); the pages below are forms and details whose commands go to ``/api/v1``."""
from __future__ import annotations

from flask import abort, render_template, request

from gateway.context import call
from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required, role
from gateway.portal.screens import Act, Col, Filter, Screen, _add
from shared.contracts.housing_fund import CHANGE_STATUSES, EMPLOYEE_STATUSES, TRANSFER_STATUSES

SERVICE = "housing_fund"
DIRECTIONS = {"in": "转入（待本单位审阅）", "out": "转出"}

EMPLOYEE_COLUMNS = (
    Col("name", "姓名", search=True, link=True), Col("id_number", "证件号码", search=True), Col("gender", "性别"),
    Col("level", "级别"), Col("monthly_fen", "每月缴费金额", "money"), Col("periods", "累计期数"),
    Col("balance_fen", "账户余额", "money"), Col("start_month", "汇缴开始月份"), Col("status_label", "状态", "status"))

_add("employer", Screen(
    "employees", "职工管理", SERVICE, "list_employees", EMPLOYEE_COLUMNS, statuses=EMPLOYEE_STATUSES,
    search="姓名 / 证件号码", detail="/portal/housing/employees/{id}",
    new=("新增职工", "/portal/housing/employees/new"),
    row_actions=(Act("详细资料", "/portal/housing/employees/{id}", page=True),
                 Act("变更记录", "/portal/housing/employees/{id}#changes", page=True),
                 Act("重置密码", "/api/v1/employees/{id}/reset-password", style="danger",
                     confirm="将该职工的个人登录密码重置为初始密码（证件号码后6位），职工下次登录须修改密码。是否继续？")),
    empty="本单位暂无职工，请通过【职工开户】或【职工批量导入】添加"))
_add("employer", Screen(
    "employee-changes", "职工信息变更", SERVICE, "list_employee_changes",
    (Col("employee_name", "姓名", search=True), Col("id_number", "证件号码", search=True),
     Col("summary", "变更内容"), Col("reason", "变更原因"), Col("at", "提交时间", "datetime"),
     Col("status_label", "状态", "status"), Col("opinion", "审核意见")),
    statuses=CHANGE_STATUSES, search="姓名 / 证件号码",
    new=("新增变更信息", "/portal/housing/employees/pick-change"),
    empty="暂无职工信息变更"))
_add("housing_bureau", Screen(
    "employee-changes", "职工信息变更审核", SERVICE, "list_employee_changes",
    (Col("employee_name", "姓名", search=True), Col("id_number", "证件号码", search=True), Col("employer_name", "单位"),
     Col("summary", "变更内容"), Col("reason", "变更原因"), Col("at", "提交时间", "datetime"),
     Col("status_label", "状态", "status"), Col("opinion", "审核意见")),
    statuses=CHANGE_STATUSES, search="姓名 / 证件号码",
    row_actions=(Act("审核通过", "/api/v1/employee-changes/{id}/approve", opinion="optional", when=("pending",)),
                 Act("退回", "/api/v1/employee-changes/{id}/return", opinion="required", when=("pending",),
                     style="danger"))))
_add("employer", Screen(
    "transfers", "员工转入/转出", SERVICE, "list_transfers",
    (Col("employee_name", "姓名", search=True), Col("id_number", "证件号码", search=True),
     Col("from_employer_name", "转出单位"), Col("to_employer_name", "转入单位"),
     Col("balance_fen", "转移余额", "money"),
     Col("requested_at", "申请时间", "datetime"), Col("status_label", "状态", "status"), Col("opinion", "审阅意见")),
    statuses=TRANSFER_STATUSES, search="姓名 / 证件号码", detail="/portal/housing/transfers/{id}",
    filters=(Filter("direction", "方向", DIRECTIONS),), new=("新增职工转出", "/portal/housing/transfers/new"),
    row_actions=(Act("审阅", "/portal/housing/transfers/{id}", page=True, when=("pending",)),),
    empty="暂无员工转入/转出记录"))


def _employer_only() -> None:
    if role() != "employer":
        abort(403)


@bp.route("/portal/housing/employees/<employee_id>", methods=["GET"])
@login_required
def housing_employee(employee_id):
    """详细资料 and 变更记录 (with the ledger) of one employee."""
    employee = call(SERVICE, "get_employee", employee_id)
    return render_template("portal/employee_detail.html", e=employee, employer=role() == "employer")


@bp.route("/portal/housing/employees/new", methods=["GET"])
@login_required
def housing_employee_new():
    """职工开户: the red-dot fields, the level table, attachments uploaded before submit."""
    _employer_only()
    return render_template("portal/employee_new.html", levels=call(SERVICE, "get_levels", None)["items"])


@bp.route("/portal/housing/import", methods=["GET"])
@login_required
def housing_import():
    """职工批量导入: download the template, upload the filled file, see every row's error."""
    _employer_only()
    return render_template("portal/employee_import.html")


@bp.route("/portal/housing/employees/pick-change", methods=["GET"])
@login_required
def housing_pick_change():
    """新增变更信息 step 1: choose the employee (search by name or ID)."""
    _employer_only()
    q = request.args.get("q", "").strip()
    page = call(SERVICE, "list_employees", {"q": q} if q else {}, 1, 20)
    return render_template("portal/employee_pick.html", page=page, q=q)


@bp.route("/portal/housing/employees/<employee_id>/change", methods=["GET"])
@login_required
def housing_employee_change(employee_id):
    """新增变更信息 step 2: the fields to change, the reason, attachments."""
    _employer_only()
    employee = call(SERVICE, "get_employee", employee_id)
    return render_template("portal/employee_change.html", e=employee,
                           levels=call(SERVICE, "get_levels", None)["items"])


def _picker(title: str, mode: str, **extra):
    q = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    try:
        number = max(1, int(request.args.get("page", 1)))
    except ValueError:
        number = 1
    filters = {k: v for k, v in {"q": q, "status": status}.items() if v}
    page = call(SERVICE, "list_employees", filters, number, 10)
    return render_template("portal/employee_picker.html", page=page, q=q, status=status, title=title, mode=mode,
                           statuses=EMPLOYEE_STATUSES, **extra)


@bp.route("/portal/housing/sealing", methods=["GET"])
@login_required
def housing_sealing():
    """批量封存/启封: pick employees page by page into the pending list (kept in the browser), submit."""
    _employer_only()
    return _picker("批量封存/启封", "sealing")


@bp.route("/portal/housing/transfers/new", methods=["GET"])
@login_required
def housing_transfer_new():
    """新增职工转出 (one or a batch): pick employees into the pending list, choose the receiving employer."""
    _employer_only()
    q = request.args.get("employer_q", "").strip()
    receiving = call(SERVICE, "receiving_employers", q or None, 1, 50)["items"]
    return _picker("新增职工转出", "transfer", receiving=receiving, employer_q=q)


@bp.route("/portal/housing/transfers/<transfer_id>", methods=["GET"])
@login_required
def housing_transfer(transfer_id):
    """审阅: the transfer, and for the receiving employer 立即提交 (accept) or 退回."""
    _employer_only()
    transfer = call(SERVICE, "get_transfer", transfer_id)
    mine = call(SERVICE, "me")["unit_id"]
    return render_template("portal/transfer_detail.html", t=transfer, receiving=transfer["to_employer_id"] == mine)


@bp.route("/portal/housing/me", methods=["GET"])
@login_required
def housing_me():
    """The employee's own view: 我的住房补贴账户."""
    if role() != "employee":
        abort(403)
    return render_template("portal/employee_detail.html", e=call(SERVICE, "my_account"), employer=False, own=True)
