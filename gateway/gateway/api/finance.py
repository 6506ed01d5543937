"""/api/v1 disbursement (finance_disbursement): stage 11 city finance releases (确认拨付), stage 12 county
finance pays the individuals (拨付至个人), stage 13 the individual confirms the receipt (确认收款)."""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import ApplicationRef, Int, PageArgs, Schema, list_args, non_empty, page_of
from gateway.context import call

bp = Blueprint("finance", __name__, url_prefix="/api/v1", description="资金拨付（市财政局、县财政局、个人确认收款）")

SERVICE = "finance_disbursement"
BATCH_STATUSES = ["waiting_items", "ready", "partly_released", "released"]
TRANSFER_STATUSES = ["released", "paid"]
PAYMENT_STATUSES = ["paid", "receipt_confirmed", "receipt_disputed"]
ITEM_STATUSES = ["confirmed", "released", "paid", "payment_failed", "receipt_confirmed", "receipt_disputed"]
REGION = ma.validate.Regexp(r"^\d{6}$")



# -- arguments ------------------------------------------------------------------------------------
class BatchFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(BATCH_STATUSES),
                              metadata={"description": "ready = 待拨付"})


class ReleaseArgs(Schema):
    county = ma.fields.String(load_default=None, allow_none=True, validate=REGION,
                              metadata={"description": "只拨付此县区；不填则拨付所有尚未拨付的县区"})


class TransferFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(TRANSFER_STATUSES),
                              metadata={"description": "released = 待支付到个人"})
    batch_id = ma.fields.String()


class PaymentFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(PAYMENT_STATUSES),
                              metadata={"description": "paid = 待确认收款"})


class DisputeArgs(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500),
                               metadata={"description": "未收到补助的情况说明"})


class StatisticsArgs(Schema):
    county = ma.fields.String(validate=REGION)
    batch_id = ma.fields.String()
    status = ma.fields.String(validate=ma.validate.OneOf(ITEM_STATUSES))


# -- responses ------------------------------------------------------------------------------------
class Batch(Schema):
    id = ma.fields.String()
    batch_no = ma.fields.String()
    city = ma.fields.String()
    city_name = ma.fields.String(allow_none=True)
    expected_count = Int()
    amount_fen = Int()
    arrived_count = Int()
    arrived_amount_fen = Int()
    county_count = Int()
    released_county_count = Int()
    status = ma.fields.String()
    status_label = ma.fields.String()
    received_at = ma.fields.String(allow_none=True)
    ready_at = ma.fields.String(allow_none=True)


class CountyLine(Schema):
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    count = Int()
    amount_fen = Int()
    arrived_count = Int()
    arrived_amount_fen = Int()
    released = ma.fields.Boolean()
    transfer_id = ma.fields.String(allow_none=True)
    transfer_no = ma.fields.String(allow_none=True)
    transfer_status = ma.fields.String(allow_none=True)
    transfer_status_label = ma.fields.String(allow_none=True)
    released_at = ma.fields.String(allow_none=True)


class Discrepancy(Schema):
    scope = ma.fields.String(metadata={"description": "县区代码、total（批次合计）或 lines（各县区合计）"})
    measure = ma.fields.String(metadata={"description": "count 或 amount_fen"})
    expected = Int()
    actual = Int()
    message = ma.fields.String()


class Reconciliation(Schema):
    expected_count = Int()
    expected_amount_fen = Int()
    arrived_count = Int()
    arrived_amount_fen = Int()
    missing_count = Int()
    complete = ma.fields.Boolean()
    ready = ma.fields.Boolean()
    discrepancies = ma.fields.List(ma.fields.Nested(Discrepancy))


class Item(ApplicationRef):
    batch_id = ma.fields.String()
    bank_holder = ma.fields.String(allow_none=True)
    bank_name = ma.fields.String(allow_none=True)
    bank_number = ma.fields.String(allow_none=True, metadata={"description": "列表中仅显示后4位"})
    transfer_id = ma.fields.String(allow_none=True)
    payment_id = ma.fields.String(allow_none=True)
    failure_reason = ma.fields.String(allow_none=True)


class Transfer(Schema):
    id = ma.fields.String()
    transfer_no = ma.fields.String(metadata={"description": "拨付单号，如 BF440703-20261125-01"})
    batch_id = ma.fields.String()
    batch_no = ma.fields.String(allow_none=True)
    city = ma.fields.String()
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    count = Int()
    amount_fen = Int()
    status = ma.fields.String()
    status_label = ma.fields.String()
    released_at = ma.fields.String(allow_none=True)
    paid_at = ma.fields.String(allow_none=True)


class BatchDetail(Batch):
    counties = ma.fields.List(ma.fields.Nested(CountyLine))
    reconciliation = ma.fields.Nested(Reconciliation)
    items = ma.fields.List(ma.fields.Nested(Item))


class ReleasedBatch(BatchDetail):
    released_transfers = ma.fields.List(ma.fields.Nested(Transfer))


class TransferDetail(Transfer):
    items = ma.fields.List(ma.fields.Nested(Item))


class Payment(Schema):
    id = ma.fields.String()
    application_id = ma.fields.String()
    application_no = ma.fields.String(allow_none=True)
    round = Int()
    applicant_name = ma.fields.String(allow_none=True)
    unit_name = ma.fields.String(allow_none=True)
    county = ma.fields.String(allow_none=True)
    county_name = ma.fields.String(allow_none=True)
    transfer_no = ma.fields.String(allow_none=True)
    amount_fen = Int()
    bank_holder = ma.fields.String()
    bank_name = ma.fields.String()
    bank_number = ma.fields.String(metadata={"description": "仅显示后4位"})
    paid_on = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    confirmed_at = ma.fields.String(allow_none=True)
    disputed_at = ma.fields.String(allow_none=True)
    dispute_opinion = ma.fields.String(allow_none=True)


class StatusTotal(Schema):
    status = ma.fields.String()
    status_label = ma.fields.String()
    count = Int()
    amount_fen = Int()


class Totals(Schema):
    count = Int()
    amount_fen = Int()
    released_count = Int(metadata={"description": "市财政局已拨付"})
    released_amount_fen = Int()
    paid_count = Int(metadata={"description": "已支付到个人"})
    paid_amount_fen = Int()


class CountyTotals(Totals):
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    statuses = ma.fields.List(ma.fields.Nested(StatusTotal))


class Statistics(Schema):
    counties = ma.fields.List(ma.fields.Nested(CountyTotals))
    statuses = ma.fields.List(ma.fields.Nested(StatusTotal))
    total = ma.fields.Nested(Totals)


# -- stage 11: city finance -----------------------------------------------------------------------
@bp.route("/disbursement-batches", methods=["GET"])
@bp.arguments(BatchFilter, location="query")
@bp.response(200, page_of(Batch))
def list_batches(args):
    """汇总批次列表（市财政局；status=ready 为待拨付）"""
    return call(SERVICE, "list_batches", *list_args(args))


@bp.route("/disbursement-batches/<batch_id>", methods=["GET"])
@bp.response(200, BatchDetail)
def get_batch(batch_id):
    """汇总批次详情：各县区人数与金额、是否已拨付、数据核对结果"""
    return call(SERVICE, "get_batch", batch_id)


@bp.route("/disbursement-batches/<batch_id>/release", methods=["POST"])
@bp.arguments(ReleaseArgs)
@bp.response(200, ReleasedBatch)
def release(args, batch_id):
    """确认拨付：向一个县区（或所有尚未拨付的县区）拨付，每个县区生成一张拨付单"""
    return call(SERVICE, "release", batch_id, args.get("county"))


# -- stage 12: county finance ---------------------------------------------------------------------
@bp.route("/county-transfers", methods=["GET"])
@bp.arguments(TransferFilter, location="query")
@bp.response(200, page_of(Transfer))
def list_transfers(args):
    """拨付单列表（县财政局；status=released 为待支付到个人）"""
    return call(SERVICE, "list_transfers", *list_args(args))


@bp.route("/county-transfers/<transfer_id>", methods=["GET"])
@bp.response(200, TransferDetail)
def get_transfer(transfer_id):
    """拨付单详情：含个人银行账户（完整卡号，查看记入审计）"""
    return call(SERVICE, "get_transfer", transfer_id)


@bp.route("/county-transfers/<transfer_id>/pay", methods=["POST"])
@bp.response(200, TransferDetail)
def pay(transfer_id):
    """拨付至个人：每个申请支付一次，重复支付返回409"""
    return call(SERVICE, "pay", transfer_id)


# -- stage 13: the individual ---------------------------------------------------------------------
@bp.route("/payments", methods=["GET"])
@bp.arguments(PaymentFilter(exclude=("q",)), location="query")
@bp.response(200, page_of(Payment))
def my_payments(args):
    """我的补助拨付记录（个人）"""
    return call(SERVICE, "my_payments", *list_args(args))


@bp.route("/payments/<payment_id>/confirm-receipt", methods=["POST"])
@bp.response(200, Payment)
def confirm_receipt(payment_id):
    """个人确认收到补助"""
    return call(SERVICE, "confirm_receipt", payment_id)


@bp.route("/payments/<payment_id>/dispute", methods=["POST"])
@bp.arguments(DisputeArgs)
@bp.response(200, Payment)
def dispute_receipt(args, payment_id):
    """个人反馈未收到补助（须填写情况说明）"""
    return call(SERVICE, "dispute_receipt", payment_id, args["opinion"])


# -- statistics -----------------------------------------------------------------------------------
@bp.route("/disbursement-statistics", methods=["GET"])
@bp.arguments(StatisticsArgs, location="query")
@bp.response(200, Statistics)
def statistics(args):
    """资金拨付查询统计：按县区和状态的人数与金额（市财政局、县财政局）"""
    return call(SERVICE, "statistics", non_empty(args))
