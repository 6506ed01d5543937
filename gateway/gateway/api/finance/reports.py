"""Disbursement statistics and the reconciliation (on screen and as Excel)."""
from gateway.api.finance.arguments import ReconciliationArgs, StatisticsArgs
from gateway.api.finance.common import SERVICE, XLSX_DOC, bp
from gateway.api.finance.responses import ReconciliationReport, Statistics
from gateway.api.schemas import non_empty
from gateway.context import authorised_as, call
from gateway.portal import export
from gateway.portal.screens import Col


# -- statistics -----------------------------------------------------------------------------------
@bp.route("/disbursement-statistics", methods=["GET"])
@bp.arguments(StatisticsArgs, location="query")
@bp.response(200, Statistics)
@authorised_as(SERVICE, "statistics")
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
@authorised_as(SERVICE, "reconciliation")
def reconciliation(args):
    """资金对账（按批次和县区）：已拨付 = 已支付 + 支付失败 + 待支付 + 已退回；追回另列"""
    return call(SERVICE, "reconciliation", non_empty(args))


@bp.route("/disbursement-reconciliation.xlsx", methods=["GET"])
@bp.arguments(ReconciliationArgs, location="query")
@bp.doc(**XLSX_DOC)
@authorised_as(SERVICE, "reconciliation")
def reconciliation_xlsx(args):
    """导出资金对账（Excel），末行为合计"""
    report = call(SERVICE, "reconciliation", non_empty(args))
    total = {**report["total"], "batch_no": "合计", "county_name": ""}
    return export.download("资金对账", RECONCILIATION_COLUMNS, report["lines"] + [total], "xlsx")
