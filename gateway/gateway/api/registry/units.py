"""Units (单位): the unit's own record, its review by the county, its history."""
from gateway.api.registry.common import SERVICE, bp
from gateway.api.registry.review import ApproveArgs, ReturnArgs
from gateway.api.registry.unit_schemas import (
    Round,
    Unit,
    UnitData,
    UnitDetail,
    UnitFilter,
    UnitUpdate,
    UnitUpdateResult,
)
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


# -- units ---------------------------------------------------------------------------------------
@bp.route("/units", methods=["GET"])
@bp.arguments(UnitFilter, location="query")
@bp.response(200, page_of(Unit))
@authorised_as(SERVICE, "list_units")
def list_units(args):
    """单位列表（县区人社局：本县区；市级部门：本市），按状态、区划、名称或信用代码筛选"""
    return call(SERVICE, "list_units", *list_args(args))


@bp.route("/units/mine", methods=["GET"])
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "my_unit")
def my_unit():
    """本单位信息（单位经办人）"""
    return call(SERVICE, "my_unit")


@bp.route("/units/mine", methods=["PATCH"])
@bp.arguments(UnitUpdate)
@bp.response(200, UnitUpdateResult)
@authorised_as(SERVICE, "update_unit")
def update_unit(args):
    """单位信息管理：负责人及联系方式即时生效；单位名称、统一社会信用代码、行政区划的变更经县区人社局审核后生效"""
    return call(SERVICE, "update_unit", args)


@bp.route("/units/<unit_id>", methods=["GET"])
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "get_unit")
def get_unit(unit_id):
    """单位详情（含单位材料、每一轮审核记录与变更申请）"""
    return call(SERVICE, "get_unit", unit_id)


@bp.route("/units/<unit_id>/history", methods=["GET"])
@bp.response(200, Round(many=True))
@authorised_as(SERVICE, "unit_history")
def unit_history(unit_id):
    """单位注册与变更的每一轮记录"""
    return call(SERVICE, "unit_history", unit_id)


@bp.route("/units/<unit_id>/resubmit", methods=["POST"])
@bp.arguments(UnitData)
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "resubmit_unit")
def resubmit_unit(args, unit_id):
    """被退回的单位注册修改后重新提交（仅本单位经办人）"""
    return call(SERVICE, "resubmit_unit", unit_id, args)


@bp.route("/units/<unit_id>/approve", methods=["POST"])
@bp.arguments(ApproveArgs)
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "approve_unit")
def approve_unit(args, unit_id):
    """单位注册审核通过（主管部门所在县区人社局）"""
    return call(SERVICE, "approve_unit", unit_id, args.get("opinion"))


@bp.route("/units/<unit_id>/return", methods=["POST"])
@bp.arguments(ReturnArgs)
@bp.response(200, UnitDetail)
@authorised_as(SERVICE, "return_unit")
def return_unit(args, unit_id):
    """单位注册退回修改（须填写审核意见）"""
    return call(SERVICE, "return_unit", unit_id, args["opinion"])
