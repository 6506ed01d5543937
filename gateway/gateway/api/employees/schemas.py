"""The request and response schemas of the employees' routes."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.schemas import Int, PageArgs, Schema, page_of
from gateway.portal.screens import Col
from shared.contracts.housing_fund import CHANGE_STATUSES, EMPLOYEE_STATUSES, TRANSFER_STATUSES


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
