"""/api/v1/registrations: 单位注册 and 个人注册 from the login page, without an account yet.

Each is three calls, in an order where a refusal changes nothing:
1. the owning service's dry run (``unit_registry.check_unit_registration`` /
   ``check_individual_registration``): invalid or duplicate data is refused before any account exists;
2. ``identity.register_account`` (the mobile proven by an SMS code of purpose ``register``), role
   ``unit_admin`` with a unit id chosen here, or ``individual`` with the chosen approved unit;
3. with the new account's token, ``unit_registry.register_unit`` (pending, for the county HRSS of its
   主管部门) or ``register_individual`` (pending, for the unit).
If step 3 fails after the account exists (a concurrent twin took the USCC or the ID number between the
dry run and the insert), the account can log in and submit again from the portal; the answer says so.
"""
from __future__ import annotations

import uuid

import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.auth import Account
from gateway.api.registry import Individual, IndividualRegistration, UnitData, UnitDetail
from gateway.api.schemas import Int, Schema
from gateway.context import authorised_in_call, call
from shared.errors import PlatformError

bp = Blueprint("registration", __name__, url_prefix="/api/v1", description="自助注册：单位注册、个人注册（无需登录）")


class Terms(Schema):
    kind = ma.fields.String()
    version = ma.fields.String()
    title = ma.fields.String()
    body = ma.fields.String()
    effective_from = ma.fields.String()


class AccountData(Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50),
                            metadata={"description": "用户姓名"})
    mobile = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    email = ma.fields.String(load_default=None, allow_none=True)
    sms_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10), metadata={
        "description": "发往该手机号的验证码（POST /auth/sms-codes，purpose=register）"})


class UnitRegistration(Schema):
    account = ma.fields.Nested(AccountData, required=True, metadata={"description": "单位账号信息（日后登录用）"})
    unit = ma.fields.Nested(UnitData, required=True, metadata={"description": "单位基本信息与单位材料"})


class PersonRegistration(Schema):
    account = ma.fields.Nested(AccountData, required=True)
    unit_id = ma.fields.String(required=True,
                               metadata={"description": "所在单位（GET /public/units 中已审核通过的单位）"})
    registration = ma.fields.Nested(IndividualRegistration, required=True,
                                    metadata={"description": "个人信息、银行账户与证明材料（attachment_ids）"})


class Registered(Schema):
    account = ma.fields.Nested(Account)
    access_token = ma.fields.String()
    refresh_token = ma.fields.String()
    expires_at = Int()
    token_type = ma.fields.String()
    expires_in = Int()


class UnitRegistered(Registered):
    unit = ma.fields.Nested(UnitDetail)


class PersonRegistered(Registered):
    individual = ma.fields.Nested(Individual)


def _account_part(account: dict, role: str, unit_id: str) -> dict:
    return {**account, "role": role, "unit_id": unit_id}


def _part(part: str, service: str, method: str, *args, **kwargs):
    """One step of a registration; a refusal says which part of the body it is about (``details.part``),
    so a form can show a field's error next to ``<part>.<field>``."""
    try:
        return call(service, method, *args, **kwargs)
    except PlatformError as exc:
        exc.details = {**(exc.details or {}), "part": part}
        raise


def _after_account(exc: PlatformError, message: str) -> PlatformError:
    exc.details = {**(exc.details or {}), "account_created": True}
    exc.message = exc.message + message
    return exc


def register_unit_flow(body: dict) -> dict:
    """The three steps of 单位注册; returns identity's token answer with the unit."""
    _part("unit", "unit_registry", "check_unit_registration", body["unit"], authenticated=False)
    unit_id = str(uuid.uuid4())
    tokens = _part("account", "identity", "register_account",
                   _account_part(body["account"], "unit_admin", unit_id), authenticated=False)
    try:
        unit = _part("unit", "unit_registry", "register_unit", unit_id, body["unit"], token=tokens["access_token"])
    except PlatformError as exc:
        raise _after_account(exc, "（账号已创建，请登录后重新提交单位信息）") from None
    return {**tokens, "unit": unit}


def register_individual_flow(body: dict) -> dict:
    """The three steps of 个人注册; returns identity's token answer with the registration."""
    _part("registration", "unit_registry", "check_individual_registration", body["unit_id"], body["registration"],
          authenticated=False)
    tokens = _part("account", "identity", "register_account",
                   _account_part(body["account"], "individual", body["unit_id"]), authenticated=False)
    try:
        person = _part("registration", "unit_registry", "register_individual", body["registration"],
                       token=tokens["access_token"])
    except PlatformError as exc:
        raise _after_account(exc, "（账号已创建，请登录后在“个人注册”中重新提交）") from None
    return {**tokens, "individual": person}


@bp.route("/public/terms/<kind>", methods=["GET"])
@bp.response(200, Terms)
@bp.doc(security=[])
def current_terms(kind):
    """用户须知（unit：单位注册；individual：个人注册），注册时须同意当前版本"""
    return call("unit_registry", "current_terms", kind, authenticated=False)


@bp.route("/registrations/unit", methods=["POST"])
@bp.arguments(UnitRegistration)
@bp.response(201, UnitRegistered)
@bp.doc(security=[])
@authorised_in_call("public: the token is the one this route's new account receives")
def register_unit(args):
    """单位注册：单位账号（短信验证码验证手机号）+ 单位基本信息 + 单位材料，提交后待主管部门（县区人社局）审核；
    待审核期间可登录查看审核状态和审核意见"""
    return register_unit_flow(args)


@bp.route("/registrations/individual", methods=["POST"])
@bp.arguments(PersonRegistration)
@bp.response(201, PersonRegistered)
@bp.doc(security=[])
@authorised_in_call("public: the token is the one this route's new account receives")
def register_individual(args):
    """个人注册：个人账号（短信验证码验证手机号）+ 选择已审核通过的所在单位 + 个人信息与证明材料，提交后待单位审核"""
    return register_individual_flow(args)
