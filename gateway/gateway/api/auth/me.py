"""The caller's own account: profile, mobile, password, the first login's change of password."""
from gateway.api.auth.common import bp
from gateway.api.auth.schemas import (
    Account,
    ChangeMobileArgs,
    FirstLoginArgs,
    FirstLoginCodeSent,
    NewMobileArgs,
    PasswordArgs,
    ProfileArgs,
    Tokens,
)
from gateway.context import authorised_as, call


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
