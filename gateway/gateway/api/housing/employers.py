"""Employers (住建局; the employer's own): list, detail, review, status."""
from __future__ import annotations

from gateway.api.housing.common import SERVICE, bp
from gateway.api.housing.schemas import (
    Employer,
    EmployerApproveArgs,
    EmployerDetail,
    EmployerFilter,
    EmployerReturnArgs,
    EmployerStatusArgs,
)
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


# -- employers (住建局; the employer's own) ---------------------------------------------------------------
@bp.route("/employers", methods=["GET"])
@bp.arguments(EmployerFilter, location="query")
@bp.response(200, page_of(Employer))
@authorised_as(SERVICE, "list_employers")
def list_employers(args):
    """汇缴单位列表（住建局：本辖区），按单位状态、注册审核状态、区划、名称/组织机构代码/交易代码筛选"""
    return call(SERVICE, "list_employers", *list_args(args))


@bp.route("/employers/mine", methods=["GET"])
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "my_employer")
def my_employer():
    """本单位信息（汇缴单位经办人）：住房补贴信息、单位变更记录"""
    return call(SERVICE, "my_employer")


@bp.route("/employers/<employer_id>", methods=["GET"])
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "get_employer")
def get_employer(employer_id):
    """单位详情：基本信息、住房补贴信息、注册各轮次与变更记录"""
    return call(SERVICE, "get_employer", employer_id)


@bp.route("/employers/<employer_id>/approve", methods=["POST"])
@bp.arguments(EmployerApproveArgs)
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "approve_employer")
def approve_employer(args, employer_id):
    """单位注册审核通过：分配5位单位交易代码，并开通单位登录账号（组织机构代码，初始密码为其后6位）"""
    return call(SERVICE, "approve_employer", employer_id, args.get("opinion"))


@bp.route("/employers/<employer_id>/return", methods=["POST"])
@bp.arguments(EmployerReturnArgs)
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "return_employer")
def return_employer(args, employer_id):
    """单位注册退回修改（须填写审核意见）"""
    return call(SERVICE, "return_employer", employer_id, args["opinion"])


@bp.route("/employers/<employer_id>/status", methods=["POST"])
@bp.arguments(EmployerStatusArgs)
@bp.response(200, EmployerDetail)
@authorised_as(SERVICE, "set_employer_status")
def set_employer_status(args, employer_id):
    """设置单位状态（住建局）：缓缴、恢复正常、封存、销户（须填写原因；销户须无正常或封存状态的职工）"""
    return call(SERVICE, "set_employer_status", employer_id, args["action"], args["reason"])
