"""The public publicity notice (no account)."""
from gateway.api.publicity.arguments import PublicityNoticeFilter
from gateway.api.publicity.common import SERVICE, bp
from gateway.api.publicity.responses import PublicityNoticeItem
from gateway.api.schemas import page_of
from gateway.context import call


# -- the public notice -------------------------------------------------------------------------
@bp.route("/public/publicity", methods=["GET"])
@bp.arguments(PublicityNoticeFilter, location="query")
@bp.response(200, page_of(PublicityNoticeItem))
@bp.doc(security=[])
def public_publicity(args):
    """公示名单（公开，无需登录）：公示中的申请，姓名脱敏，不含证件号码和银行账户"""
    return call(SERVICE, "public_publicity", args["county"], args["page"], args["page_size"],
                authenticated=False)
