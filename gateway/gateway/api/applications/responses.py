"""What the application routes answer (documented as subsidy_review answers them: Documented filters nothing)."""
import marshmallow as ma

from gateway.api.schemas import Documented, Int


# -- responses (documented as subsidy_review answers them: Documented filters nothing) ---------------------
class Application(Documented):
    id = ma.fields.String()
    application_no = ma.fields.String()
    applicant_name = ma.fields.String()
    id_type = ma.fields.String()
    id_number = ma.fields.String(metadata={"description": "列表中脱敏，详情中完整"})
    mobile = ma.fields.String(allow_none=True, metadata={"description": "列表中脱敏，详情中完整"})
    unit_id = ma.fields.String()
    unit_name = ma.fields.String()
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    city = ma.fields.String()
    degree = ma.fields.String()
    degree_label = ma.fields.String()
    start_date = ma.fields.String(allow_none=True)
    months = Int()
    standard_fen = Int(metadata={"description": "补贴标准（分/月）"})
    amount_fen = Int(metadata={"description": "补助金额（分）"})
    status = ma.fields.String()
    status_label = ma.fields.String()
    round = Int()
    opinion = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.String(allow_none=True)
    reported_at = ma.fields.String(allow_none=True)
    updated_at = ma.fields.String(allow_none=True)
    actions = ma.fields.List(ma.fields.String(), metadata={"description": "当前状态可办理的操作"})


class ApplicationDetail(Application):
    work_history = ma.fields.List(ma.fields.Dict())
    bank_account = ma.fields.Dict(allow_none=True)
    policy_version = Int(allow_none=True)
    county_approved_at = ma.fields.String(allow_none=True)
    attachments = ma.fields.List(ma.fields.Dict(), metadata={"description": "申请材料（有权查看的角色）"})


class TimelineStage(Documented):
    stage = Int()
    name = ma.fields.String()
    done = ma.fields.Boolean()
    actor_role = ma.fields.String(allow_none=True)
    actor_name = ma.fields.String(allow_none=True)
    at = ma.fields.String(allow_none=True)
    opinion = ma.fields.String(allow_none=True)
    description = ma.fields.String(allow_none=True)


class TimelineEntry(Documented):
    stage = Int()
    stage_name = ma.fields.String()
    event_type = ma.fields.String()
    description = ma.fields.String()
    status = ma.fields.String(allow_none=True)
    status_label = ma.fields.String(allow_none=True)
    round = Int(allow_none=True)
    actor_role = ma.fields.String(allow_none=True)
    actor_name = ma.fields.String(allow_none=True)
    opinion = ma.fields.String(allow_none=True)
    at = ma.fields.String(allow_none=True)


class ApplicationTimeline(Documented):
    application = ma.fields.Nested(Application)
    stages = ma.fields.List(ma.fields.Nested(TimelineStage), metadata={"description": "13个环节"})
    history = ma.fields.List(ma.fields.Nested(TimelineEntry), metadata={"description": "完整历史（含退回、重审）"})


class ApplicationsReported(Documented):
    reported = Int()
    items = ma.fields.List(ma.fields.Nested(Application))


class ApplicantProfile(Documented):
    registered = ma.fields.Boolean(metadata={"description": "个人注册已经单位审核通过"})
    name = ma.fields.String()
    id_type = ma.fields.String()
    id_number = ma.fields.String()
    mobile = ma.fields.String(allow_none=True)
    degree = ma.fields.String(allow_none=True)
    degree_label = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String()
    unit_name = ma.fields.String(allow_none=True)
    region = ma.fields.String()
    has_bank_account = ma.fields.Boolean()


class StatusCount(Documented):
    status = ma.fields.String()
    status_label = ma.fields.String()
    count = Int()
    amount_fen = Int()


class CountTotal(Documented):
    count = Int()
    amount_fen = Int()


class ApplicationStatistics(Documented):
    by_status = ma.fields.List(ma.fields.Nested(StatusCount))
    total = ma.fields.Nested(CountTotal)


class DegreeStandard(Documented):
    degree = ma.fields.String()
    label = ma.fields.String()
    standard_fen = Int(allow_none=True)


class SubsidyPolicy(Documented):
    city = ma.fields.String()
    version = Int()
    effective_from = ma.fields.String()
    standards_fen = ma.fields.Dict(keys=ma.fields.String(), values=Int())
    max_months = Int()
    degrees = ma.fields.List(ma.fields.Nested(DegreeStandard))
