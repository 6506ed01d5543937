"""/api/v1 publicity, objections, assessment and report (publicity_assessment, stages 5-7), the
public publicity notice, and the admin's publicity period and holiday schedule."""
import marshmallow as ma
from flask import request
from flask_smorest import Blueprint

from gateway.api.schemas import ApplicationRef, Int, PageArgs, Schema, list_args, page_of
from gateway.api.stage_times import Waited, with_batch_clocks
from gateway.context import call
from shared.pagination import MAX_PAGE

bp = Blueprint("publicity", __name__, url_prefix="/api/v1",
               description="公示、异议、评审与上报县组织部（publicity_assessment）")

SERVICE = "publicity_assessment"
CASE_STATUSES = ["awaiting_publicity", "in_publicity", "objection_upheld", "publicity_passed", "assessment_passed",
                 "assessment_failed", "reported"]


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



# -- cases and batches (stage 5) ---------------------------------------------------------------
@bp.route("/publicity-cases", methods=["GET"])
@bp.arguments(PublicityCaseFilter, location="query")
@bp.response(200, page_of(PublicityCase))
def list_cases(args):
    """公示评审业务列表（本县区；按状态筛选，按姓名/申请编号搜索）"""
    return call(SERVICE, "list_cases", *list_args(args))


@bp.route("/publicity-cases/<application_id>", methods=["GET"])
@bp.response(200, PublicityCaseDetail)
def get_case(application_id):
    """公示评审业务详情：申请信息、公示批次与异议"""
    return call(SERVICE, "get_case", application_id)


@bp.route("/publicity-batches", methods=["GET"])
@bp.arguments(PublicityBatchFilter, location="query")
@bp.response(200, page_of(PublicityBatch))
def list_batches(args):
    """公示批次列表（公示中的批次带本环节用时，超时时 stage_clock.overdue 为真）"""
    return with_batch_clocks(call(SERVICE, "list_batches", *list_args(args)))


@bp.route("/publicity-batches", methods=["POST"])
@bp.arguments(TickedApplications)
@bp.response(201, PublicityBatchDetail)
def start_publicity(args):
    """发起公示：勾选的待公示申请组成一个批次，自今日起按本市公示期（工作日按节假日安排计算）公示"""
    return call(SERVICE, "start_publicity", args["application_ids"])


@bp.route("/publicity-batches/<batch_id>", methods=["GET"])
@bp.response(200, PublicityBatchDetail)
def get_batch(batch_id):
    """公示批次详情及其申请"""
    return call(SERVICE, "get_batch", batch_id)


@bp.route("/publicity-batches/<batch_id>/end", methods=["POST"])
@bp.response(200, PublicityBatchDetail)
def end_publicity(batch_id):
    """结束公示：公示期满且异议均已处理后，公示中的申请转为公示无异议、待评审（期满前返回409）"""
    return call(SERVICE, "end_publicity", batch_id)


# -- objections ----------------------------------------------------------------------------------
@bp.route("/objections", methods=["POST"])
@bp.arguments(ObjectionForm)
@bp.response(201, ObjectionReceipt)
@bp.doc(security=[])
def lodge_objection(args):
    """提出异议（公开，无需登录）：公示期内对公示名单上的申请提出异议，须留联系人及手机号码。
    同一地址、同一申请在一小时内受理的异议有上限，超限429（objection.too_many_requests，带 Retry-After）。"""
    return call(SERVICE, "lodge_objection", args, request.remote_addr, authenticated=False)


@bp.route("/objections", methods=["GET"])
@bp.arguments(ObjectionListFilter, location="query")
@bp.response(200, page_of(PublicityObjection))
def list_objections(args):
    """公示异议列表（本县区）"""
    return call(SERVICE, "list_objections", *list_args(args))


@bp.route("/objections/<objection_id>", methods=["GET"])
@bp.response(200, PublicityObjection)
def get_objection(objection_id):
    """公示异议详情"""
    return call(SERVICE, "get_objection", objection_id)


@bp.route("/objections/<objection_id>/uphold", methods=["POST"])
@bp.arguments(HandlingOpinion)
@bp.response(200, PublicityObjection)
def uphold_objection(args, objection_id):
    """异议成立：申请退回县人社局审核（须填写处理意见）"""
    return call(SERVICE, "uphold_objection", objection_id, args["opinion"])


@bp.route("/objections/<objection_id>/dismiss", methods=["POST"])
@bp.arguments(HandlingOpinion)
@bp.response(200, PublicityObjection)
def dismiss_objection(args, objection_id):
    """异议不成立：申请继续公示（须填写处理意见）"""
    return call(SERVICE, "dismiss_objection", objection_id, args["opinion"])


# -- assessment and report (stages 6, 7) ---------------------------------------------------------
@bp.route("/assessments/pass", methods=["POST"])
@bp.arguments(TickedApplications)
@bp.response(200, PublicityCasesChanged)
def assessment_pass(args):
    """评审通过（勾选的公示无异议申请，全部成功或全部不变）"""
    return call(SERVICE, "assessment_pass", args["application_ids"])


@bp.route("/assessments/<application_id>/fail", methods=["POST"])
@bp.arguments(HandlingOpinion)
@bp.response(200, PublicityCaseDetail)
def assessment_fail(args, application_id):
    """评审未通过（终结，须填写理由）"""
    return call(SERVICE, "assessment_fail", application_id, args["opinion"])


@bp.route("/assessments/report", methods=["POST"])
@bp.arguments(TickedApplications)
@bp.response(200, PublicityCasesChanged)
def report_to_county_org(args):
    """上报县组织部（勾选的评审通过申请，连同申请快照）"""
    return call(SERVICE, "report_to_county_org", args["application_ids"])


# -- the public notice -------------------------------------------------------------------------
@bp.route("/public/publicity", methods=["GET"])
@bp.arguments(PublicityNoticeFilter, location="query")
@bp.response(200, page_of(PublicityNoticeItem))
@bp.doc(security=[])
def public_publicity(args):
    """公示名单（公开，无需登录）：公示中的申请，姓名脱敏，不含证件号码和银行账户"""
    return call(SERVICE, "public_publicity", args["county"], args["page"], args["page_size"],
                authenticated=False)


# -- the admin's parameters ----------------------------------------------------------------------
@bp.route("/publicity-policies/<city>", methods=["GET"])
@bp.response(200, PublicityPolicy)
def get_policy(city):
    """本市公示期设置（系统管理员）"""
    return call(SERVICE, "get_policy", city)


@bp.route("/publicity-policies/<city>", methods=["PUT"])
@bp.arguments(PublicityPolicyForm)
@bp.response(200, PublicityPolicy)
def set_policy(args, city):
    """修改本市公示期：天数及按工作日或自然日计算（系统管理员；已开始的批次不受影响）"""
    return call(SERVICE, "set_policy", city, args["days"], args["counts_working_days"])


@bp.route("/calendar-days", methods=["GET"])
@bp.arguments(CalendarYearArgs, location="query")
@bp.response(200, CalendarYear)
def list_calendar_days(args):
    """某年节假日安排（法定节假日与调休上班日）"""
    return call(SERVICE, "list_calendar_days", args["year"])


@bp.route("/calendar-days/<day>", methods=["PUT"])
@bp.arguments(CalendarDayForm)
@bp.response(200, CalendarDay)
def set_calendar_day(args, day):
    """维护节假日安排：新增或更正一天（系统管理员，如次年国务院放假通知公布后）"""
    return call(SERVICE, "set_calendar_day", day, args["kind"], args["name"])


@bp.route("/calendar-years/<year>/confirm", methods=["POST"])
@bp.response(200, CalendarYear)
def confirm_calendar_year(year):
    """确认某年节假日安排已录入完整（系统管理员）：此后公示期可按工作日计算至该年；未确认的年份拒绝计算
    （calendar.year_missing），尚无法定节假日的年份不能确认（calendar.year_empty）"""
    return call(SERVICE, "confirm_calendar_year", path_year(year))


def path_year(text: str) -> int | str:
    """A year in a URL: four ASCII digits as a number, anything else as sent (the service answers 400)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) == 4 else text
