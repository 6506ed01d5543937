"""单位信息变更: changes of a unit's record, reviewed."""
from gateway.api.registry.common import SERVICE, bp
from gateway.api.registry.review import ApproveArgs, ReturnArgs
from gateway.api.registry.unit_schemas import ChangeFilter, UnitChange
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


@bp.route("/unit-changes", methods=["GET"])
@bp.arguments(ChangeFilter, location="query")
@bp.response(200, page_of(UnitChange))
@authorised_as(SERVICE, "list_unit_changes")
def list_unit_changes(args):
    """单位信息变更申请（单位经办人：本单位；县区人社局：待本局审核的）"""
    return call(SERVICE, "list_unit_changes", *list_args(args))


@bp.route("/unit-changes/<change_id>", methods=["GET"])
@bp.response(200, UnitChange)
@authorised_as(SERVICE, "get_unit_change")
def get_unit_change(change_id):
    return call(SERVICE, "get_unit_change", change_id)


@bp.route("/unit-changes/<change_id>/approve", methods=["POST"])
@bp.arguments(ApproveArgs)
@bp.response(200, UnitChange)
@authorised_as(SERVICE, "approve_unit_change")
def approve_unit_change(args, change_id):
    """单位信息变更审核通过：变更生效"""
    return call(SERVICE, "approve_unit_change", change_id, args.get("opinion"))


@bp.route("/unit-changes/<change_id>/return", methods=["POST"])
@bp.arguments(ReturnArgs)
@bp.response(200, UnitChange)
@authorised_as(SERVICE, "return_unit_change")
def return_unit_change(args, change_id):
    """单位信息变更退回（须填写审核意见）；单位信息保持不变"""
    return call(SERVICE, "return_unit_change", change_id, args["opinion"])
