"""The caller's messages (站内消息): listed, marked read."""
import marshmallow as ma

from gateway.api.auth.common import bp
from gateway.api.schemas import Int, Schema
from gateway.context import authorised_as, call


class Message(Schema):
    id = ma.fields.String()
    kind = ma.fields.String()
    title = ma.fields.String()
    body = ma.fields.String()
    link = ma.fields.String(allow_none=True)
    created_at = ma.fields.String()
    read = ma.fields.Boolean()
    read_at = ma.fields.String(allow_none=True)


class MessagePage(Schema):
    items = ma.fields.List(ma.fields.Nested(Message))
    total = Int()
    page = Int()
    page_size = Int()
    unread = Int()


class MessageArgs(Schema):
    unread_only = ma.fields.Boolean(load_default=False)
    page = Int(load_default=1, validate=ma.validate.Range(min=1, max=10000))
    page_size = Int(load_default=20, validate=ma.validate.Range(min=1, max=100))


class Marked(Schema):
    marked = Int()
    unread = Int()


@bp.route("/messages", methods=["GET"])
@bp.arguments(MessageArgs, location="query")
@bp.response(200, MessagePage)
@authorised_as("identity", "my_messages")
def messages(args):
    """站内消息：退回、审核通过、拨付（请确认收款）等与本人有关的通知，含未读数"""
    return call("identity", "my_messages", args["unread_only"], args["page"], args["page_size"])


@bp.route("/messages/<message_id>/read", methods=["POST"])
@bp.response(200, Marked)
@authorised_as("identity", "mark_message_read")
def mark_read(message_id):
    """标记一条消息为已读"""
    return call("identity", "mark_message_read", message_id)


@bp.route("/messages/read-all", methods=["POST"])
@bp.response(200, Marked)
@authorised_as("identity", "mark_message_read")
def mark_all_read():
    """全部标记为已读"""
    return call("identity", "mark_message_read", None)
