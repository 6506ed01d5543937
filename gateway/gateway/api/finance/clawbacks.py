"""Clawbacks: recorded against a paid item, listed, recovered."""
from gateway.api.finance.arguments import ClawbackFilter, ReasonArgs
from gateway.api.finance.common import SERVICE, bp
from gateway.api.finance.responses import Clawback
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


# -- clawbacks ------------------------------------------------------------------------------------
@bp.route("/disbursement-items/<application_id>/clawback", methods=["POST"])
@bp.arguments(ReasonArgs)
@bp.response(201, Clawback)
@authorised_as(SERVICE, "record_clawback")
def record_clawback(args, application_id):
    """登记追回（须填写原因）；未支付到个人的申请返回409 clawback.not_paid"""
    return call(SERVICE, "record_clawback", application_id, args["reason"])


@bp.route("/clawbacks", methods=["GET"])
@bp.arguments(ClawbackFilter, location="query")
@bp.response(200, page_of(Clawback))
@authorised_as(SERVICE, "list_clawbacks")
def list_clawbacks(args):
    """追回记录（市财政局：本市；县财政局：本县区）"""
    return call(SERVICE, "list_clawbacks", *list_args(args))


@bp.route("/clawbacks/<clawback_id>/recover", methods=["POST"])
@bp.response(200, Clawback)
@authorised_as(SERVICE, "recover_clawback")
def recover_clawback(clawback_id):
    """追回款项已到账"""
    return call(SERVICE, "recover_clawback", clawback_id)
