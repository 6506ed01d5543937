"""The city's subsidy policy (standards per degree, the longest months)."""
from gateway.api.applications.arguments import Policy
from gateway.api.applications.common import bp
from gateway.api.applications.responses import SubsidyPolicy
from gateway.context import authorised_as, call


@bp.route("/policies/<city>", methods=["GET"])
@bp.response(200, SubsidyPolicy)
@authorised_as("subsidy_review", "get_policy")
def get_policy(city):
    """本市补贴标准（按学历）与最长补贴月数"""
    return call("subsidy_review", "get_policy", city)


@bp.route("/policies/<city>", methods=["PUT"])
@bp.arguments(Policy)
@bp.response(200, SubsidyPolicy)
@authorised_as("subsidy_review", "set_policy")
def set_policy(args, city):
    """设置补贴标准（系统管理员；每次修改生成新版本）"""
    return call("subsidy_review", "set_policy", city, args["standards_fen"], args["max_months"],
                args["effective_from"])
