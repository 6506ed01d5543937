"""Failed payments: retried with a corrected account, or returned."""
from gateway.api.finance.arguments import FailedFilter, ReasonArgs, RetryArgs
from gateway.api.finance.common import SERVICE, bp
from gateway.api.finance.responses import Item
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


@bp.route("/failed-payments", methods=["GET"])
@bp.arguments(FailedFilter, location="query")
@bp.response(200, page_of(Item))
@authorised_as(SERVICE, "list_failed")
def list_failed(args):
    """支付失败待处理（县财政局）：更正账户后重新支付，或退回"""
    return call(SERVICE, "list_failed", *list_args(args))


@bp.route("/failed-payments/<application_id>/retry", methods=["POST"])
@bp.arguments(RetryArgs)
@bp.response(200, Item)
@authorised_as(SERVICE, "retry_payment")
def retry_payment(args, application_id):
    """更正账户后重新支付：不填账户时使用个人已更正的账户，或填写申请人提供的正确银行账户（户名须为本人），
    随下一份银行支付文件送出"""
    return call(SERVICE, "retry_payment", application_id, args.get("bank_account"))


@bp.route("/failed-payments/<application_id>/return", methods=["POST"])
@bp.arguments(ReasonArgs)
@bp.response(200, Item)
@authorised_as(SERVICE, "return_payment")
def return_payment(args, application_id):
    """支付失败退回（须填写退回原因）"""
    return call(SERVICE, "return_payment", application_id, args["reason"])
