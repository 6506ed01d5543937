"""What the publicity routes answer (as publicity_assessment answers it)."""
import marshmallow as ma

from gateway.api.schemas import ApplicationRef, Int, Schema
from gateway.api.stage_times import Waited


# -- response schemas --------------------------------------------------------------------------
class PublicityCase(ApplicationRef):
    id = ma.fields.String()
    id_number = ma.fields.String(metadata={"description": "列表中脱敏，详情中完整"})
    degree = ma.fields.String()
    degree_label = ma.fields.String()
    months = Int()
    standard_fen = Int()
    application_status_label = ma.fields.String()
    batch_id = ma.fields.String(allow_none=True)
    opinion = ma.fields.String(allow_none=True)
    updated_at = ma.fields.String(allow_none=True)


class PublicityBatch(Waited):
    id = ma.fields.String()
    batch_no = ma.fields.String(metadata={"description": "公示批次号，如 GS440703-20261125-01"})
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    city = ma.fields.String()
    starts_on = ma.fields.String()
    ends_on = ma.fields.String(metadata={"description": "公示期最后一天（含）"})
    status = ma.fields.String()
    status_label = ma.fields.String()
    created_by = ma.fields.String()
    created_at = ma.fields.String(allow_none=True)
    ended_at = ma.fields.String(allow_none=True)
    case_count = Int(allow_none=True)
    pending_objections = Int(allow_none=True)


class PublicityBatchDetail(PublicityBatch):
    cases = ma.fields.List(ma.fields.Nested(PublicityCase))


class PublicityObjection(Schema):
    id = ma.fields.String()
    application_id = ma.fields.String()
    application_no = ma.fields.String(allow_none=True)
    applicant_name = ma.fields.String(allow_none=True)
    batch_id = ma.fields.String()
    county = ma.fields.String()
    reason = ma.fields.String()
    contact_name = ma.fields.String()
    contact_phone = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    lodged_at = ma.fields.String(allow_none=True)
    resolved_at = ma.fields.String(allow_none=True)
    resolved_by = ma.fields.String(allow_none=True)


class PublicityCaseDetail(PublicityCase):
    id_type = ma.fields.String(allow_none=True)
    start_date = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.String(allow_none=True)
    batch = ma.fields.Nested(PublicityBatch, allow_none=True)
    objections = ma.fields.List(ma.fields.Nested(PublicityObjection))


class ObjectionReceipt(Schema):
    id = ma.fields.String()
    application_id = ma.fields.String()
    application_no = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    lodged_at = ma.fields.String()
    message = ma.fields.String()


class PublicityCasesChanged(Schema):
    count = Int()
    items = ma.fields.List(ma.fields.Nested(PublicityCase))


class PublicityNoticeItem(Schema):
    application_id = ma.fields.String()
    application_no = ma.fields.String()
    applicant_name = ma.fields.String(metadata={"description": "姓名（脱敏）"})
    unit_name = ma.fields.String()
    degree = ma.fields.String()
    degree_label = ma.fields.String()
    months = Int()
    amount_fen = Int()
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    batch_no = ma.fields.String()
    starts_on = ma.fields.String()
    ends_on = ma.fields.String()


class PublicityPolicy(Schema):
    city = ma.fields.String()
    city_name = ma.fields.String(allow_none=True)
    days = Int()
    counts_working_days = ma.fields.Boolean()
    description = ma.fields.String()
    is_default = ma.fields.Boolean()
    updated_at = ma.fields.String(allow_none=True)


class CalendarDay(Schema):
    day = ma.fields.String()
    kind = ma.fields.String()
    kind_label = ma.fields.String()
    name = ma.fields.String()


class CalendarYear(Schema):
    year = Int()
    items = ma.fields.List(ma.fields.Nested(CalendarDay))
    total = Int()
    confirmed = ma.fields.Boolean(metadata={"description": "该年节假日安排已确认完整：公示期可按工作日计算至该年"})
    confirmed_at = ma.fields.String(allow_none=True)
