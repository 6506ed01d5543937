"""Objections lodged during publicity: listed, upheld or dismissed."""
from flask import request

from gateway.api.publicity.arguments import HandlingOpinion, ObjectionForm, ObjectionListFilter
from gateway.api.publicity.common import SERVICE, bp
from gateway.api.publicity.responses import ObjectionReceipt, PublicityObjection
from gateway.api.schemas import list_args, page_of
from gateway.context import authorised_as, call


# -- objections ----------------------------------------------------------------------------------
@bp.route("/objections", methods=["POST"])
@bp.arguments(ObjectionForm)
@bp.response(201, ObjectionReceipt)
@bp.doc(security=[])
def lodge_objection(args):
    """提出异议（公开，无需登录）：公示期内对公示名单上的申请提出异议，须留联系人及手机号码。
    同一地址、同一申请在一小时内受理的异议有上限，超限429（objection.too_many_requests，带 Retry-After）。"""
    return call(SERVICE, "lodge_objection", args, request.remote_addr, authenticated=False)


@bp.route("/objections", methods=["GET"])
@bp.arguments(ObjectionListFilter, location="query")
@bp.response(200, page_of(PublicityObjection))
@authorised_as(SERVICE, "list_objections")
def list_objections(args):
    """公示异议列表（本县区）"""
    return call(SERVICE, "list_objections", *list_args(args))


@bp.route("/objections/<objection_id>", methods=["GET"])
@bp.response(200, PublicityObjection)
@authorised_as(SERVICE, "get_objection")
def get_objection(objection_id):
    """公示异议详情"""
    return call(SERVICE, "get_objection", objection_id)


@bp.route("/objections/<objection_id>/uphold", methods=["POST"])
@bp.arguments(HandlingOpinion)
@bp.response(200, PublicityObjection)
@authorised_as(SERVICE, "uphold_objection")
def uphold_objection(args, objection_id):
    """异议成立：申请退回县人社局审核（须填写处理意见）"""
    return call(SERVICE, "uphold_objection", objection_id, args["opinion"])


@bp.route("/objections/<objection_id>/dismiss", methods=["POST"])
@bp.arguments(HandlingOpinion)
@bp.response(200, PublicityObjection)
@authorised_as(SERVICE, "dismiss_objection")
def dismiss_objection(args, objection_id):
    """异议不成立：申请继续公示（须填写处理意见）"""
    return call(SERVICE, "dismiss_objection", objection_id, args["opinion"])
