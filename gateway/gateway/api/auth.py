"""/api/v1/auth and /api/v1/me: login, refresh, logout, the caller's own account (identity)."""
import marshmallow as ma
from flask import request
from flask_smorest import Blueprint

from gateway.api.schemas import Int, Schema
from gateway.context import authorised_as, call

bp = Blueprint("auth", __name__, url_prefix="/api/v1", description="登录与账号管理（identity）")


class Account(Schema):
    id = ma.fields.String()
    username = ma.fields.String()
    role = ma.fields.String()
    role_label = ma.fields.String()
    region = ma.fields.String(allow_none=True)
    region_name = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    mobile = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    status_label = ma.fields.String()
    locked = ma.fields.Boolean()
    locked_until = ma.fields.String(allow_none=True)
    must_change_password = ma.fields.Boolean()
    password_expires_at = ma.fields.String(allow_none=True)
    created_at = ma.fields.String(allow_none=True)
    last_login_at = ma.fields.String(allow_none=True)


class Tokens(Schema):
    access_token = ma.fields.String()
    token_type = ma.fields.String()
    expires_in = Int()
    expires_at = Int()
    refresh_token = ma.fields.String()
    account = ma.fields.Nested(Account)


class LoginArgs(Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))


class RefreshArgs(Schema):
    refresh_token = ma.fields.String(required=True)


class ProfileArgs(Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=50))
    mobile = ma.fields.String(allow_none=True, metadata={
        "description": "只读：须与当前手机号相同（修改手机号请用 POST /me/mobile，否则 400 "
                       "account.mobile_change_requires_code）"})
    email = ma.fields.String(allow_none=True)


class NewMobileArgs(Schema):
    mobile = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20),
                              metadata={"description": "新手机号码（验证码发往该号码）"})


class ChangeMobileArgs(NewMobileArgs):
    sms_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10),
                                metadata={"description": "发往新手机号的验证码（POST /me/mobile/sms-code）"})
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128),
                                metadata={"description": "当前登录密码"})


class PasswordArgs(Schema):
    old_password = ma.fields.String(required=True)
    new_password = ma.fields.String(required=True)


SMS_PURPOSES = ["login", "register", "first_login", "change_mobile", "employer_register"]


class SmsCodeArgs(Schema):
    mobile = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    purpose = ma.fields.String(required=True, validate=ma.validate.OneOf(SMS_PURPOSES))


class SmsCodeSent(Schema):
    sent = ma.fields.Boolean()
    expires_in = Int()
    retry_after = Int()


class SmsLoginArgs(Schema):
    mobile = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10))
    username = ma.fields.String(validate=ma.validate.Length(min=1, max=50))


class FirstLoginArgs(Schema):
    sms_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10))
    new_password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))


class FirstLoginCodeSent(SmsCodeSent):
    mobile = ma.fields.String()


class Ok(Schema):
    ok = ma.fields.Boolean()


@bp.route("/auth/login", methods=["POST"])
@bp.doc(security=[])  # public: no token
@bp.arguments(LoginArgs)
@bp.response(200, Tokens)
def login(args):
    """普通登录：用户名和密码换取访问令牌（30分钟）与刷新令牌。

    同一地址失败过多，或同一用户名在同一地址连续失败5次：429（带 Retry-After）。"""
    return call("identity", "login", args["username"], args["password"], request.remote_addr, authenticated=False)


@bp.route("/auth/sms-codes", methods=["POST"])
@bp.doc(security=[])  # public: no token
@bp.arguments(SmsCodeArgs)
@bp.response(200, SmsCodeSent)
def send_sms_code(args):
    """获取短信验证码（6位，5分钟内有效，一次有效；同一手机号60秒内1次、24小时内10次；超限429并带 Retry-After）"""
    return call("identity", "send_sms_code", args["mobile"], args["purpose"], authenticated=False)


@bp.route("/auth/sms-login", methods=["POST"])
@bp.doc(security=[])  # public: no token
@bp.arguments(SmsLoginArgs)
@bp.response(200, Tokens)
def sms_login(args):
    """短信登录：手机号和验证码（用途 login）换取令牌；一个手机号绑定多个账号时须同时给出用户名"""
    return call("identity", "sms_login", args["mobile"], args["code"], args.get("username"),
                authenticated=False)


@bp.route("/auth/refresh", methods=["POST"])
@bp.doc(security=[])  # public: no token
@bp.arguments(RefreshArgs)
@bp.response(200, Tokens)
def refresh(args):
    """用刷新令牌换取新的访问令牌（刷新令牌一次性使用）"""
    return call("identity", "refresh", args["refresh_token"], authenticated=False)


@bp.route("/auth/logout", methods=["POST"])
@bp.response(200, Ok)
@authorised_as("identity", "logout")
def logout():
    """注销登录：当前令牌立即失效"""
    return call("identity", "logout")


@bp.route("/me", methods=["GET"])
@bp.response(200, Account)
@authorised_as("identity", "me")
def me():
    """当前账号"""
    return call("identity", "me")


@bp.route("/me", methods=["PUT"])
@bp.arguments(ProfileArgs)
@bp.response(200, Account)
@authorised_as("identity", "update_profile")
def update_me(args):
    """账号管理：修改用户姓名、手机号码、电子邮箱"""
    return call("identity", "update_profile", args)


@bp.route("/me/mobile/sms-code", methods=["POST"])
@bp.arguments(NewMobileArgs)
@bp.response(200, FirstLoginCodeSent)
@authorised_as("identity", "send_change_mobile_code")
def send_change_mobile_code(args):
    """修改手机号：向新手机号发送验证码（新号码须格式正确且不同于当前号码；每号60秒1次、24小时10次）"""
    return call("identity", "send_change_mobile_code", args["mobile"])


@bp.route("/me/mobile", methods=["POST"])
@bp.arguments(ChangeMobileArgs)
@bp.response(200, Account)
@authorised_as("identity", "change_mobile")
def change_mobile(args):
    """修改手机号：新手机号 + 发往新号码的验证码 + 当前登录密码；原手机号此后不能再用于短信登录"""
    return call("identity", "change_mobile", args["mobile"], args["sms_code"], args["password"])


@bp.route("/me/password", methods=["POST"])
@bp.arguments(PasswordArgs)
@bp.response(200, Tokens)
@authorised_as("identity", "change_password")
def change_password(args):
    """修改密码：此前签发的令牌全部失效，返回新令牌"""
    return call("identity", "change_password", args["old_password"], args["new_password"])


@bp.route("/me/first-login/sms-code", methods=["POST"])
@bp.response(200, FirstLoginCodeSent)
@authorised_as("identity", "send_first_login_code")
def send_first_login_code():
    """首次登录：向本账号登记的手机号发送验证码（初始密码账号）"""
    return call("identity", "send_first_login_code")


@bp.route("/me/first-login", methods=["POST"])
@bp.arguments(FirstLoginArgs)
@bp.response(200, Tokens)
@authorised_as("identity", "first_login_change_password")
def first_login(args):
    """首次登录修改初始密码：短信验证码 + 新密码，返回新令牌（此前的令牌全部失效）"""
    return call("identity", "first_login_change_password", args["sms_code"], args["new_password"])


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
