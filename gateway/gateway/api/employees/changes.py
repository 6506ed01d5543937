"""职工信息变更 and 批量封存/启封."""
from __future__ import annotations

from gateway.api.employees.common import SERVICE, bp
from gateway.api.employees.schemas import (
    Change,
    ChangeArgs,
    ChangeFilter,
    Opinion,
    RequiredOpinion,
    SealArgs,
    SealResult,
)
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


# -- 职工信息变更 ----------------------------------------------------------------------------------------------
@bp.route("/employees/<employee_id>/changes", methods=["POST"])
@bp.arguments(ChangeArgs)
@bp.response(201, Change)
@authorised_as(SERVICE, "request_employee_change")
def request_employee_change(args, employee_id):
    """新增变更信息：姓名、证件、级别、金额的变更须附附件并经住建局审核后生效；手机号码、职务即时生效"""
    return call(SERVICE, "request_employee_change", employee_id, args["data"], args["attachments"], args["reason"])


@bp.route("/employee-changes", methods=["GET"])
@bp.arguments(ChangeFilter, location="query")
@bp.response(200, page_of(Change))
@authorised_as(SERVICE, "list_employee_changes")
def list_employee_changes(args):
    """职工信息变更记录（单位：本单位；住建局：本辖区，status=pending 为待审核）"""
    return call(SERVICE, "list_employee_changes", *list_args(args))


@bp.route("/employee-changes/<change_id>", methods=["GET"])
@bp.response(200, Change)
@authorised_as(SERVICE, "get_employee_change")
def get_employee_change(change_id):
    """查看变更内容"""
    return call(SERVICE, "get_employee_change", change_id)


@bp.route("/employee-changes/<change_id>/approve", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, Change)
@authorised_as(SERVICE, "approve_employee_change")
def approve_employee_change(args, change_id):
    """住建局审核通过职工信息变更（生效）"""
    return call(SERVICE, "approve_employee_change", change_id, args.get("opinion"))


@bp.route("/employee-changes/<change_id>/return", methods=["POST"])
@bp.arguments(RequiredOpinion)
@bp.response(200, Change)
@authorised_as(SERVICE, "return_employee_change")
def return_employee_change(args, change_id):
    """住建局退回职工信息变更（须填写意见）"""
    return call(SERVICE, "return_employee_change", change_id, args["opinion"])


# -- 批量封存/启封 ---------------------------------------------------------------------------------------------
@bp.route("/employees/bulk-seal", methods=["POST"])
@bp.arguments(SealArgs)
@bp.response(200, SealResult)
@authorised_as(SERVICE, "change_status")
def bulk_seal(args):
    """批量封存：待变更列表中的职工全部封存（任何一人不能封存则全部不办理）"""
    return call(SERVICE, "change_status", "seal", args["employee_ids"], args["reason"], args["effective_month"])


@bp.route("/employees/bulk-unseal", methods=["POST"])
@bp.arguments(SealArgs)
@bp.response(200, SealResult)
@authorised_as(SERVICE, "change_status")
def bulk_unseal(args):
    """批量启封"""
    return call(SERVICE, "change_status", "unseal", args["employee_ids"], args["reason"], args["effective_month"])
