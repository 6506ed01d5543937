"""/api/v1 disbursement (finance_disbursement): stage 11 city finance releases (确认拨付), stage 12 county
finance pays the individuals (拨付至个人), stage 13 the individual confirms the receipt (确认收款)."""
import marshmallow as ma
from flask import request
from flask_smorest import Blueprint

from gateway.api import bank_files
from gateway.api.schemas import ApplicationRef, Int, PageArgs, Schema, list_args, non_empty, page_of
from gateway.api.stage_times import Waited, with_batch_clocks
from gateway.context import call
from gateway.hardening import authorise_first
from gateway.portal import export
from gateway.portal.screens import Col
from shared.contracts.finance_disbursement import CLAWBACK_LABELS
from shared.contracts.finance_disbursement import TRANSFER_LABELS as TRANSFER_STATUS_LABELS
from shared.errors import InvalidInput

bp = Blueprint("finance", __name__, url_prefix="/api/v1", description="资金拨付（市财政局、县财政局、个人确认收款）")

SERVICE = "finance_disbursement"
BATCH_STATUSES = ["waiting_items", "ready", "partly_released", "released"]
TRANSFER_STATUSES = list(TRANSFER_STATUS_LABELS)
CLAWBACK_STATUSES = list(CLAWBACK_LABELS)
PAYMENT_STATUSES = ["paid", "receipt_confirmed", "receipt_disputed"]
ITEM_STATUSES = ["confirmed", "released", "paid", "payment_failed", "receipt_confirmed", "receipt_disputed",
                 "payment_returned"]
XLSX_DOC = {"responses": {"200": {"description": "Excel", "content": {export.XLSX_TYPE: {}}}}}
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


class FailedFilter(PageArgs):
    transfer_id = ma.fields.String()


class ClawbackFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(CLAWBACK_STATUSES),
                              metadata={"description": "recorded = 待追回"})
    batch_id = ma.fields.String()


class BankAccountArgs(Schema):
    holder = ma.fields.String(required=True, metadata={"description": "户名（须为申请人本人）"})
    bank = ma.fields.String(required=True, metadata={"description": "开户行"})
    number = ma.fields.String(required=True, metadata={"description": "银行卡号，12-30位数字"})


class RetryArgs(Schema):
    """申请人更正后的银行账户；不填则用个人在注册信息中更正的账户."""
    bank_account = ma.fields.Nested(BankAccountArgs, load_default=None)


class CorrectedAccount(Schema):
    holder = ma.fields.String()
    bank = ma.fields.String()
    number = ma.fields.String(metadata={"description": "列表中仅显示后4位"})
    corrected_at = ma.fields.String(metadata={"description": "个人更正账户的时间"})


class ReasonArgs(Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class ReconciliationArgs(Schema):
    county = ma.fields.String(validate=REGION)
    batch_id = ma.fields.String()


class ResultFile(Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary",
                                   "description": "银行回盘 .xlsx：下载的支付文件填上"
                                                  "“支付结果”（成功/失败）和“失败原因”"})


# -- responses ------------------------------------------------------------------------------------
class Batch(Waited):
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
    attempt = Int(metadata={"description": "第几次送银行支付（更正账户重新支付后加一）"})
    return_reason = ma.fields.String(allow_none=True, metadata={"description": "支付失败退回的原因"})
    bank_holder = ma.fields.String(allow_none=True)
    bank_name = ma.fields.String(allow_none=True)
    bank_number = ma.fields.String(allow_none=True, metadata={"description": "列表中仅显示后4位"})
    transfer_id = ma.fields.String(allow_none=True)
    payment_id = ma.fields.String(allow_none=True)
    failure_reason = ma.fields.String(allow_none=True)
    corrected_bank_account = ma.fields.Nested(CorrectedAccount, allow_none=True, metadata={
        "description": "个人已更正账户（支付失败后个人在注册信息中更正；重新支付不填账户时使用）"})
    account_not_corrected = ma.fields.Boolean(metadata={"description": "个人尚未更正账户（重新支付须填写账户）"})


class Transfer(Waited):
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
    arrival_confirmed_at = ma.fields.String(allow_none=True, metadata={"description": "县财政局确认到账时间"})
    paid_at = ma.fields.String(allow_none=True)


class BatchDetail(Batch):
    counties = ma.fields.List(ma.fields.Nested(CountyLine))
    reconciliation = ma.fields.Nested(Reconciliation)
    items = ma.fields.List(ma.fields.Nested(Item))


class ReleasedBatch(BatchDetail):
    released_transfers = ma.fields.List(ma.fields.Nested(Transfer))


class BankResultFile(Schema):
    id = ma.fields.String()
    filename = ma.fields.String(allow_none=True)
    imported_at = ma.fields.String()
    paid = Int()
    failed = Int()
    unchanged = Int()
    rejected = Int()


class TransferDetail(Transfer):
    items = ma.fields.List(ma.fields.Nested(Item))
    bank_results = ma.fields.List(ma.fields.Nested(BankResultFile), metadata={"description": "已导入的银行回盘"})


class ResultLine(Schema):
    row = Int(allow_none=True, metadata={"description": "回盘文件中的行号"})
    line_key = ma.fields.String(allow_none=True)
    outcome = ma.fields.String(metadata={"description": "paid / failed / unchanged（已处理过）/ rejected（未处理）"})
    code = ma.fields.String(allow_none=True)
    message = ma.fields.String()


class BankResult(Schema):
    id = ma.fields.String()
    repeated = ma.fields.Boolean(metadata={"description": "同一文件已导入过：本次未作任何变更"})
    filename = ma.fields.String(allow_none=True)
    paid = Int()
    failed = Int()
    unchanged = Int()
    rejected = Int()
    waiting = Int(metadata={"description": "仍待银行支付结果的申请数"})
    lines = ma.fields.List(ma.fields.Nested(ResultLine))


class Clawback(Schema):
    id = ma.fields.String()
    application_id = ma.fields.String()
    round = Int()
    application_no = ma.fields.String(allow_none=True)
    applicant_name = ma.fields.String(allow_none=True)
    unit_name = ma.fields.String(allow_none=True)
    batch_id = ma.fields.String()
    batch_no = ma.fields.String(allow_none=True)
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    amount_fen = Int()
    reason = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    recorded_at = ma.fields.String()
    recovered_at = ma.fields.String(allow_none=True)


class MoneyColumns(Schema):
    released_count = Int(metadata={"description": "市财政局已拨付"})
    released_amount_fen = Int()
    paid_count = Int(metadata={"description": "已支付到个人"})
    paid_amount_fen = Int()
    failed_count = Int(metadata={"description": "支付失败，待处理"})
    failed_amount_fen = Int()
    pending_count = Int(metadata={"description": "待支付（含更正账户后重新支付）"})
    pending_amount_fen = Int()
    returned_count = Int(metadata={"description": "支付失败已退回"})
    returned_amount_fen = Int()
    clawback_count = Int(metadata={"description": "追回（另列，不冲减已支付）"})
    clawback_amount_fen = Int()
    clawback_recovered_count = Int(metadata={"description": "其中已追回到账"})
    clawback_recovered_amount_fen = Int()
    balanced = ma.fields.Boolean(metadata={"description": "已拨付 = 已支付 + 支付失败 + 待支付 + 已退回"})


class ReconciliationLine(MoneyColumns):
    batch_id = ma.fields.String()
    batch_no = ma.fields.String(allow_none=True)
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)


class ReconciliationReport(Schema):
    lines = ma.fields.List(ma.fields.Nested(ReconciliationLine))
    total = ma.fields.Nested(MoneyColumns)


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
    """汇总批次列表（市财政局；status=ready 为待拨付；待拨付的批次带本环节用时，超时时 stage_clock.overdue 为真）"""
    return with_batch_clocks(call(SERVICE, "list_batches", *list_args(args)))


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
    """拨付单列表（县财政局；status=released 为待支付到个人；未支付的拨付单带本环节用时）"""
    return with_batch_clocks(call(SERVICE, "list_transfers", *list_args(args)))


@bp.route("/county-transfers/<transfer_id>", methods=["GET"])
@bp.response(200, TransferDetail)
def get_transfer(transfer_id):
    """拨付单详情：含个人银行账户（完整卡号，查看记入审计）"""
    return call(SERVICE, "get_transfer", transfer_id)


@bp.route("/county-transfers/<transfer_id>/confirm-arrival", methods=["POST"])
@bp.response(200, TransferDetail)
def confirm_arrival(transfer_id):
    """到账确认：市财政局拨款已到县财政账户（确认后才能支付到个人）"""
    return call(SERVICE, "confirm_arrival", transfer_id)


@bp.route("/county-transfers/<transfer_id>/pay", methods=["POST"])
@bp.response(200, TransferDetail)
def pay(transfer_id):
    """拨付至个人：每个申请支付一次，重复支付返回409；未确认到账返回409 county_transfer.not_received"""
    return call(SERVICE, "pay", transfer_id)


@bp.route("/county-transfers/<transfer_id>/bank-file.xlsx", methods=["GET"])
@bp.doc(**XLSX_DOC)
def bank_file(transfer_id):
    """下载银行支付文件（.xlsx）：待支付申请的户名、开户行、账号（审核时冻结）和金额，每行一个支付流水号（查看记入审计）"""
    answer = call(SERVICE, "bank_file", transfer_id)
    return export.file_response(bank_files.payment_file(answer), f"银行支付文件_{answer['transfer_no']}.xlsx",
                                export.XLSX_TYPE)


@bp.route("/county-transfers/<transfer_id>/bank-results", methods=["POST"])
@bp.arguments(ResultFile, location="files")
@bp.response(200, BankResult)
def import_bank_result(_files, transfer_id):
    """导入银行回盘（multipart：file）：逐行支付成功或失败；同一文件再次导入不作任何变更；
    支付流水号未知、金额或账号与支付文件不符的行列出原因且不作变更"""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        authorise_first()  # who may not import learns that first, not what the file lacks
        raise InvalidInput.field("file", "bank_result.file_required", "请选择银行回盘文件（.xlsx）")
    authorise_first()
    sha256, lines = bank_files.read_result(upload.stream.read(bank_files.MAX_BYTES + 1))
    return call(SERVICE, "import_bank_result", transfer_id, sha256, upload.filename, lines)


@bp.route("/failed-payments", methods=["GET"])
@bp.arguments(FailedFilter, location="query")
@bp.response(200, page_of(Item))
def list_failed(args):
    """支付失败待处理（县财政局）：更正账户后重新支付，或退回"""
    return call(SERVICE, "list_failed", *list_args(args))


@bp.route("/failed-payments/<application_id>/retry", methods=["POST"])
@bp.arguments(RetryArgs)
@bp.response(200, Item)
def retry_payment(args, application_id):
    """更正账户后重新支付：不填账户时使用个人已更正的账户，或填写申请人提供的正确银行账户（户名须为本人），
    随下一份银行支付文件送出"""
    return call(SERVICE, "retry_payment", application_id, args.get("bank_account"))


@bp.route("/failed-payments/<application_id>/return", methods=["POST"])
@bp.arguments(ReasonArgs)
@bp.response(200, Item)
def return_payment(args, application_id):
    """支付失败退回（须填写退回原因）"""
    return call(SERVICE, "return_payment", application_id, args["reason"])


# -- clawbacks ------------------------------------------------------------------------------------
@bp.route("/disbursement-items/<application_id>/clawback", methods=["POST"])
@bp.arguments(ReasonArgs)
@bp.response(201, Clawback)
def record_clawback(args, application_id):
    """登记追回（须填写原因）；未支付到个人的申请返回409 clawback.not_paid"""
    return call(SERVICE, "record_clawback", application_id, args["reason"])


@bp.route("/clawbacks", methods=["GET"])
@bp.arguments(ClawbackFilter, location="query")
@bp.response(200, page_of(Clawback))
def list_clawbacks(args):
    """追回记录（市财政局：本市；县财政局：本县区）"""
    return call(SERVICE, "list_clawbacks", *list_args(args))


@bp.route("/clawbacks/<clawback_id>/recover", methods=["POST"])
@bp.response(200, Clawback)
def recover_clawback(clawback_id):
    """追回款项已到账"""
    return call(SERVICE, "recover_clawback", clawback_id)


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
    """资金拨付查询统计：按县区和状态的人数与金额（市财政局、县财政局；单位经办人：本单位人员）"""
    return call(SERVICE, "statistics", non_empty(args))


RECONCILIATION_COLUMNS = (
    Col("batch_no", "批次号"), Col("county_name", "县区"), Col("released_count", "已拨付笔数"),
    Col("released_amount_fen", "已拨付金额", "money"), Col("paid_count", "已支付笔数"),
    Col("paid_amount_fen", "已支付金额", "money"), Col("failed_count", "支付失败笔数"),
    Col("failed_amount_fen", "支付失败金额", "money"), Col("pending_count", "待支付笔数"),
    Col("pending_amount_fen", "待支付金额", "money"), Col("returned_count", "已退回笔数"),
    Col("returned_amount_fen", "已退回金额", "money"), Col("clawback_count", "追回笔数"),
    Col("clawback_amount_fen", "追回金额", "money"), Col("clawback_recovered_amount_fen", "已追回到账金额", "money"))


@bp.route("/disbursement-reconciliation", methods=["GET"])
@bp.arguments(ReconciliationArgs, location="query")
@bp.response(200, ReconciliationReport)
def reconciliation(args):
    """资金对账（按批次和县区）：已拨付 = 已支付 + 支付失败 + 待支付 + 已退回；追回另列"""
    return call(SERVICE, "reconciliation", non_empty(args))


@bp.route("/disbursement-reconciliation.xlsx", methods=["GET"])
@bp.arguments(ReconciliationArgs, location="query")
@bp.doc(**XLSX_DOC)
def reconciliation_xlsx(args):
    """导出资金对账（Excel），末行为合计"""
    report = call(SERVICE, "reconciliation", non_empty(args))
    total = {**report["total"], "batch_no": "合计", "county_name": ""}
    return export.download("资金对账", RECONCILIATION_COLUMNS, report["lines"] + [total], "xlsx")
