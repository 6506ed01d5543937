"""/api/v1 line B, housing-subsidy remittance (住房补贴汇缴): employers, their registration and review,
单位信息 (housing_fund).

Registration (注册新单位) has no account yet: the registrant proves the contact mobile with an SMS code
(identity's ``consume_sms_code``, purpose ``employer_register``) and gets a registration ticket (signed
by the gateway, 30 minutes) that the registration routes take in the ``X-Registration-Ticket`` header."""
from __future__ import annotations

import hmac

import marshmallow as ma
from flask import current_app, request, session
from flask_smorest import Blueprint
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from gateway.api.schemas import PageArgs, list_args, page_of
from gateway.context import call
from shared.contracts.housing_fund import EMPLOYER_STATUSES, REVIEW_STATUSES
from shared.errors import Forbidden, Unauthenticated

bp = Blueprint("housing", __name__, url_prefix="/api/v1", description="住房补贴汇缴（housing_fund）")

SERVICE = "housing_fund"
SMS_PURPOSE = "employer_register"
TICKET_HEADER = "X-Registration-Ticket"
TICKET_SECONDS = 30 * 60


# -- registration tickets ---------------------------------------------------------------------------
def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="employer-registration")


def issue_ticket(mobile: str) -> str:
    return _serializer().dumps({"mobile": mobile})


def mobile_of_ticket(ticket: str | None) -> str:
    """The contact mobile a registration ticket was issued for (401 when missing, forged or old)."""
    if not ticket:
        raise Unauthenticated("请先验证联系人手机号码", code="registration.ticket_required")
    try:
        return _serializer().loads(ticket, max_age=TICKET_SECONDS)["mobile"]
    except SignatureExpired:
        raise Unauthenticated("手机验证已过期，请重新获取验证码", code="registration.ticket_expired") from None
    except (BadSignature, KeyError, TypeError):
        raise Unauthenticated("手机验证无效，请重新获取验证码", code="registration.ticket_invalid") from None


def verify_mobile(mobile: str, sms_code: str) -> str:
    """Consume the SMS code at identity (single use) and return the verified mobile."""
    verified = call("identity", "consume_sms_code", mobile, SMS_PURPOSE, sms_code, authenticated=False)
    return verified["mobile"]


# -- schemas ------------------------------------------------------------------------------------------
class Attachment(ma.Schema):
    id = ma.fields.String(required=True, metadata={"description": "POST /api/v1/attachments 返回的 id"})
    filename = ma.fields.String(load_default=None)
    kind = ma.fields.String(load_default=None, metadata={"description": "business_licence | other ..."})


class Round(ma.Schema):
    round = ma.fields.Integer()
    submitted_at = ma.fields.String()
    decision = ma.fields.String(allow_none=True)
    decision_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_by_name = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)
    data = ma.fields.Dict()
    attachments = ma.fields.List(ma.fields.Dict())


class Employer(ma.Schema):
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
    round = ma.fields.Integer(metadata={"description": "第几次提交"})
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


class EmployerFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(list(EMPLOYER_STATUSES)))
    review_status = ma.fields.String(validate=ma.validate.OneOf(list(REVIEW_STATUSES)))
    region = ma.fields.String(validate=ma.validate.Regexp(r"^\d{6}$"))


class Registration(ma.Schema):
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
    attachments = ma.fields.List(ma.fields.Nested(Attachment), required=True,
                                 metadata={"description": "营业执照等附件（先上传，至少1个）"})


class VerifyArgs(ma.Schema):
    mobile = ma.fields.String(required=True, metadata={"description": "单位管理员（联系人）手机号码"})
    sms_code = ma.fields.String(required=True, metadata={"description": "POST /auth/sms-codes 用途 employer_register"})


class Ticket(ma.Schema):
    ticket = ma.fields.String(metadata={"description": f"放在 {TICKET_HEADER} 请求头中，30分钟有效"})
    expires_in = ma.fields.Integer()
    mobile = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(EmployerDetail), metadata={"description": "该手机号已提交的注册"})


class Registrations(ma.Schema):
    mobile = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(EmployerDetail))


class EmployerApproveArgs(ma.Schema):
    opinion = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class EmployerReturnArgs(ma.Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class Level(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    monthly_fen = ma.fields.Integer()
    bureau = ma.fields.String()


class Levels(ma.Schema):
    region = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(Level))


class LevelArgs(ma.Schema):
    region = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"))


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
def list_employers(args):
    """汇缴单位列表（住建局：本辖区），按单位状态、注册审核状态、区划、名称/组织机构代码/交易代码筛选"""
    return call(SERVICE, "list_employers", *list_args(args))


@bp.route("/employers/mine", methods=["GET"])
@bp.response(200, EmployerDetail)
def my_employer():
    """本单位信息（汇缴单位经办人）：住房补贴信息、单位变更记录"""
    return call(SERVICE, "my_employer")


@bp.route("/employers/<employer_id>", methods=["GET"])
@bp.response(200, EmployerDetail)
def get_employer(employer_id):
    """单位详情：基本信息、住房补贴信息、注册各轮次与变更记录"""
    return call(SERVICE, "get_employer", employer_id)


@bp.route("/employers/<employer_id>/approve", methods=["POST"])
@bp.arguments(EmployerApproveArgs)
@bp.response(200, EmployerDetail)
def approve_employer(args, employer_id):
    """单位注册审核通过：分配5位单位交易代码，并开通单位登录账号（组织机构代码，初始密码为其后6位）"""
    return call(SERVICE, "approve_employer", employer_id, args.get("opinion"))


@bp.route("/employers/<employer_id>/return", methods=["POST"])
@bp.arguments(EmployerReturnArgs)
@bp.response(200, EmployerDetail)
def return_employer(args, employer_id):
    """单位注册退回修改（须填写审核意见）"""
    return call(SERVICE, "return_employer", employer_id, args["opinion"])


@bp.route("/housing-levels", methods=["GET"])
@bp.arguments(LevelArgs, location="query")
@bp.response(200, Levels)
def get_levels(args):
    """级别与每月缴费金额（分）：本单位（或指定区划）适用的住建局级别表"""
    return call(SERVICE, "get_levels", args.get("region"))
