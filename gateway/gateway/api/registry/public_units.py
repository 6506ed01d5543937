"""The approved units anyone may look up (the individual's registration picks one)."""
from gateway.api.registry.common import SERVICE, bp
from gateway.api.registry.unit_schemas import PublicUnit, PublicUnitFilter
from gateway.api.schemas import page_of
from gateway.context import call


@bp.route("/public/units", methods=["GET"])
@bp.arguments(PublicUnitFilter, location="query")
@bp.response(200, page_of(PublicUnit))
@bp.doc(security=[])
def list_approved_units(args):
    """可选择的单位（个人注册时选择所在单位，无需登录）"""
    return call(SERVICE, "list_approved_units", args.get("region"), args.get("q"), args["page"],
                args["page_size"], authenticated=False)
