"""/api/v1 line B, housing-subsidy remittance (住房补贴汇缴): employers, their registration and review,
单位信息 (housing_fund).

Registration (注册新单位) has no account yet: the registrant proves the contact mobile with an SMS code
(identity's ``consume_sms_code``, purpose ``employer_register``) and gets a registration ticket (signed
by the gateway, 30 minutes) that the registration routes take in the ``X-Registration-Ticket`` header."""
from __future__ import annotations

import hmac

import marshmallow as ma
from flask import request, session
from flask_smorest import Blueprint

from gateway.api.employees import uploaded_file, xlsx_response
from gateway.api.schemas import Int, PageArgs, Schema, list_args, page_of
from gateway.context import authorised_as, call
from gateway.tickets import TICKET_HEADER, TICKET_SECONDS, issue_ticket, mobile_of_ticket, verify_mobile
from shared.contracts.housing_fund import EMPLOYER_STATUSES, REVIEW_STATUSES
from shared.errors import Forbidden

bp = Blueprint("housing", __name__, url_prefix="/api/v1", description="住房补贴汇缴（housing_fund）")

SERVICE = "housing_fund"


# -- schemas ------------------------------------------------------------------------------------------
class Round(Schema):
    round = Int()
    submitted_at = ma.fields.String()
    decision = ma.fields.String(allow_none=True)
    decision_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_by_name = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)
    data = ma.fields.Dict()
    attachments = ma.fields.List(ma.fields.Dict())


class Employer(Schema):
    id = ma.fields.String()
    name = ma.fields.String(metadata={"description": "单位名称"})
    org_code = ma.fields.String(metadata={"description": "组织机构代码（单位登录账号）"})
    uscc = ma.fields.String(allow_none=True, metadata={"description": "统一社会信用代码"})
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "单位状态：" + " ".join(f"{k}{v}" for k, v in
                                                                          EMPLOYER_STATUSES.items())})
    status_label = ma.fields.String()
    trade_code = ma.fields.String(allow_none=True, metadata={"description": "单位交易代码（5位，审核通过时分配）"})
    source = ma.fields.String(metadata={"description": "registered 单位注册 | migrated 迁移导入"})
    source_label = ma.fields.String()
    review_status = ma.fields.String(metadata={"description": "注册审核：" + "、".join(
        f"{k} {v}" for k, v in REVIEW_STATUSES.items())})
    review_status_label = ma.fields.String()
    review_done = ma.fields.Boolean(metadata={"description": "注册审核已办结（非待审核）"})
    round = Int(metadata={"description": "第几次提交"})
    opinion = ma.fields.String(allow_none=True, metadata={"description": "审核意见"})
    contact_name = ma.fields.String(allow_none=True)
    contact_mobile = ma.fields.String(allow_none=True, metadata={"description": "联系人手机（列表中脱敏）"})
    created_at = ma.fields.String(allow_none=True)
    approved_at = ma.fields.String(allow_none=True)
    initialised = ma.fields.Boolean(metadata={"description": "已提交职工信息初始化"})
    initialised_at = ma.fields.String(allow_none=True)


class EmployerDetail(Employer):
    address = ma.fields.String()
    legal_person = ma.fields.String()
    bank_name = ma.fields.String()
    bank_account_name = ma.fields.String()
    bank_account_no = ma.fields.String()
    nature = ma.fields.String()
    phone = ma.fields.String()
    email = ma.fields.String()
    postcode = ma.fields.String()
    attachments = ma.fields.List(ma.fields.Dict())
    rounds = ma.fields.List(ma.fields.Nested(Round), metadata={"description": "每一次提交及其审核结果"})
    housing = ma.fields.Dict(metadata={"description": "住房补贴信息：级别标准、职工人数、月缴合计、入账合计"})
    changes = ma.fields.List(ma.fields.Dict(), metadata={"description": "单位信息变更记录"})
    status_actions = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "住建局此时可设置的单位状态操作（action、label），见 POST /employers/{id}/status"})


class EmployerFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(list(EMPLOYER_STATUSES)))
    review_status = ma.fields.String(validate=ma.validate.OneOf(list(REVIEW_STATUSES)))
    region = ma.fields.String(validate=ma.validate.Regexp(r"^\d{6}$"))


class Registration(Schema):
    name = ma.fields.String(required=True, metadata={"description": "单位名称"})
    uscc = ma.fields.String(required=True, metadata={"description": "统一社会信用代码（第9-17位为登录账号）"})
    region = ma.fields.String(required=True, metadata={"description": "所属县区（6位区划代码）"})
    address = ma.fields.String(required=True)
    legal_person = ma.fields.String(required=True, metadata={"description": "法定代表人"})
    contact_name = ma.fields.String(required=True, metadata={"description": "联系人（单位管理员）"})
    bank_name = ma.fields.String(required=True, metadata={"description": "开户银行"})
    bank_account_name = ma.fields.String(required=True, metadata={"description": "银行户名"})
    bank_account_no = ma.fields.String(required=True, metadata={"description": "银行账号"})
    nature = ma.fields.String(load_default=None, metadata={"description": "单位性质"})
    phone = ma.fields.String(load_default=None)
    email = ma.fields.String(load_default=None)
    postcode = ma.fields.String(load_default=None)
    attachments = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "营业执照等附件：POST /api/v1/attachments（kind employer_license / employer_other，"
                       "注册时无需登录）返回的 id，至少1个"})


class VerifyArgs(Schema):
    mobile = ma.fields.String(required=True, metadata={"description": "单位管理员（联系人）手机号码"})
    sms_code = ma.fields.String(required=True, metadata={"description": "POST /auth/sms-codes 用途 employer_register"})


class Ticket(Schema):
    ticket = ma.fields.String(metadata={"description": f"放在 {TICKET_HEADER} 请求头中，30分钟有效"})
    expires_in = Int()
    mobile = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(EmployerDetail), metadata={"description": "该手机号已提交的注册"})


class Registrations(Schema):
    mobile = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(EmployerDetail))


class EmployerApproveArgs(Schema):
    opinion = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class EmployerReturnArgs(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class Level(Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    monthly_fen = Int()
    bureau = ma.fields.String()


class Levels(Schema):
    region = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(Level))


class LevelArgs(Schema):
    region = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"))


class LevelEdition(Schema):
    effective_month = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(Level))
    reason = ma.fields.String(allow_none=True)
    by_name = ma.fields.String(allow_none=True)
    at = ma.fields.String()


class LevelsWithEditions(Levels):
    current_month = ma.fields.String()
    editions = ma.fields.List(ma.fields.Nested(LevelEdition), metadata={"description": "本局维护的级别表（住建局）"})


class LevelRow(Schema):
    code = ma.fields.String(required=True, metadata={"description": "级别代码，如01"})
    name = ma.fields.String(required=True, metadata={"description": "级别名称，如科级以下"})
    monthly_fen = Int(required=True, metadata={"description": "每月缴费金额（分）"})


class SetLevelsArgs(Schema):
    effective_month = ma.fields.String(required=True, metadata={"description": "生效月份 yyyyMM（本月或以后）"})
    items = ma.fields.List(ma.fields.Nested(LevelRow), required=True, metadata={"description": "完整的级别表"})
    reason = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class EmployerStatusArgs(Schema):
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(["defer", "resume", "seal", "close"]),
                              metadata={"description": "defer 缓缴、resume 恢复正常、seal 封存、close 销户"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


# -- registration (no account yet) ----------------------------------------------------------------------
def _ticket_mobile() -> str:
    """The ticket of the header (scripts) or of the portal's registration session (CSRF-checked)."""
    ticket = request.headers.get(TICKET_HEADER)
    if ticket is None and session.get("registration_ticket"):
        if request.method not in ("GET", "HEAD"):
            sent = request.headers.get("X-CSRF-Token", "")
            if not hmac.compare_digest(str(sent), str(session.get("csrf", ""))):
                raise Forbidden("页面已过期，请刷新后重试", code="csrf.invalid")
        ticket = session["registration_ticket"]
    return mobile_of_ticket(ticket)


@bp.route("/employer-registrations/verify", methods=["POST"])
@bp.arguments(VerifyArgs)
@bp.response(200, Ticket)
@bp.doc(security=[])
def verify_registration_mobile(args):
    """注册新单位第一步：联系人手机号码和短信验证码（用途 employer_register）→ 注册凭证与已提交的注册"""
    mobile = verify_mobile(args["mobile"], args["sms_code"])
    mine = call(SERVICE, "my_registrations", mobile, authenticated=False)
    return {"ticket": issue_ticket(mobile), "expires_in": TICKET_SECONDS, **mine}


@bp.route("/employer-registrations", methods=["GET"])
@bp.response(200, Registrations)
@bp.doc(security=[], parameters=[{"in": "header", "name": TICKET_HEADER, "required": True,
                                   "schema": {"type": "string"}}])
def my_registrations():
    """本手机号提交的单位注册及审核状态、审核意见"""
    return call(SERVICE, "my_registrations", _ticket_mobile(), authenticated=False)


@bp.route("/employer-registrations", methods=["POST"])
@bp.arguments(Registration)
@bp.response(201, EmployerDetail)
@bp.doc(security=[], parameters=[{"in": "header", "name": TICKET_HEADER, "required": True,
                                   "schema": {"type": "string"}}])
def register_employer(args):
    """注册新单位：基本信息（带红点必填）和附件，立即提交，等待住建局批复"""
    return call(SERVICE, "register_employer", _ticket_mobile(), args, authenticated=False)


@bp.route("/employer-registrations/<employer_id>/resubmit", methods=["POST"])
@bp.arguments(Registration)
@bp.response(200, EmployerDetail)
@bp.doc(security=[], parameters=[{"in": "header", "name": TICKET_HEADER, "required": True,
                                   "schema": {"type": "string"}}])
def resubmit_employer(args, employer_id):
    """被退回的注册修改后重新提交（保留每一次提交及审核意见）"""
    return call(SERVICE, "resubmit_employer", _ticket_mobile(), employer_id, args, authenticated=False)


# -- employers (住建局; the employer's own) ---------------------------------------------------------------
@bp.route("/employers", methods=["GET"])
@bp.arguments(EmployerFilter, location="query")
@bp.response(200, page_of(Employer))
@authorised_as(SERVICE, "list_employers")
def list_employers(args):
    """汇缴单位列表（住建局：本辖区），按单位状态、注册审核状态、区划、名称/组织机构代码/交易代码筛选"""
    return call(SERVICE, "list_employers", *list_args(args))


@bp.route("/employers/mine", methods=["GET"])
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "my_employer")
def my_employer():
    """本单位信息（汇缴单位经办人）：住房补贴信息、单位变更记录"""
    return call(SERVICE, "my_employer")


@bp.route("/employers/<employer_id>", methods=["GET"])
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "get_employer")
def get_employer(employer_id):
    """单位详情：基本信息、住房补贴信息、注册各轮次与变更记录"""
    return call(SERVICE, "get_employer", employer_id)


@bp.route("/employers/<employer_id>/approve", methods=["POST"])
@bp.arguments(EmployerApproveArgs)
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "approve_employer")
def approve_employer(args, employer_id):
    """单位注册审核通过：分配5位单位交易代码，并开通单位登录账号（组织机构代码，初始密码为其后6位）"""
    return call(SERVICE, "approve_employer", employer_id, args.get("opinion"))


@bp.route("/employers/<employer_id>/return", methods=["POST"])
@bp.arguments(EmployerReturnArgs)
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "return_employer")
def return_employer(args, employer_id):
    """单位注册退回修改（须填写审核意见）"""
    return call(SERVICE, "return_employer", employer_id, args["opinion"])


@bp.route("/housing-levels", methods=["GET"])
@bp.arguments(LevelArgs, location="query")
@bp.response(200, LevelsWithEditions)
@authorised_as(SERVICE, "get_levels")
def get_levels(args):
    """级别与每月缴费金额（分）：本单位（或指定区划）本月适用的住建局级别表；住建局另见本局维护的各版级别表"""
    return call(SERVICE, "get_levels", args.get("region"))


@bp.route("/housing-levels", methods=["PUT"])
@bp.arguments(SetLevelsArgs)
@bp.response(200, LevelsWithEditions)
@authorised_as(SERVICE, "set_levels")
def set_levels(args):
    """级别维护（住建局）：自生效月份（本月或以后）起适用的完整级别表；仍有职工使用的级别不能删除"""
    return call(SERVICE, "set_levels", args["effective_month"], args["items"], args["reason"])


@bp.route("/employers/<employer_id>/status", methods=["POST"])
@bp.arguments(EmployerStatusArgs)
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "set_employer_status")
def set_employer_status(args, employer_id):
    """设置单位状态（住建局）：缓缴、恢复正常、封存、销户（须填写原因；销户须无正常或封存状态的职工）"""
    return call(SERVICE, "set_employer_status", employer_id, args["action"], args["reason"])


# -- 单位信息变更 ------------------------------------------------------------------------------------------
class EmployerChangeArgs(Schema):
    data = ma.fields.Dict(required=True, metadata={"description": "要变更的字段：name, address, legal_person, "
                                                                  "contact_name, contact_mobile, bank_name, "
                                                                  "bank_account_name, bank_account_no, nature, phone, "
                                                                  "email, postcode"})
    attachments = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "变更材料：POST /api/v1/attachments（kind employer_change）返回的 id"})
    reason = ma.fields.String(load_default=None)


class EmployerChange(Schema):
    id = ma.fields.String()
    employer_id = ma.fields.String()
    employer_name = ma.fields.String()
    status = ma.fields.String(metadata={"description": "pending 待审核 | approved 审核通过（已生效） | returned 退回"})
    status_label = ma.fields.String()
    before = ma.fields.Dict()
    after = ma.fields.Dict()
    fields = ma.fields.List(ma.fields.String())  # type: ignore[assignment]  # the API's name; marshmallow declares it
    labels = ma.fields.Dict()
    summary = ma.fields.String()
    attachments = ma.fields.List(ma.fields.Dict())
    reason = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)
    review_done = ma.fields.Boolean()


class EmployerChangeFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(list(REVIEW_STATUSES)))


@bp.route("/employer-changes", methods=["POST"])
@bp.arguments(EmployerChangeArgs)
@bp.response(201, EmployerChange)
@authorised_as(SERVICE, "request_employer_change")
def request_employer_change(args):
    """新增单位信息变更：资料与附件，提交后等待住建局批复，审核通过后变更生效"""
    return call(SERVICE, "request_employer_change", args["data"], args["attachments"], args["reason"])


@bp.route("/employer-changes", methods=["GET"])
@bp.arguments(EmployerChangeFilter, location="query")
@bp.response(200, page_of(EmployerChange))
@authorised_as(SERVICE, "list_employer_changes")
def list_employer_changes(args):
    """单位信息变更记录（单位：本单位；住建局：本辖区，status=pending 为待审核）"""
    return call(SERVICE, "list_employer_changes", *list_args(args))


@bp.route("/employer-changes/<change_id>", methods=["GET"])
@bp.response(200, EmployerChange)
@authorised_as(SERVICE, "get_employer_change")
def get_employer_change(change_id):
    """查看变更记录的具体内容"""
    return call(SERVICE, "get_employer_change", change_id)


@bp.route("/employer-changes/<change_id>/approve", methods=["POST"])
@bp.arguments(EmployerApproveArgs)
@bp.response(200, EmployerChange)
@authorised_as(SERVICE, "approve_employer_change")
def approve_employer_change(args, change_id):
    """住建局审核通过单位信息变更（变更生效）"""
    return call(SERVICE, "approve_employer_change", change_id, args.get("opinion"))


@bp.route("/employer-changes/<change_id>/return", methods=["POST"])
@bp.arguments(EmployerReturnArgs)
@bp.response(200, EmployerChange)
@authorised_as(SERVICE, "return_employer_change")
def return_employer_change(args, change_id):
    """住建局退回单位信息变更（须填写意见）"""
    return call(SERVICE, "return_employer_change", change_id, args["opinion"])


# -- 迁移导入 (已有汇缴业务的单位) -----------------------------------------------------------------------------
class MigrationResult(Schema):
    import_id = ma.fields.String()
    repeated = ma.fields.Boolean(metadata={"description": "同一文件已导入过：本次未做任何修改"})
    employers_created = Int()
    employers_kept = Int(metadata={"description": "已迁移过、保持不变的单位"})
    employees_imported = Int()
    employees_kept = Int()
    rows = Int()
    filename = ma.fields.String()
    employers = ma.fields.List(ma.fields.Dict(),
                               metadata={"description": "新建单位：名称、组织机构代码（登录账号）、交易代码"})


class MigrationRun(Schema):
    id = ma.fields.String()
    filename = ma.fields.String()
    rows = Int()
    summary = ma.fields.Dict()
    at = ma.fields.String()


class UploadFile(Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary"})


@bp.route("/employer-migrations/template.xlsx", methods=["GET"])
@bp.response(200, UploadFile, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
@authorised_as(SERVICE, "migration_template")
def migration_template():
    """下载迁移导入模版（工作表“单位”和“职工”）"""
    return xlsx_response(call(SERVICE, "migration_template"))


@bp.route("/employer-migrations", methods=["POST"])
@bp.arguments(UploadFile, location="files")
@bp.response(201, MigrationResult)
@authorised_as(SERVICE, "migrate")
def migrate(_files):
    """迁移导入：已有汇缴业务的单位及其职工、累计缴纳期数与金额（multipart：file）。全部校验通过才导入；
    同一文件重复导入不做任何修改；新单位的登录账号随之开通"""
    filename, content = uploaded_file()
    return call(SERVICE, "migrate", filename, content)


@bp.route("/employer-migrations", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(MigrationRun))
@authorised_as(SERVICE, "list_migrations")
def list_migrations(args):
    """本住建局的迁移导入记录"""
    return call(SERVICE, "list_migrations", args["page"], args["page_size"])
