"""Stage 13: the individual's payments, confirmed or disputed."""
from gateway.api.finance.arguments import DisputeArgs, PaymentFilter
from gateway.api.finance.common import SERVICE, bp
from gateway.api.finance.responses import Payment
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


# -- stage 13: the individual ---------------------------------------------------------------------
@bp.route("/payments", methods=["GET"])
@bp.arguments(PaymentFilter(exclude=("q",)), location="query")
@bp.response(200, page_of(Payment))
@authorised_as(SERVICE, "my_payments")
def my_payments(args):
    """我的补助拨付记录（个人）"""
    return call(SERVICE, "my_payments", *list_args(args))


@bp.route("/payments/<payment_id>/confirm-receipt", methods=["POST"])
@bp.response(200, Payment)
@authorised_as(SERVICE, "confirm_receipt")
def confirm_receipt(payment_id):
    """个人确认收到补助"""
    return call(SERVICE, "confirm_receipt", payment_id)


@bp.route("/payments/<payment_id>/dispute", methods=["POST"])
@bp.arguments(DisputeArgs)
@bp.response(200, Payment)
@authorised_as(SERVICE, "dispute_receipt")
def dispute_receipt(args, payment_id):
    """个人反馈未收到补助（须填写情况说明）"""
    return call(SERVICE, "dispute_receipt", payment_id, args["opinion"])
