"""/api/v1/events (the event feed: every integration event in one gap-free sequence, within the
caller's jurisdiction) and /api/v1/webhooks (the platform admin's signed push deliveries), both served
by event_feed."""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import Documented, Int, Schema
from gateway.context import authorised_as, bearer_token, call
from shared.auth.tokens import FEED_TOKEN_PREFIX

bp = Blueprint("events", __name__, url_prefix="/api/v1",
               description="事件订阅：事件流水（按序号续读）与 Webhook 推送（event_feed）")

SERVICE = "event_feed"
TYPES_HELP = "事件类型，逗号分隔；可用 * 结尾的前缀，如 application.* 或 application.paid,unit.approved"


# -- request schemas ---------------------------------------------------------------------------
class FeedArgs(Schema):
    after = Int(load_default=0, validate=ma.validate.Range(min=0),
                metadata={"description": "从此序号之后读取（上一页的 next_after；首次为0）"})
    type = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500),
                            metadata={"description": TYPES_HELP})
    region = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"),
                              metadata={"description": "县区或市的行政区划代码（市含其各县区）"})
    limit = Int(load_default=100, validate=ma.validate.Range(min=1, max=500))


class WebhookForm(Schema):
    url = ma.fields.String(required=True, validate=ma.validate.Length(min=8, max=500),
                           metadata={"description": "接收地址，http:// 或 https://"})
    secret = ma.fields.String(load_default=None, validate=ma.validate.Length(min=16, max=200),
                              metadata={"description": "签名密钥（HMAC-SHA256）；不填则生成，仅在本次应答中显示"})
    types = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500),
                             metadata={"description": TYPES_HELP})
    region = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"))
    description = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    from_seq = Int(load_default=None, validate=ma.validate.Range(min=0),
                   metadata={"description": "从此序号之后开始推送（默认：只推送登记之后的新事件）"})


class FeedTokenForm(Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100),
                            metadata={"description": "对接方名称"})
    region = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"),
                              metadata={"description": "可读的县区或市（市含其各县区）；不填为全平台"})


class DisableForm(Schema):
    reason = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))


# -- response schemas --------------------------------------------------------------------------
class FeedItem(Documented):
    seq = Int(metadata={"description": "事件流水序号：连续、不重复、按提交顺序"})
    id = ma.fields.String(metadata={"description": "事件ID（去重用）"})
    type = ma.fields.String()
    region = ma.fields.String()
    city = ma.fields.String()
    subject = ma.fields.String()
    time = ma.fields.String()
    routing_key = ma.fields.String()
    received_at = ma.fields.String(allow_none=True)
    event = ma.fields.Dict(metadata={"description": "脱敏的事件信封（与 platform.events 上相同）"})


class FeedPage(Documented):
    items = ma.fields.List(ma.fields.Nested(FeedItem))
    next_after = Int(metadata={"description": "下一页的 after"})
    limit = Int()


class WebhookDelivery(Documented):
    id = ma.fields.String()
    seq = Int()
    event_id = ma.fields.String()
    event_type = ma.fields.String()
    status = ma.fields.String(metadata={"description": "pending 待投递、delivered 已送达、failed 已放弃"})
    attempts = Int()
    next_attempt_at = ma.fields.String(allow_none=True)
    delivered_at = ma.fields.String(allow_none=True)
    last_error = ma.fields.String(allow_none=True)
    attempt_log = ma.fields.List(ma.fields.Dict(), metadata={"description": "每次尝试：时间、状态码、耗时、错误"})


class Webhook(Documented):
    id = ma.fields.String()
    url = ma.fields.String()
    types = ma.fields.String(allow_none=True)
    region = ma.fields.String(allow_none=True)
    description = ma.fields.String(allow_none=True)
    enabled = ma.fields.Boolean()
    disabled_reason = ma.fields.String(allow_none=True, metadata={"description": "停用原因（持续失败或管理员停用）"})
    disabled_at = ma.fields.String(allow_none=True)
    cursor_seq = Int()
    created_at = ma.fields.String(allow_none=True)
    secret = ma.fields.String(metadata={"description": "仅在登记的应答中出现"})


class WebhookDetail(Webhook):
    deliveries = ma.fields.List(ma.fields.Nested(WebhookDelivery))


class FeedToken(Documented):
    id = ma.fields.String()
    name = ma.fields.String()
    region = ma.fields.String(allow_none=True)
    created_at = ma.fields.String(allow_none=True)
    revoked_at = ma.fields.String(allow_none=True)
    last_used_at = ma.fields.String(allow_none=True)
    token = ma.fields.String(metadata={"description": "仅在签发的应答中出现：Authorization: Bearer feed_..."})


class FeedTokenList(Documented):
    items = ma.fields.List(ma.fields.Nested(FeedToken))


class WebhookList(Documented):
    items = ma.fields.List(ma.fields.Nested(Webhook))


# -- routes ------------------------------------------------------------------------------------
@bp.route("/events", methods=["GET"])
@bp.arguments(FeedArgs, location="query")
@bp.response(200, FeedPage)
@authorised_as(SERVICE, "list_events")
def list_events(args):
    """事件流水：按序号续读本辖区的事件（县区看本县区，市看全市；对接方的只读令牌看其签发区划），每页给出 next_after"""
    if (bearer_token() or "").startswith(FEED_TOKEN_PREFIX):
        return _events_by_feed_token(args)
    return call(SERVICE, "list_events", args["after"], args["type"], args["region"], args["limit"])


def _events_by_feed_token(args):
    """An integrator's feed token is no account's JWT: event_feed itself checks it (401 if unknown or revoked)."""
    return call(SERVICE, "list_events_by_token", bearer_token(), args["after"], args["type"], args["region"],
                args["limit"], authenticated=False)


@bp.route("/feed-tokens", methods=["GET"])
@bp.response(200, FeedTokenList)
@authorised_as(SERVICE, "list_feed_tokens")
def list_feed_tokens():
    """对接方只读令牌列表（系统管理员）"""
    return call(SERVICE, "list_feed_tokens")


@bp.route("/feed-tokens", methods=["POST"])
@bp.arguments(FeedTokenForm)
@bp.response(201, FeedToken)
@authorised_as(SERVICE, "issue_feed_token")
def issue_feed_token(args):
    """签发对接方只读令牌（只能读事件流水；令牌仅显示这一次）"""
    return call(SERVICE, "issue_feed_token", args)


@bp.route("/feed-tokens/<token_id>/revoke", methods=["POST"])
@bp.response(200, FeedToken)
@authorised_as(SERVICE, "revoke_feed_token")
def revoke_feed_token(token_id):
    """吊销对接方只读令牌"""
    return call(SERVICE, "revoke_feed_token", token_id)


@bp.route("/webhooks", methods=["GET"])
@bp.response(200, WebhookList)
@authorised_as(SERVICE, "list_webhooks")
def list_webhooks():
    """Webhook 接收地址列表（系统管理员）"""
    return call(SERVICE, "list_webhooks")


@bp.route("/webhooks", methods=["POST"])
@bp.arguments(WebhookForm)
@bp.response(201, Webhook)
@authorised_as(SERVICE, "register_webhook")
def register_webhook(args):
    """登记 Webhook 接收地址：地址、签名密钥、事件类型与区划过滤"""
    return call(SERVICE, "register_webhook", args)


@bp.route("/webhooks/<webhook_id>", methods=["GET"])
@bp.response(200, WebhookDetail)
@authorised_as(SERVICE, "get_webhook")
def get_webhook(webhook_id):
    """Webhook 详情：最近的投递及每次尝试的记录"""
    return call(SERVICE, "get_webhook", webhook_id)


@bp.route("/webhooks/<webhook_id>/enable", methods=["POST"])
@bp.response(200, Webhook)
@authorised_as(SERVICE, "enable_webhook")
def enable_webhook(webhook_id):
    """启用（持续失败被停用后，修好接收端再启用）"""
    return call(SERVICE, "enable_webhook", webhook_id)


@bp.route("/webhooks/<webhook_id>/disable", methods=["POST"])
@bp.arguments(DisableForm)
@bp.response(200, Webhook)
@authorised_as(SERVICE, "disable_webhook")
def disable_webhook(args, webhook_id):
    """停用（可填原因）"""
    return call(SERVICE, "disable_webhook", webhook_id, args["reason"])


@bp.route("/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver", methods=["POST"])
@bp.response(201, WebhookDelivery)
@authorised_as(SERVICE, "redeliver_webhook")
def redeliver(webhook_id, delivery_id):
    """手工重新投递一次（新建一条投递，原记录保留）"""
    return call(SERVICE, "redeliver_webhook", webhook_id, delivery_id)
