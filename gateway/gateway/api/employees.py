"""/api/v1 line B employees (housing_fund): 职工管理, 职工开户, 职工批量导入, 职工信息初始化, 职工信息变更,
批量封存/启封, 员工转入/转出, and the employee's own account."""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import marshmallow as ma
from flask import Response, request
from flask_smorest import Blueprint

from gateway.api.schemas import Int, PageArgs, Schema, list_args, page_of
from gateway.context import call
from gateway.portal import export
from gateway.portal.screens import Col
from shared.attachments import AttachmentStore
from shared.contracts.housing_fund import CHANGE_STATUSES, EMPLOYEE_STATUSES, TRANSFER_STATUSES
from shared.errors import InvalidInput

bp = Blueprint("employees", __name__, url_prefix="/api/v1", description="住房补贴汇缴：职工（housing_fund）")

SERVICE = "housing_fund"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 20 * 1024 * 1024


def xlsx_response(answer: dict) -> Response:
    """A file the service built (``{"filename", "content_b64"}``) as a download."""
    return export.file_response(base64.b64decode(answer["content_b64"]), answer["filename"], XLSX)


def uploaded_file() -> tuple[str, str]:
    """(filename, store id) of the multipart field ``file``: the bytes go to the attachment store
    (``$PLATFORM_VAR_DIR/attachments``, content-addressed, xlsx sniffed from the content) and only the
    id travels to housing_fund, which reads the file from the store: no file bytes on RabbitMQ."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput.field("file", "import.file_required", "请选择要上传的导入文件（.xlsx）")
    store = AttachmentStore(Path(os.environ.get("PLATFORM_VAR_DIR", "var")) / "attachments", max_bytes=MAX_UPLOAD,
                            allowed_types=frozenset({XLSX}))
    try:
        stored = store.put(upload.stream, upload.filename, upload.mimetype)
    except InvalidInput as exc:
        code = {"attachment.too_large": "import.too_large"}.get(exc.code)
        if code is None and exc.code.startswith("attachment.type_"):
            raise InvalidInput.field("file", "import.not_xlsx",
                                     "请上传Excel（.xlsx）文件，建议使用下载的模版") from None
        if code:
            raise InvalidInput.field("file", code, "导入文件不能超过20MB") from None
        raise
    return stored.filename, stored.sha256


def form_attachments() -> list:
    """``attachments`` form field: a JSON list of attachment references (optional)."""
    raw = request.form.get("attachments") or "[]"
    try:
        value = json.loads(raw)
    except ValueError:
        raise InvalidInput.field("attachments", "attachment.invalid", "附件格式不正确") from None
    if not isinstance(value, list):
        raise InvalidInput.field("attachments", "attachment.invalid", "附件格式不正确")
    return value


# -- schemas ------------------------------------------------------------------------------------------
class Employee(Schema):
    id = ma.fields.String()
    employer_id = ma.fields.String()
    employer_name = ma.fields.String()
    region = ma.fields.String()
    name = ma.fields.String(metadata={"description": "姓名"})
    id_type = ma.fields.String()
    id_type_label = ma.fields.String()
    id_number = ma.fields.String(metadata={"description": "证件号码"})
    mobile = ma.fields.String(allow_none=True)
    gender = ma.fields.String(allow_none=True)
    level = ma.fields.String(metadata={"description": "级别代码（见 /housing-levels）"})
    monthly_fen = Int(metadata={"description": "每月缴费金额（分）"})
    status = ma.fields.String(metadata={"description": "职工状态：" + " ".join(f"{k}{v}" for k, v in
                                                                          EMPLOYEE_STATUSES.items())})
    status_label = ma.fields.String()
    start_month = ma.fields.String(allow_none=True, metadata={"description": "汇缴开始月份 yyyyMM"})
    post = ma.fields.String(allow_none=True)
    source = ma.fields.String()
    has_account = ma.fields.Boolean(metadata={"description": "已开通个人登录"})
    checked = ma.fields.Boolean(metadata={"description": "职工信息初始化已核对"})
    periods = Int(metadata={"description": "累计缴纳期数"})
    balance_fen = Int(metadata={"description": "余额/累计缴纳金额（分）"})
    opened_at = ma.fields.String()
    updated_at = ma.fields.String()


class EmployeeDetail(Employee):
    changes = ma.fields.List(ma.fields.Dict(), metadata={"description": "变更记录"})
    ledger = ma.fields.List(ma.fields.Dict(), metadata={"description": "个人明细账（业务类型、金额、余额）"})


class EmployeeFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(list(EMPLOYEE_STATUSES)))
    employer_id = ma.fields.String(metadata={"description": "单位（住建局查看某单位职工时必填）"})


class NewEmployee(Schema):
    name = ma.fields.String(required=True)
    id_type = ma.fields.String(load_default="resident_id")
    id_number = ma.fields.String(required=True)
    mobile = ma.fields.String(required=True)
    level = ma.fields.String(required=True)
    monthly_fen = Int(load_default=None, metadata={"description": "不填则为级别标准"})
    start_month = ma.fields.String(required=True, metadata={"description": "汇缴开始月份 yyyyMM"})
    accumulated_periods = Int(load_default=None)
    accumulated_fen = Int(load_default=None)
    post = ma.fields.String(load_default=None)
    attachments = ma.fields.List(ma.fields.String(), load_default=list, metadata={
        "description": "职工材料：POST /api/v1/attachments（kind employee_material）返回的 id"})


class ImportResult(Schema):
    imported = Int(metadata={"description": "已导入的职工人数（导入任务进行中时随进度增加）"})
    rows = Int()
    filename = ma.fields.String()
    import_id = ma.fields.String()
    job_id = ma.fields.String(metadata={"description": "导入任务：GET /api/v1/jobs/{job_id} 查询进度"})
    job = ma.fields.Dict(allow_none=True, metadata={"description": "导入任务（状态、进度）"})
    repeated = ma.fields.Boolean(metadata={"description": "同一文件已导入过：本次未做任何修改"})


class ImportForm(Schema):
    attachments = ma.fields.String(load_default=None, metadata={"description": "附件引用的JSON数组（可选）"})


class ImportFile(Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary"})


class Initialisation(Schema):
    employer = ma.fields.Dict()
    levels = ma.fields.List(ma.fields.Dict())
    employees = ma.fields.Nested(page_of(Employee))


class CheckArgs(Schema):
    mobile = ma.fields.String(required=True)
    level = ma.fields.String(required=True)
    monthly_fen = Int(required=True)
    accumulated_periods = Int(load_default=None)
    accumulated_fen = Int(load_default=None)


class ChangeArgs(Schema):
    data = ma.fields.Dict(required=True, metadata={"description": "要变更的字段：name, id_type, id_number, mobile, "
                                                                  "level, monthly_fen, post"})
    attachments = ma.fields.List(ma.fields.String(), load_default=list, metadata={
        "description": "职工材料：POST /api/v1/attachments（kind employee_material）返回的 id"})
    reason = ma.fields.String(load_default=None)


class Change(Schema):
    id = ma.fields.String()
    employee_id = ma.fields.String()
    employee_name = ma.fields.String()
    employer_id = ma.fields.String()
    employer_name = ma.fields.String()
    id_number = ma.fields.String()
    kind = ma.fields.String()
    kind_label = ma.fields.String()
    status = ma.fields.String(metadata={"description": "、".join(f"{k} {v}" for k, v in CHANGE_STATUSES.items())})
    status_label = ma.fields.String()
    before = ma.fields.Dict()
    after = ma.fields.Dict()
    labels = ma.fields.Dict()
    summary = ma.fields.String()
    attachments = ma.fields.List(ma.fields.Dict())
    reason = ma.fields.String(allow_none=True)
    opinion = ma.fields.String(allow_none=True)
    by_name = ma.fields.String(allow_none=True)
    at = ma.fields.String()
    decided_at = ma.fields.String(allow_none=True)


class ChangeFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(list(CHANGE_STATUSES)))


class Opinion(Schema):
    opinion = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class RequiredOpinion(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class SealArgs(Schema):
    employee_ids = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "待变更列表中的职工"})
    reason = ma.fields.String(load_default=None)
    effective_month = ma.fields.String(load_default=None, metadata={"description": "生效月份 yyyyMM（本月或上月）"})


class SealResult(Schema):
    action = ma.fields.String()
    label = ma.fields.String()
    effective_month = ma.fields.String()
    count = Int()
    items = ma.fields.List(ma.fields.Nested(Employee))


class TransferArgs(Schema):
    employee_ids = ma.fields.List(ma.fields.String(), required=True)
    to_employer_id = ma.fields.String(required=True, metadata={"description": "转入单位（GET /employers/receiving）"})
    reason = ma.fields.String(load_default=None)
    attachments = ma.fields.List(ma.fields.String(), load_default=list, metadata={
        "description": "职工材料：POST /api/v1/attachments（kind employee_material）返回的 id"})


class TransferResult(Schema):
    count = Int()
    transfer_ids = ma.fields.List(ma.fields.String())
    to_employer_name = ma.fields.String()


class Transfer(Schema):
    id = ma.fields.String()
    employee_id = ma.fields.String()
    employee_name = ma.fields.String()
    id_number = ma.fields.String()
    level = ma.fields.String()
    monthly_fen = Int()
    from_employer_id = ma.fields.String()
    from_employer_name = ma.fields.String()
    to_employer_id = ma.fields.String()
    to_employer_name = ma.fields.String()
    status = ma.fields.String(metadata={"description": "、".join(f"{k} {v}" for k, v in TRANSFER_STATUSES.items())})
    status_label = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    opinion = ma.fields.String(allow_none=True)
    requested_at = ma.fields.String()
    decided_at = ma.fields.String(allow_none=True)
    balance_fen = Int(allow_none=True, metadata={"description": "随职工转入的余额（分）"})
    periods = Int(allow_none=True)
    incoming = ma.fields.Boolean()
    not_decidable = ma.fields.Boolean()


class TransferFilter(PageArgs):
    direction = ma.fields.String(validate=ma.validate.OneOf(["in", "out"]))
    status = ma.fields.String(validate=ma.validate.OneOf(list(TRANSFER_STATUSES)))


class Receiving(Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    org_code = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)


class ResetResult(Schema):
    employee_id = ma.fields.String()
    reset = ma.fields.Boolean()


EXPORT_COLUMNS = (Col("name", "姓名"), Col("id_number", "证件号码"), Col("mobile", "手机号码"), Col("level", "级别"),
                  Col("monthly_fen", "每月缴费金额", "money"), Col("start_month", "汇缴开始月份"),
                  Col("periods", "累计缴纳期数"), Col("balance_fen", "累计缴纳金额", "money"),
                  Col("status_label", "状态"), Col("checked", "已核对"))


# -- roster -------------------------------------------------------------------------------------------
@bp.route("/employees", methods=["GET"])
@bp.arguments(EmployeeFilter, location="query")
@bp.response(200, page_of(Employee))
def list_employees(args):
    """职工管理：本单位职工（住建局须指定 employer_id），按姓名或证件号码搜索，按状态筛选"""
    return call(SERVICE, "list_employees", *list_args(args))


@bp.route("/employees/export.xlsx", methods=["GET"])
@bp.arguments(EmployeeFilter, location="query")
@bp.response(200, ImportFile, content_type=XLSX)
def export_employees(args):
    """导出Excel：本单位职工（员工初始化时校对用），最多10000行"""
    filters, _, _ = list_args(args)
    rows, page = [], 1
    while len(rows) < 10_000:
        result = call(SERVICE, "list_employees", filters, page, 200)
        rows += result["items"]
        if page * 200 >= result["total"] or not result["items"]:
            break
        page += 1
    return export.download("职工信息", EXPORT_COLUMNS, rows, "xlsx")


@bp.route("/employees", methods=["POST"])
@bp.arguments(NewEmployee)
@bp.response(201, EmployeeDetail)
def open_employee(args):
    """职工开户（单个）：详细资料（带红点必填）与附件"""
    return call(SERVICE, "open_employee", args)


@bp.route("/employees/import-template.xlsx", methods=["GET"])
@bp.response(200, ImportFile, content_type=XLSX)
def import_template():
    """下载批量导入模版（带*为必填；证件号码与年月为文本格式）"""
    return xlsx_response(call(SERVICE, "employee_template"))


@bp.route("/employees/import", methods=["POST"])
@bp.arguments(ImportForm, location="form")
@bp.arguments(ImportFile, location="files")
@bp.response(202, ImportResult)
def import_employees(form, _files):
    """职工批量导入：上传填好的模版（multipart：file，可选 attachments）。先逐行校验，任何一行有错则不导入任何职工，
    错误按行号返回（details.errors）；全部正确则返回导入任务（202，job_id），后台逐批导入，进度见
    GET /api/v1/jobs/{job_id}；同一文件重复上传不重复导入"""
    filename, file_id = uploaded_file()
    return call(SERVICE, "import_employees", filename, file_id, form_attachments())


@bp.route("/employees/me", methods=["GET"])
@bp.response(200, EmployeeDetail)
def my_account():
    """职工本人：住房补贴账户、状态、余额与明细"""
    return call(SERVICE, "my_account")


@bp.route("/employees/<employee_id>", methods=["GET"])
@bp.response(200, EmployeeDetail)
def get_employee(employee_id):
    """详细资料：基本信息、变更记录、个人明细账"""
    return call(SERVICE, "get_employee", employee_id)


@bp.route("/employees/<employee_id>/reset-password", methods=["POST"])
@bp.response(200, ResetResult)
def reset_employee_password(employee_id):
    """为职工重置个人平台密码"""
    return call(SERVICE, "reset_employee_password", employee_id)


# -- 职工信息初始化 ------------------------------------------------------------------------------------------
@bp.route("/employer-initialisation", methods=["GET"])
@bp.arguments(EmployeeFilter, location="query")
@bp.response(200, Initialisation)
def initialisation(args):
    """职工信息初始化：本单位、级别标准与待核对的职工"""
    return call(SERVICE, "initialisation", *list_args(args))


@bp.route("/employer-initialisation/employees/<employee_id>", methods=["POST"])
@bp.arguments(CheckArgs)
@bp.response(200, Employee)
def check_employee(args, employee_id):
    """核对并保存一名职工：手机号码、级别、每月缴费金额（累计缴纳期数与金额选填）"""
    return call(SERVICE, "check_employee", employee_id, args)


@bp.route("/employer-initialisation/submit", methods=["POST"])
@bp.response(200, ma.Schema.from_dict({"employees": Int(), "initialised": ma.fields.Boolean(),
                                       "initialised_at": ma.fields.String()}, name="InitialisationDone"))
def submit_initialisation():
    """立即提交职工信息初始化（仅一次）"""
    return call(SERVICE, "submit_initialisation")


# -- 职工信息变更 ----------------------------------------------------------------------------------------------
@bp.route("/employees/<employee_id>/changes", methods=["POST"])
@bp.arguments(ChangeArgs)
@bp.response(201, Change)
def request_employee_change(args, employee_id):
    """新增变更信息：姓名、证件、级别、金额的变更须附附件并经住建局审核后生效；手机号码、职务即时生效"""
    return call(SERVICE, "request_employee_change", employee_id, args["data"], args["attachments"], args["reason"])


@bp.route("/employee-changes", methods=["GET"])
@bp.arguments(ChangeFilter, location="query")
@bp.response(200, page_of(Change))
def list_employee_changes(args):
    """职工信息变更记录（单位：本单位；住建局：本辖区，status=pending 为待审核）"""
    return call(SERVICE, "list_employee_changes", *list_args(args))


@bp.route("/employee-changes/<change_id>", methods=["GET"])
@bp.response(200, Change)
def get_employee_change(change_id):
    """查看变更内容"""
    return call(SERVICE, "get_employee_change", change_id)


@bp.route("/employee-changes/<change_id>/approve", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Change)
def approve_employee_change(args, change_id):
    """住建局审核通过职工信息变更（生效）"""
    return call(SERVICE, "approve_employee_change", change_id, args.get("opinion"))


@bp.route("/employee-changes/<change_id>/return", methods=["POST"])
@bp.arguments(RequiredOpinion)
@bp.response(200, Change)
def return_employee_change(args, change_id):
    """住建局退回职工信息变更（须填写意见）"""
    return call(SERVICE, "return_employee_change", change_id, args["opinion"])


# -- 批量封存/启封 ---------------------------------------------------------------------------------------------
@bp.route("/employees/bulk-seal", methods=["POST"])
@bp.arguments(SealArgs)
@bp.response(200, SealResult)
def bulk_seal(args):
    """批量封存：待变更列表中的职工全部封存（任何一人不能封存则全部不办理）"""
    return call(SERVICE, "change_status", "seal", args["employee_ids"], args["reason"], args["effective_month"])


@bp.route("/employees/bulk-unseal", methods=["POST"])
@bp.arguments(SealArgs)
@bp.response(200, SealResult)
def bulk_unseal(args):
    """批量启封"""
    return call(SERVICE, "change_status", "unseal", args["employee_ids"], args["reason"], args["effective_month"])


# -- 员工转入/转出 ---------------------------------------------------------------------------------------------
@bp.route("/employers/receiving", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(Receiving))
def receiving_employers(args):
    """选择转入单位（正常或缓缴的单位），按名称或组织机构代码搜索"""
    return call(SERVICE, "receiving_employers", args.get("q"), args["page"], args["page_size"])


@bp.route("/transfers", methods=["POST"])
@bp.arguments(TransferArgs)
@bp.response(201, TransferResult)
def transfer_out(args):
    """新增职工转出（单个或批量）到所选单位，待转入单位审阅"""
    return call(SERVICE, "transfer_out", args["employee_ids"], args["to_employer_id"], args["reason"],
                args["attachments"])


@bp.route("/transfers", methods=["GET"])
@bp.arguments(TransferFilter, location="query")
@bp.response(200, page_of(Transfer))
def list_transfers(args):
    """员工转入/转出列表：direction=in 为其他单位转入、待本单位审阅"""
    return call(SERVICE, "list_transfers", *list_args(args))


@bp.route("/transfers/<transfer_id>", methods=["GET"])
@bp.response(200, Transfer)
def get_transfer(transfer_id):
    """审阅：转移详情"""
    return call(SERVICE, "get_transfer", transfer_id)


@bp.route("/transfers/<transfer_id>/accept", methods=["POST"])
@bp.response(200, Transfer)
def accept_transfer(transfer_id):
    """审阅确认转入：职工及其余额、明细随之转入本单位"""
    return call(SERVICE, "accept_transfer", transfer_id)


@bp.route("/transfers/<transfer_id>/reject", methods=["POST"])
@bp.arguments(RequiredOpinion)
@bp.response(200, Transfer)
def reject_transfer(args, transfer_id):
    """退回转移（须填写意见）"""
    return call(SERVICE, "reject_transfer", transfer_id, args["opinion"])
