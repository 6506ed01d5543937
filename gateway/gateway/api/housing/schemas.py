"""What the employer routes accept and answer: employers, registrations, review rounds."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.schemas import Int, PageArgs, Schema
from gateway.tickets import TICKET_HEADER
from shared.contracts.housing_fund import EMPLOYER_STATUSES, REVIEW_STATUSES


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


class EmployerStatusArgs(Schema):
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(["defer", "resume", "seal", "close"]),
                              metadata={"description": "defer 缓缴、resume 恢复正常、seal 封存、close 销户"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
