"""Stage 11: city finance lists the batches and releases them county by county."""
from gateway.api.finance.arguments import BatchFilter, ReleaseArgs
from gateway.api.finance.common import SERVICE, bp
from gateway.api.finance.responses import Batch, BatchDetail, ReleasedBatch
from gateway.api.schemas import list_args, page_of
from gateway.api.stage_times import with_batch_clocks
from gateway.context import authorised_as, call


# -- stage 11: city finance -----------------------------------------------------------------------
@bp.route("/disbursement-batches", methods=["GET"])
@bp.arguments(BatchFilter, location="query")
@bp.response(200, page_of(Batch))
@authorised_as(SERVICE, "list_batches")
def list_batches(args):
    """汇总批次列表（市财政局；status=ready 为待拨付；待拨付的批次带本环节用时，超时时 stage_clock.overdue 为真）"""
    return with_batch_clocks(call(SERVICE, "list_batches", *list_args(args)))


@bp.route("/disbursement-batches/<batch_id>", methods=["GET"])
@bp.response(200, BatchDetail)
@authorised_as(SERVICE, "get_batch")
def get_batch(batch_id):
    """汇总批次详情：各县区人数与金额、是否已拨付、数据核对结果"""
    return call(SERVICE, "get_batch", batch_id)


@bp.route("/disbursement-batches/<batch_id>/release", methods=["POST"])
@bp.arguments(ReleaseArgs)
@bp.response(200, ReleasedBatch)
@authorised_as(SERVICE, "release")
def release(args, batch_id):
    """确认拨付：向一个县区（或所有尚未拨付的县区）拨付，每个县区生成一张拨付单"""
    return call(SERVICE, "release", batch_id, args.get("county"))
