"""/api/v1/org-reviews and /api/v1/city-batches: stages 8-10 (org_confirmation).

县区组织部 confirms or returns the applications of its county; 市人社局 aggregates the confirmed ones
into a city batch; 市组织部 confirms the batch (通知市财政局) or returns it.
"""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import ApplicationRef, Int, PageArgs, Schema, list_args, page_of
from gateway.api.stage_times import Waited, with_batch_clocks
from gateway.context import call

bp = Blueprint("org", __name__, url_prefix="/api/v1",
               description="县区组织部确认、市人社局汇总、市组织部确认（org_confirmation）")

CASE_STATUSES = ["pending_county_org", "county_org_confirmed", "county_org_returned", "city_aggregated",
                 "city_org_confirmed", "city_org_returned"]
BATCH_STATUSES = ["aggregated", "confirmed", "returned"]
REGION = ma.validate.Regexp(r"^\d{6}$")


class OrgCaseFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(CASE_STATUSES),
                              metadata={"description": "市人社局默认只看待汇总（county_org_confirmed）"})
    county = ma.fields.String(validate=REGION, metadata={"description": "县区行政区划代码"})
    city_batch_id = ma.fields.String(metadata={"description": "市级汇总批次"})


class CityBatchFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(BATCH_STATUSES))


class OrgCase(ApplicationRef):
    degree = ma.fields.String()
    degree_label = ma.fields.String()
    months = Int()
    city_batch_id = ma.fields.String(allow_none=True)
    city_batch_no = ma.fields.String(allow_none=True)
    opinion = ma.fields.String(allow_none=True)
    updated_at = ma.fields.String(allow_none=True)


class OrgApplicant(Schema):
    applicant_name = ma.fields.String(allow_none=True)
    id_type = ma.fields.String(allow_none=True)
    id_type_label = ma.fields.String(allow_none=True)
    id_number = ma.fields.String(allow_none=True)
    unit_name = ma.fields.String(allow_none=True)
    degree = ma.fields.String(allow_none=True)
    degree_label = ma.fields.String(allow_none=True)
    start_date = ma.fields.String(allow_none=True)
    months = Int(allow_none=True)
    standard_fen = Int(allow_none=True)
    amount_fen = Int(allow_none=True)
    submitted_at = ma.fields.String(allow_none=True)
    policy_version = Int(allow_none=True)


class OrgCaseDetail(OrgCase):
    applicant = ma.fields.Nested(OrgApplicant)


class OrgDecision(Schema):
    count = Int()
    items = ma.fields.List(ma.fields.Nested(OrgCase))


class CityBatchCountyTotal(Schema):
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    count = Int()
    amount_fen = Int()


class CityBatch(Waited):
    id = ma.fields.String()
    batch_no = ma.fields.String()
    city = ma.fields.String()
    city_name = ma.fields.String(allow_none=True)
    count = Int()
    amount_fen = Int(metadata={"description": "汇总金额（分）"})
    counties = ma.fields.List(ma.fields.Nested(CityBatchCountyTotal))
    status = ma.fields.String()
    status_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    created_by_name = ma.fields.String(allow_none=True)
    created_at = ma.fields.String(allow_none=True)
    decided_by_name = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)


class CityBatchDetail(CityBatch):
    cases = ma.fields.List(ma.fields.Nested(OrgCase))


class OrgApplicationIds(Schema):
    application_ids = ma.fields.List(ma.fields.String(), required=True,
                                     validate=ma.validate.Length(min=1, max=1000),
                                     metadata={"description": "勾选的申请"})


class OrgConfirmArgs(OrgApplicationIds):
    opinion = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))


class OrgOptionalOpinion(Schema):
    opinion = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))


class OrgReturnOpinion(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))



# --- stage 8: 县区组织部 --------------------------------------------------------------------------
@bp.route("/org-reviews", methods=["GET"])
@bp.arguments(OrgCaseFilter, location="query")
@bp.response(200, page_of(OrgCase))
def list_cases(args):
    """组织部确认列表：县区组织部看本县区的申请，市人社局看本市待汇总的申请"""
    filters, page, page_size = list_args(args)
    return call("org_confirmation", "list_cases", filters, page, page_size)


@bp.route("/org-reviews/confirm", methods=["POST"])
@bp.arguments(OrgConfirmArgs)
@bp.response(200, OrgDecision)
def county_confirm(args):
    """县区组织部确认勾选的申请"""
    return call("org_confirmation", "county_confirm", args["application_ids"], args.get("opinion"))


@bp.route("/org-reviews/<application_id>", methods=["GET"])
@bp.response(200, OrgCaseDetail)
def get_case(application_id):
    """申请详情（组织部确认）"""
    return call("org_confirmation", "get_case", application_id)


@bp.route("/org-reviews/<application_id>/return", methods=["POST"])
@bp.arguments(OrgReturnOpinion)
@bp.response(200, OrgCase)
def county_return(args, application_id):
    """县区组织部退回：申请回到县区人社局审核，须填写审核意见"""
    return call("org_confirmation", "county_return", application_id, args["opinion"])


# --- stages 9 and 10: 市人社局汇总, 市组织部确认 ---------------------------------------------------
@bp.route("/city-batches", methods=["GET"])
@bp.arguments(CityBatchFilter, location="query")
@bp.response(200, page_of(CityBatch))
def list_batches(args):
    """市级汇总批次列表（按批次号搜索；待市组织部确认的批次带本环节用时，超时时 stage_clock.overdue 为真）"""
    filters, page, page_size = list_args(args)
    return with_batch_clocks(call("org_confirmation", "list_batches", filters, page, page_size))


@bp.route("/city-batches", methods=["POST"])
@bp.arguments(OrgApplicationIds)
@bp.response(201, CityBatchDetail)
def aggregate(args):
    """市人社局汇总勾选的申请，生成市级汇总批次（按县区合计）"""
    return call("org_confirmation", "aggregate", args["application_ids"])


@bp.route("/city-batches/<batch_id>", methods=["GET"])
@bp.response(200, CityBatchDetail)
def get_batch(batch_id):
    """汇总批次详情：各县区合计与申请明细"""
    return call("org_confirmation", "get_batch", batch_id)


@bp.route("/city-batches/<batch_id>/confirm", methods=["POST"])
@bp.arguments(OrgOptionalOpinion)
@bp.response(200, CityBatchDetail)
def city_confirm(args, batch_id):
    """市组织部确认汇总批次，通知市财政局拨付"""
    return call("org_confirmation", "city_confirm", batch_id, args.get("opinion"))


@bp.route("/city-batches/<batch_id>/return", methods=["POST"])
@bp.arguments(OrgReturnOpinion)
@bp.response(200, CityBatchDetail)
def city_return(args, batch_id):
    """市组织部退回汇总批次：批次内申请全部回到县区人社局审核，须填写审核意见"""
    return call("org_confirmation", "city_return", batch_id, args["opinion"])


@bp.route("/city-batches/<batch_id>/applications/<application_id>/return", methods=["POST"])
@bp.arguments(OrgReturnOpinion)
@bp.response(200, CityBatchDetail)
def city_return_application(args, batch_id, application_id):
    """市组织部退回批次中的一个申请：该申请回到县区人社局审核，批次其余申请继续待确认（合计随之更新），须填写审核意见"""
    return call("org_confirmation", "city_return_application", batch_id, application_id, args["opinion"])
