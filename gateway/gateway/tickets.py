"""Registration tickets of line B's 注册新单位: the registrant has no account yet, so after identity
consumed the SMS code (purpose ``employer_register``) the gateway signs the verified mobile into a
ticket valid 30 minutes (header ``X-Registration-Ticket``, or the portal's session)."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from gateway.context import call
from shared.errors import Unauthenticated

SMS_PURPOSE = "employer_register"
TICKET_HEADER = "X-Registration-Ticket"
TICKET_SECONDS = 30 * 60


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="employer-registration")


def issue_ticket(mobile: str) -> str:
    return _serializer().dumps({"mobile": mobile})


def mobile_of_ticket(ticket: str | None) -> str:
    """The contact mobile a registration ticket was issued for (401 when missing, forged or old)."""
    if not ticket:
        raise Unauthenticated("请先验证联系人手机号码", code="registration.ticket_required")
    try:
        return _serializer().loads(ticket, max_age=TICKET_SECONDS)["mobile"]
    except SignatureExpired:
        raise Unauthenticated("手机验证已过期，请重新获取验证码", code="registration.ticket_expired") from None
    except (BadSignature, KeyError, TypeError):
        raise Unauthenticated("手机验证无效，请重新获取验证码", code="registration.ticket_invalid") from None


def verify_mobile(mobile: str, sms_code: str) -> str:
    """Consume the SMS code at identity (single use) and return the verified mobile."""
    verified = call("identity", "consume_sms_code", mobile, SMS_PURPOSE, sms_code, authenticated=False)
    return verified["mobile"]
