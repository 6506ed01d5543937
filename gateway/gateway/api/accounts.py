"""/api/v1/accounts: account administration (identity) by the platform admin, and by a unit's operator
(unit_admin) for the accounts of its own unit (信息维护-账号管理; another unit's account is 404)."""
import uuid

import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.auth import Account
from gateway.api.schemas import Int, PageArgs, Schema, list_args, page_of
from gateway.context import authorised_as, call
from shared.errors import InvalidInput, NotFound

bp = Blueprint("accounts", __name__, url_prefix="/api/v1/accounts",
               description="账号管理（系统管理员；单位经办人管理本单位账号）")

ROLES = ["individual", "unit_admin", "county_hrss", "county_org", "city_hrss", "city_org", "city_finance",
         "county_finance", "housing_bureau", "sys_admin"]


class AccountFilter(PageArgs):
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    region = ma.fields.String(validate=ma.validate.Regexp(r"^\d{6}$"))
    status = ma.fields.String(validate=ma.validate.OneOf(["active", "deactivated"]))
    unit_id = ma.fields.String()


class NewAccount(Schema):
    username = ma.fields.String(required=True)
    password = ma.fields.String(required=True)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))
    name = ma.fields.String(required=True)
    region = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String(allow_none=True)
    mobile = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    must_change_password = ma.fields.Boolean(load_default=True)


class AccountEdit(Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=50))
    mobile = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)


class PasswordReset(Schema):
    new_password = ma.fields.String(required=True)


@bp.route("", methods=["GET"])
@bp.arguments(AccountFilter, location="query")
@bp.response(200, page_of(Account))
@authorised_as("identity", "list_accounts")
def list_accounts(args):
    """账号列表（分页、按角色/区划/状态筛选、按用户名或姓名搜索）"""
    return call("identity", "list_accounts", *list_args(args))


@bp.route("", methods=["POST"])
@bp.arguments(NewAccount)
@bp.response(201, Account)
@authorised_as("identity", "create_account")
def create_account(args):
    """新建账号（工作人员账号；个人账号须通过个人注册自助开通）"""
    if args["role"] == "individual":
        raise InvalidInput.field("role", "account.self_registration_required",
                                 "个人账号须由本人在登录页“个人注册”中自助注册")
    """新建账号（单位经办人和个人账号的 unit_id 须为已登记的单位：网关先向 unit_registry 核实，
    identity 只校验格式）"""
    if args.get("unit_id") and args.get("role") in UNIT_ROLES:
        check_unit_exists(args["unit_id"])
    return call("identity", "create_account", args)


UNIT_ROLES = ("unit_admin", "individual")


def check_unit_exists(unit_id: str) -> None:
    """identity holds no units: the unit of a new unit or individual account is checked with
    unit_registry first; malformed or unknown -> 400 on ``unit_id``."""
    try:
        uuid.UUID(str(unit_id))
    except ValueError:
        raise InvalidInput.field("unit_id", "account.unit_id_invalid", "单位编号格式不正确") from None
    try:
        call("unit_registry", "get_unit", str(unit_id))
    except NotFound:
        raise InvalidInput.field("unit_id", "account.unit_unknown", "单位不存在") from None


@bp.route("/<account_id>", methods=["GET"])
@bp.response(200, Account)
@authorised_as("identity", "get_account")
def get_account(account_id):
    return call("identity", "get_account", account_id)


@bp.route("/<account_id>", methods=["PUT"])
@bp.arguments(AccountEdit)
@bp.response(200, Account)
@authorised_as("identity", "update_account")
def update_account(args, account_id):
    """修改账号信息（用户姓名、手机号码、电子邮箱）"""
    return call("identity", "update_account", account_id, args)


@bp.route("/<account_id>/deactivate", methods=["POST"])
@bp.response(200, Account)
@authorised_as("identity", "deactivate_account")
def deactivate(account_id):
    """注销账号：其令牌在所有服务中立即失效"""
    return call("identity", "deactivate_account", account_id)


@bp.route("/<account_id>/reactivate", methods=["POST"])
@bp.response(200, Account)
@authorised_as("identity", "reactivate_account")
def reactivate(account_id):
    """撤销注销"""
    return call("identity", "reactivate_account", account_id)


@bp.route("/<account_id>/reset-password", methods=["POST"])
@bp.arguments(PasswordReset)
@bp.response(200, Account)
@authorised_as("identity", "reset_password")
def reset_password(args, account_id):
    """修改密码（设置初始密码）：账号下次登录须修改密码，此前的令牌全部失效"""
    return call("identity", "reset_password", account_id, args["new_password"])


policy_bp = Blueprint("identity_policy", __name__, url_prefix="/api/v1/identity-policy",
                      description="身份认证策略（验证码有效期与次数、初始密码有效期、登录失败限制；系统管理员）")


class PolicyItem(Schema):
    key = ma.fields.String()
    value = ma.fields.Raw()
    default = ma.fields.Raw()
    min = Int()
    max = Int()
    label = ma.fields.String()


class PolicyList(Schema):
    items = ma.fields.List(ma.fields.Nested(PolicyItem))


@policy_bp.route("", methods=["GET"])
@policy_bp.response(200, PolicyList)
@authorised_as("identity", "get_policy")
def get_policy():
    """身份认证策略的当前取值"""
    return call("identity", "get_policy")


@policy_bp.route("", methods=["PUT"])
@policy_bp.arguments(ma.Schema.from_dict({}, name="PolicyChanges")(unknown=ma.INCLUDE))
@policy_bp.response(200, PolicyList)
@authorised_as("identity", "set_policy")
def set_policy(args):
    """修改身份认证策略（按项，超出范围400）"""
    return call("identity", "set_policy", args)
