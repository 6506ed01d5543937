"""Stage 5: the cases awaiting publicity and the publicity batches (start, end)."""
from gateway.api.publicity.arguments import PublicityBatchFilter, PublicityCaseFilter, TickedApplications
from gateway.api.publicity.common import SERVICE, bp
from gateway.api.publicity.responses import PublicityBatch, PublicityBatchDetail, PublicityCase, PublicityCaseDetail
from gateway.api.schemas import list_args, page_of
from gateway.api.stage_times import with_batch_clocks
from gateway.context import authorised_as, call


# -- cases and batches (stage 5) ---------------------------------------------------------------
@bp.route("/publicity-cases", methods=["GET"])
@bp.arguments(PublicityCaseFilter, location="query")
@bp.response(200, page_of(PublicityCase))
@authorised_as(SERVICE, "list_cases")
def list_cases(args):
    """公示评审业务列表（本县区；按状态筛选，按姓名/申请编号搜索）"""
    return call(SERVICE, "list_cases", *list_args(args))


@bp.route("/publicity-cases/<application_id>", methods=["GET"])
@bp.response(200, PublicityCaseDetail)
@authorised_as(SERVICE, "get_case")
def get_case(application_id):
    """公示评审业务详情：申请信息、公示批次与异议"""
    return call(SERVICE, "get_case", application_id)


@bp.route("/publicity-batches", methods=["GET"])
@bp.arguments(PublicityBatchFilter, location="query")
@bp.response(200, page_of(PublicityBatch))
@authorised_as(SERVICE, "list_batches")
def list_batches(args):
    """公示批次列表（公示中的批次带本环节用时，超时时 stage_clock.overdue 为真）"""
    return with_batch_clocks(call(SERVICE, "list_batches", *list_args(args)))


@bp.route("/publicity-batches", methods=["POST"])
@bp.arguments(TickedApplications)
@bp.response(201, PublicityBatchDetail)
@authorised_as(SERVICE, "start_publicity")
def start_publicity(args):
    """发起公示：勾选的待公示申请组成一个批次，自今日起按本市公示期（工作日按节假日安排计算）公示"""
    return call(SERVICE, "start_publicity", args["application_ids"])


@bp.route("/publicity-batches/<batch_id>", methods=["GET"])
@bp.response(200, PublicityBatchDetail)
@authorised_as(SERVICE, "get_batch")
def get_batch(batch_id):
    """公示批次详情及其申请"""
    return call(SERVICE, "get_batch", batch_id)


@bp.route("/publicity-batches/<batch_id>/end", methods=["POST"])
@bp.response(200, PublicityBatchDetail)
@authorised_as(SERVICE, "end_publicity")
def end_publicity(batch_id):
    """结束公示：公示期满且异议均已处理后，公示中的申请转为公示无异议、待评审（期满前返回409）"""
    return call(SERVICE, "end_publicity", batch_id)
