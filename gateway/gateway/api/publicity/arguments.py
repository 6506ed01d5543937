"""What the publicity routes accept: filters, ticked applications, opinions, objections, the admin's forms."""
import marshmallow as ma

from gateway.api.publicity.common import CASE_STATUSES
from gateway.api.schemas import Int, PageArgs, Schema
from shared.pagination import MAX_PAGE


# -- request schemas ---------------------------------------------------------------------------
class PublicityCaseFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(CASE_STATUSES),
                              metadata={"description": "awaiting_publicity 待公示、in_publicity 公示中、"
                                                       "publicity_passed 待评审、assessment_passed 待上报等"})
    batch_id = ma.fields.String()


class PublicityBatchFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(["open", "ended"]))


class ObjectionListFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(["pending", "upheld", "dismissed"]))
    batch_id = ma.fields.String()
    application_id = ma.fields.String()


class PublicityNoticeFilter(Schema):
    county = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"))
    page = Int(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    page_size = Int(load_default=20, validate=ma.validate.Range(min=1, max=200))


class TickedApplications(Schema):
    application_ids = ma.fields.List(ma.fields.String(), required=True, validate=ma.validate.Length(min=1, max=500))


class HandlingOpinion(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class ObjectionForm(Schema):
    application_id = ma.fields.String(load_default=None, metadata={"description": "申请ID（与申请编号二选一）"})
    application_no = ma.fields.String(load_default=None, metadata={"description": "公示名单上的申请编号"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=5, max=500))
    contact_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))
    contact_phone = ma.fields.String(required=True, metadata={"description": "11位手机号码"})


class PublicityPolicyForm(Schema):
    days = Int(required=True, validate=ma.validate.Range(min=1, max=30))
    counts_working_days = ma.fields.Boolean(required=True, metadata={"description": "true 按工作日，false 按自然日"})


class CalendarDayForm(Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["holiday", "workday"]),
                            metadata={"description": "holiday 法定节假日，workday 调休上班"})
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))


class CalendarYearArgs(Schema):
    year = Int(required=True, validate=ma.validate.Range(min=2000, max=2100))
