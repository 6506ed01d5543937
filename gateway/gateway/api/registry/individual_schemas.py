"""What the individual routes accept and answer: registrations and their bank account."""
import marshmallow as ma

from gateway.api.registry.common import DEGREES, ID_TYPES, STATUSES
from gateway.api.registry.unit_schemas import AttachmentRef, Round
from gateway.api.schemas import Int, PageArgs, Schema


class BankAccount(Schema):
    holder = ma.fields.String(required=True, metadata={"description": "户名（须为本人）"})
    bank = ma.fields.String(required=True, metadata={"description": "开户行"})
    number = ma.fields.String(required=True, metadata={"description": "银行卡号（12-30位数字）"})


class IndividualRegistration(Schema):
    attachment_ids = ma.fields.List(ma.fields.String(), load_default=list,
                                    metadata={"description": "证明材料（proof）附件标识"})
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))
    id_type = ma.fields.String(load_default="resident_id", validate=ma.validate.OneOf(ID_TYPES))
    id_number = ma.fields.String(required=True)
    mobile = ma.fields.String(required=True)
    degree = ma.fields.String(required=True, validate=ma.validate.OneOf(DEGREES))
    graduated_on = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^\d{4}-\d{2}-\d{2}$"),
                                    metadata={"description": "毕业时间 YYYY-MM-DD"})
    bank_account = ma.fields.Nested(BankAccount, required=True)
    terms_version = ma.fields.String(load_default=None, allow_none=True, metadata={
        "description": "必填：同意的个人注册用户须知版本（GET /public/terms/individual 的 version）；"
                       "缺少为 400 terms.not_accepted，非当前版本为 400 terms.outdated"})


class Individual(Schema):
    id = ma.fields.String()
    account_id = ma.fields.String()
    unit_id = ma.fields.String()
    unit_name = ma.fields.String()
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    id_type = ma.fields.String()
    id_type_label = ma.fields.String()
    id_number = ma.fields.String(metadata={"description": "证件号码（列表中脱敏）"})
    mobile = ma.fields.String(metadata={"description": "手机号码（列表中脱敏）"})
    degree = ma.fields.String()
    degree_label = ma.fields.String()
    graduated_on = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    created_at = ma.fields.String(allow_none=True)
    updated_at = ma.fields.String(allow_none=True)
    approved_at = ma.fields.String(allow_none=True)
    bank_account = ma.fields.Nested(BankAccount, metadata={"description": "仅详情"})
    round = Int()
    attachments = ma.fields.List(ma.fields.Nested(AttachmentRef), metadata={"description": "证明材料（仅详情）"})
    history = ma.fields.List(ma.fields.Nested(Round), metadata={"description": "每一轮提交与审核（仅详情）"})
    terms_version = ma.fields.String(allow_none=True, metadata={"description": "已同意的用户须知版本"})
    terms_accepted_at = ma.fields.String(allow_none=True, metadata={"description": "同意用户须知的时间"})


class IndividualFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    unit_id = ma.fields.String(metadata={"description": "单位（县区人社局筛选用）"})
