"""/api/v1/auth and /api/v1/me: login, refresh, logout, the caller's own account (identity)."""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import Int
from gateway.context import call

bp = Blueprint("auth", __name__, url_prefix="/api/v1", description="登录与账号管理（identity）")


class Account(ma.Schema):
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
    must_change_password = ma.fields.Boolean()
    created_at = ma.fields.String(allow_none=True)
    last_login_at = ma.fields.String(allow_none=True)


class Tokens(ma.Schema):
    access_token = ma.fields.String()
    token_type = ma.fields.String()
    expires_in = Int()
    expires_at = Int()
    refresh_token = ma.fields.String()
    account = ma.fields.Nested(Account)


class LoginArgs(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))


class RefreshArgs(ma.Schema):
    refresh_token = ma.fields.String(required=True)


class ProfileArgs(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=50))
    mobile = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)


class PasswordArgs(ma.Schema):
    old_password = ma.fields.String(required=True)
    new_password = ma.fields.String(required=True)


class Ok(ma.Schema):
    ok = ma.fields.Boolean()


@bp.route("/auth/login", methods=["POST"])
@bp.arguments(LoginArgs)
@bp.response(200, Tokens)
def login(args):
    """普通登录：用户名和密码换取访问令牌（30分钟）与刷新令牌"""
    return call("identity", "login", args["username"], args["password"], authenticated=False)


@bp.route("/auth/refresh", methods=["POST"])
@bp.arguments(RefreshArgs)
@bp.response(200, Tokens)
def refresh(args):
    """用刷新令牌换取新的访问令牌（刷新令牌一次性使用）"""
    return call("identity", "refresh", args["refresh_token"], authenticated=False)


@bp.route("/auth/logout", methods=["POST"])
@bp.response(200, Ok)
def logout():
    """注销登录：当前令牌立即失效"""
    return call("identity", "logout")


@bp.route("/me", methods=["GET"])
@bp.response(200, Account)
def me():
    """当前账号"""
    return call("identity", "me")


@bp.route("/me", methods=["PUT"])
@bp.arguments(ProfileArgs)
@bp.response(200, Account)
def update_me(args):
    """账号管理：修改用户姓名、手机号码、电子邮箱"""
    return call("identity", "update_profile", args)


@bp.route("/me/password", methods=["POST"])
@bp.arguments(PasswordArgs)
@bp.response(200, Tokens)
def change_password(args):
    """修改密码：此前签发的令牌全部失效，返回新令牌"""
    return call("identity", "change_password", args["old_password"], args["new_password"])
