"""汇缴申请: remittances and back-payments, the roster to remit for, the monthly reminders."""
from __future__ import annotations

from gateway.api.remittances.common import SERVICE, bp
from gateway.api.remittances.schemas import (
    Opinion,
    ReminderArgs,
    ReminderResult,
    Remittance,
    RemittanceDetail,
    RemittanceFilter,
    RemittanceRequest,
    Roster,
    RosterArgs,
)
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


# -- 汇缴申请 -------------------------------------------------------------------------------------------
@bp.route("/remittances", methods=["GET"])
@bp.arguments(RemittanceFilter, location="query")
@bp.response(200, page_of(Remittance))
@authorised_as(SERVICE, "list_remittances")
def list_remittances(args):
    """汇缴申请列表（单位：本单位；住建局：本辖区），按状态、方式、月份、单位名称筛选"""
    return call(SERVICE, "list_remittances", *list_args(args))


@bp.route("/remittances/roster", methods=["GET"])
@bp.arguments(RosterArgs, location="query")
@bp.response(200, Roster)
@authorised_as(SERVICE, "remittance_roster")
def remittance_roster(args):
    """新增汇缴：本单位正常状态职工及本月汇缴金额（指定汇缴金额自动沿用）"""
    return call(SERVICE, "remittance_roster", args["month"], args["mode"])


@bp.route("/remittances", methods=["POST"])
@bp.arguments(RemittanceRequest)
@bp.response(201, RemittanceDetail)
@authorised_as(SERVICE, "submit_remittance")
def submit_remittance(args):
    """立即提交汇缴/补缴申请。每单位同时只能有一笔未完成的申请；按月补缴每次不超过12个月；
    在本单位无汇缴记录的职工只能补缴人事档案汇缴开始月份之前的月份"""
    return call(SERVICE, "submit_remittance", args)


@bp.route("/remittances/reminders", methods=["POST"])
@bp.arguments(ReminderArgs)
@bp.response(200, ReminderResult)
@authorised_as(SERVICE, "send_remittance_reminders")
def send_reminders(args):
    """立即向本月尚未汇缴的单位发送提醒（每单位每月一次；定时任务每月自动发送）"""
    return call(SERVICE, "send_remittance_reminders", args["month"])


@bp.route("/remittances/<remittance_id>", methods=["GET"])
@bp.response(200, RemittanceDetail)
@authorised_as(SERVICE, "get_remittance")
def get_remittance(remittance_id):
    """汇缴申请详情与明细"""
    return call(SERVICE, "get_remittance", remittance_id)


@bp.route("/remittances/<remittance_id>/approve", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, RemittanceDetail)
@authorised_as(SERVICE, "approve_remittance")
def approve_remittance(args, remittance_id):
    """住建局审核通过：生成缴费通知（支付代码、摘要、收款账户）"""
    return call(SERVICE, "approve_remittance", remittance_id, args["opinion"])


@bp.route("/remittances/<remittance_id>/return", methods=["POST"])
@bp.arguments(Opinion)
@bp.response(200, RemittanceDetail)
@authorised_as(SERVICE, "return_remittance")
def return_remittance(args, remittance_id):
    """住建局退回（须填写审核意见）"""
    return call(SERVICE, "return_remittance", remittance_id, args["opinion"])


@bp.route("/remittances/<remittance_id>/resubmit", methods=["POST"])
@bp.arguments(RemittanceRequest)
@bp.response(200, RemittanceDetail)
@authorised_as(SERVICE, "resubmit_remittance")
def resubmit_remittance(args, remittance_id):
    """被退回的汇缴申请修改后重新提交（与新增汇缴相同的内容；第N次提交，历次提交与审核意见均保留）"""
    return call(SERVICE, "resubmit_remittance", remittance_id, args)
