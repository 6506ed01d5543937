"""Login (password or SMS code), refresh and logout."""
from flask import request

from gateway.api.auth.common import bp
from gateway.api.auth.schemas import LoginArgs, Ok, RefreshArgs, SmsCodeArgs, SmsCodeSent, SmsLoginArgs, Tokens
from gateway.context import authorised_as, call


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
