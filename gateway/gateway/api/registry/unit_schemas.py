"""What the unit routes accept and answer: units, their review rounds, their changes."""
import marshmallow as ma

from gateway.api.registry.common import REGION, STATUSES
from gateway.api.schemas import Int, PageArgs, Schema


# -- schemas -------------------------------------------------------------------------------------
class Unit(Schema):
    id = ma.fields.String()
    name = ma.fields.String(metadata={"description": "单位名称"})
    uscc = ma.fields.String(metadata={"description": "统一社会信用代码"})
    org_code = ma.fields.String(metadata={"description": "组织机构代码"})
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)
    supervisor_region = ma.fields.String(metadata={"description": "主管部门（审核的县区人社局）的区划"})
    supervisor_region_name = ma.fields.String(allow_none=True)
    leader = ma.fields.String(metadata={"description": "单位负责人"})
    leader_phone = ma.fields.String(metadata={"description": "负责人联系方式（列表中脱敏）"})
    admin_account_id = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    status_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    created_at = ma.fields.String(allow_none=True)
    updated_at = ma.fields.String(allow_none=True)
    approved_at = ma.fields.String(allow_none=True)
    round = Int(metadata={"description": "注册审核轮次（每次重新提交加1）"})
    terms_version = ma.fields.String(allow_none=True, metadata={"description": "已同意的用户须知版本"})
    terms_accepted_at = ma.fields.String(allow_none=True)


class AttachmentRef(Schema):
    id = ma.fields.String()
    sha256 = ma.fields.String()
    content_type = ma.fields.String()
    size = Int()
    kind = ma.fields.String()
    kind_label = ma.fields.String()
    filename = ma.fields.String()


class Round(Schema):
    round = Int()
    action = ma.fields.String(metadata={"description": "submitted/resubmitted/approved/returned/changed"})
    action_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    actor_role = ma.fields.String()
    actor_name = ma.fields.String(allow_none=True)
    at = ma.fields.String()
    data = ma.fields.Dict(allow_none=True)


class FieldChange(Schema):
    field = ma.fields.String()
    label = ma.fields.String()
    before = ma.fields.String(allow_none=True)
    after = ma.fields.String(allow_none=True)


class UnitChange(Schema):
    id = ma.fields.String()
    unit_id = ma.fields.String()
    unit_name = ma.fields.String()
    uscc = ma.fields.String()
    supervisor_region = ma.fields.String()
    before = ma.fields.Dict()
    after = ma.fields.Dict()
    changes = ma.fields.List(ma.fields.Nested(FieldChange))
    change_summary = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    created_at = ma.fields.String()
    decided_at = ma.fields.String(allow_none=True)
    attachments = ma.fields.List(ma.fields.Nested(AttachmentRef))
    history = ma.fields.List(ma.fields.Nested(Round))


class UnitDetail(Unit):
    individual_counts = ma.fields.Dict(keys=ma.fields.String(), values=Int(),
                                       metadata={"description": "本单位个人注册数（按审核状态）"})
    attachments = ma.fields.List(ma.fields.Nested(AttachmentRef), metadata={"description": "单位材料"})
    history = ma.fields.List(ma.fields.Nested(Round), metadata={"description": "每一轮提交与审核"})
    changes = ma.fields.List(ma.fields.Nested(UnitChange), metadata={"description": "单位信息变更申请"})


class UnitData(Schema):
    name = ma.fields.String(required=True, metadata={"description": "单位名称"})
    region = ma.fields.String(required=True, validate=REGION, metadata={"description": "行政区划（县区）"})
    supervisor_region = ma.fields.String(required=True, validate=REGION,
                                         metadata={"description": "主管部门：审核的县区人社局的区划"})
    uscc = ma.fields.String(required=True, metadata={"description": "统一社会信用代码（18位，含校验码）"})
    leader = ma.fields.String(required=True, metadata={"description": "单位负责人"})
    leader_phone = ma.fields.String(required=True, metadata={"description": "负责人联系方式（手机或带区号固话）"})
    terms_version = ma.fields.String(required=True, metadata={"description": "同意的用户须知版本"})
    attachment_ids = ma.fields.List(ma.fields.String(), required=True,
                                    metadata={"description": "单位材料：至少一个企业营业执照（business_license）"})


class UnitUpdate(Schema):
    name = ma.fields.String()
    region = ma.fields.String(validate=REGION)
    supervisor_region = ma.fields.String(validate=REGION)
    uscc = ma.fields.String()
    leader = ma.fields.String()
    leader_phone = ma.fields.String()
    attachment_ids = ma.fields.List(ma.fields.String(), metadata={"description": "变更证明材料"})


class UnitUpdateResult(Schema):
    applied = ma.fields.List(ma.fields.String(), metadata={"description": "已直接生效的字段"})
    change = ma.fields.Nested(UnitChange, allow_none=True, metadata={"description": "待县区人社局审核的变更"})
    unit = ma.fields.Nested(UnitDetail)


class ChangeFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))


class PublicUnit(Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    region = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)


class UnitFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    region = ma.fields.String(validate=REGION, metadata={"description": "县区（市级部门筛选用）"})


class PublicUnitFilter(PageArgs):
    region = ma.fields.String(validate=REGION, metadata={"description": "县区或地级市区划"})
