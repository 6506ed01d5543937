"""/api/v1/dev: development aids. The SMS inbox answers only when identity runs the development SMS
sender (``SMS_SENDER=dev``, what ``make run`` uses); otherwise 404, as if the route did not exist."""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import Int, Schema
from gateway.context import call

bp = Blueprint("dev", __name__, url_prefix="/api/v1/dev", description="开发环境辅助（仅开发短信通道开启时可用）")


class InboxArgs(Schema):
    mobile = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))


class InboxMessage(Schema):
    mobile = ma.fields.String()
    text = ma.fields.String()
    sent_at = ma.fields.String()
    code = ma.fields.String(allow_none=True)


class Inbox(Schema):
    items = ma.fields.List(ma.fields.Nested(InboxMessage))
    total = Int()


@bp.route("/sms-inbox", methods=["GET"])
@bp.arguments(InboxArgs, location="query")
@bp.response(200, Inbox)
def sms_inbox(args):
    """开发短信收件箱：发往该手机号的最近20条短信（仅 SMS_SENDER=dev 时存在，否则404）"""
    return call("identity", "dev_sms_inbox", args["mobile"], authenticated=False)
