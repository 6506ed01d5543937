"""员工转入/转出, and the employers that may receive a transfer."""
from __future__ import annotations

from gateway.api.employees.common import SERVICE, bp
from gateway.api.employees.schemas import (
    Receiving,
    RequiredOpinion,
    Transfer,
    TransferArgs,
    TransferFilter,
    TransferResult,
)
from gateway.api.schemas import PageArgs, list_args, page_of
from gateway.context import authorised_as, call


# -- 员工转入/转出 ---------------------------------------------------------------------------------------------
@bp.route("/employers/receiving", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(Receiving))
@authorised_as(SERVICE, "receiving_employers")
def receiving_employers(args):
    """选择转入单位（正常或缓缴的单位），按名称或组织机构代码搜索"""
    return call(SERVICE, "receiving_employers", args.get("q"), args["page"], args["page_size"])


@bp.route("/transfers", methods=["POST"])
@bp.arguments(TransferArgs)
@bp.response(201, TransferResult)
@authorised_as(SERVICE, "transfer_out")
def transfer_out(args):
    """新增职工转出（单个或批量）到所选单位，待转入单位审阅"""
    return call(SERVICE, "transfer_out", args["employee_ids"], args["to_employer_id"], args["reason"],
                args["attachments"])


@bp.route("/transfers", methods=["GET"])
@bp.arguments(TransferFilter, location="query")
@bp.response(200, page_of(Transfer))
@authorised_as(SERVICE, "list_transfers")
def list_transfers(args):
    """员工转入/转出列表：direction=in 为其他单位转入、待本单位审阅"""
    return call(SERVICE, "list_transfers", *list_args(args))


@bp.route("/transfers/<transfer_id>", methods=["GET"])
@bp.response(200, Transfer)
@authorised_as(SERVICE, "get_transfer")
def get_transfer(transfer_id):
    """审阅：转移详情"""
    return call(SERVICE, "get_transfer", transfer_id)


@bp.route("/transfers/<transfer_id>/accept", methods=["POST"])
@bp.response(200, Transfer)
@authorised_as(SERVICE, "accept_transfer")
def accept_transfer(transfer_id):
    """审阅确认转入：职工及其余额、明细随之转入本单位"""
    return call(SERVICE, "accept_transfer", transfer_id)


@bp.route("/transfers/<transfer_id>/reject", methods=["POST"])
@bp.arguments(RequiredOpinion)
@bp.response(200, Transfer)
@authorised_as(SERVICE, "reject_transfer")
def reject_transfer(args, transfer_id):
    """退回转移（须填写意见）"""
    return call(SERVICE, "reject_transfer", transfer_id, args["opinion"])
