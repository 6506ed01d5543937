"""The admin's publicity period (公示期) per city."""
from gateway.api.publicity.arguments import PublicityPolicyForm
from gateway.api.publicity.common import SERVICE, bp
from gateway.api.publicity.responses import PublicityPolicy
from gateway.context import authorised_as, call


# -- the admin's parameters ----------------------------------------------------------------------
@bp.route("/publicity-policies/<city>", methods=["GET"])
@bp.response(200, PublicityPolicy)
@authorised_as(SERVICE, "get_policy")
def get_policy(city):
    """本市公示期设置（系统管理员）"""
    return call(SERVICE, "get_policy", city)


@bp.route("/publicity-policies/<city>", methods=["PUT"])
@bp.arguments(PublicityPolicyForm)
@bp.response(200, PublicityPolicy)
@authorised_as(SERVICE, "set_policy")
def set_policy(args, city):
    """修改本市公示期：天数及按工作日或自然日计算（系统管理员；已开始的批次不受影响）"""
    return call(SERVICE, "set_policy", city, args["days"], args["counts_working_days"])
