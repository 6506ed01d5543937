"""缴款历史补录 (back-fills) and 支取申请 (withdrawals)."""
from __future__ import annotations

from gateway.api.remittances.common import SERVICE, bp
from gateway.api.remittances.schemas import (
    Backfill,
    BackfillRequest,
    Opinion,
    StatusFilter,
    Withdrawal,
    WithdrawalRequest,
)
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


# -- 缴款历史补录 ----------------------------------------------------------------------------------------
@bp.route("/backfills", methods=["POST"])
@bp.arguments(BackfillRequest)
@bp.response(201, Backfill)
@authorised_as(SERVICE, "submit_backfill")
def submit_backfill(args):
    """缴款历史补录（指定职工，星号必填，附件），提交住建局审核"""
    return call(SERVICE, "submit_backfill", args)


@bp.route("/backfills", methods=["GET"])
@bp.arguments(StatusFilter, location="query")
@bp.response(200, page_of(Backfill))
@authorised_as(SERVICE, "list_backfills")
def list_backfills(args):
    """缴款历史补录列表"""
    return call(SERVICE, "list_backfills", *list_args(args))


@bp.route("/backfills/<backfill_id>", methods=["GET"])
@bp.response(200, Backfill)
@authorised_as(SERVICE, "get_backfill")
def get_backfill(backfill_id):
    return call(SERVICE, "get_backfill", backfill_id)


@bp.route("/backfills/<backfill_id>/approve", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Backfill)
@authorised_as(SERVICE, "approve_backfill")
def approve_backfill(args, backfill_id):
    """审核通过：补录记录记入职工明细账"""
    return call(SERVICE, "approve_backfill", backfill_id, args["opinion"])


@bp.route("/backfills/<backfill_id>/return", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Backfill)
@authorised_as(SERVICE, "return_backfill")
def return_backfill(args, backfill_id):
    return call(SERVICE, "return_backfill", backfill_id, args["opinion"])


# -- 支取申请 -------------------------------------------------------------------------------------------
@bp.route("/withdrawals", methods=["POST"])
@bp.arguments(WithdrawalRequest)
@bp.response(201, Withdrawal)
@authorised_as(SERVICE, "submit_withdrawal")
def submit_withdrawal(args):
    """支取申请：提取原因、收款账户、附件；金额不得超过可支取余额"""
    return call(SERVICE, "submit_withdrawal", args)


@bp.route("/withdrawals", methods=["GET"])
@bp.arguments(StatusFilter, location="query")
@bp.response(200, page_of(Withdrawal))
@authorised_as(SERVICE, "list_withdrawals")
def list_withdrawals(args):
    """支取申请列表；status=approved 为待支付清单"""
    return call(SERVICE, "list_withdrawals", *list_args(args))


@bp.route("/withdrawals/<withdrawal_id>", methods=["GET"])
@bp.response(200, Withdrawal)
@authorised_as(SERVICE, "get_withdrawal")
def get_withdrawal(withdrawal_id):
    return call(SERVICE, "get_withdrawal", withdrawal_id)


@bp.route("/withdrawals/<withdrawal_id>/approve", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Withdrawal)
@authorised_as(SERVICE, "approve_withdrawal")
def approve_withdrawal(args, withdrawal_id):
    """审核通过（再次核对余额）并记入明细账"""
    return call(SERVICE, "approve_withdrawal", withdrawal_id, args["opinion"])


@bp.route("/withdrawals/<withdrawal_id>/reject", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Withdrawal)
@authorised_as(SERVICE, "reject_withdrawal")
def reject_withdrawal(args, withdrawal_id):
    """不予通过（须填写审核意见）"""
    return call(SERVICE, "reject_withdrawal", withdrawal_id, args["opinion"])


@bp.route("/withdrawals/<withdrawal_id>/pay", methods=["POST"])
@bp.response(200, Withdrawal)
@authorised_as(SERVICE, "pay_withdrawal")
def pay_withdrawal(withdrawal_id):
    """标记已支付"""
    return call(SERVICE, "pay_withdrawal", withdrawal_id)
