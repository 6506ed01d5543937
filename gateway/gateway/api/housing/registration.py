"""注册新单位: the registrant proves the contact mobile, registers and resubmits (no account yet)."""
from __future__ import annotations

import hmac

from flask import request, session

from gateway.api.housing.common import SERVICE, bp
from gateway.api.housing.schemas import EmployerDetail, Registration, Registrations, Ticket, VerifyArgs
from gateway.context import call
from gateway.tickets import TICKET_HEADER, TICKET_SECONDS, issue_ticket, mobile_of_ticket, verify_mobile
from shared.errors import Forbidden


# -- registration (no account yet) ----------------------------------------------------------------------
def _ticket_mobile() -> str:
    """The ticket of the header (scripts) or of the portal's registration session (CSRF-checked)."""
    ticket = request.headers.get(TICKET_HEADER)
    if ticket is None and session.get("registration_ticket"):
        if request.method not in ("GET", "HEAD"):
            sent = request.headers.get("X-CSRF-Token", "")
            if not hmac.compare_digest(str(sent), str(session.get("csrf", ""))):
                raise Forbidden("页面已过期，请刷新后重试", code="csrf.invalid")
        ticket = session["registration_ticket"]
    return mobile_of_ticket(ticket)


@bp.route("/employer-registrations/verify", methods=["POST"])
@bp.arguments(VerifyArgs)
@bp.response(200, Ticket)
@bp.doc(security=[])
def verify_registration_mobile(args):
    """注册新单位第一步：联系人手机号码和短信验证码（用途 employer_register）→ 注册凭证与已提交的注册"""
    mobile = verify_mobile(args["mobile"], args["sms_code"])
    mine = call(SERVICE, "my_registrations", mobile, authenticated=False)
    return {"ticket": issue_ticket(mobile), "expires_in": TICKET_SECONDS, **mine}


@bp.route("/employer-registrations", methods=["GET"])
@bp.response(200, Registrations)
@bp.doc(security=[], parameters=[{"in": "header", "name": TICKET_HEADER, "required": True,
                                   "schema": {"type": "string"}}])
def my_registrations():
    """本手机号提交的单位注册及审核状态、审核意见"""
    return call(SERVICE, "my_registrations", _ticket_mobile(), authenticated=False)


@bp.route("/employer-registrations", methods=["POST"])
@bp.arguments(Registration)
@bp.response(201, EmployerDetail)
@bp.doc(security=[], parameters=[{"in": "header", "name": TICKET_HEADER, "required": True,
                                   "schema": {"type": "string"}}])
def register_employer(args):
    """注册新单位：基本信息（带红点必填）和附件，立即提交，等待住建局批复"""
    return call(SERVICE, "register_employer", _ticket_mobile(), args, authenticated=False)


@bp.route("/employer-registrations/<employer_id>/resubmit", methods=["POST"])
@bp.arguments(Registration)
@bp.response(200, EmployerDetail)
@bp.doc(security=[], parameters=[{"in": "header", "name": TICKET_HEADER, "required": True,
                                   "schema": {"type": "string"}}])
def resubmit_employer(args, employer_id):
    """被退回的注册修改后重新提交（保留每一次提交及审核意见）"""
    return call(SERVICE, "resubmit_employer", _ticket_mobile(), employer_id, args, authenticated=False)
