"""Self-service with an SMS code: 短信登录 and self-registration (个人注册 / 单位注册, account part)."""
from __future__ import annotations

from datetime import timedelta

from identity import sms, use_cases
from identity.adapters.repository import AccountRepository
from identity.domain.accounts import check_password, check_username
from shared import validators
from shared.auth.roles import Role
from shared.auth.tokens import TokenSigner
from shared.errors import Conflict, InvalidInput
from shared.service import Tx

SELF_REGISTER_ROLES = (Role.UNIT_ADMIN, Role.INDIVIDUAL)


def sms_login(tx: Tx, signer: TokenSigner, secret: bytes, mobile: str, code: str, refresh_ttl: timedelta,
              username: str | None = None) -> dict:
    """短信登录: the active account bound to ``mobile`` (and ``username`` when several share it)."""
    mobile = validators.mobile(mobile)
    candidates = tx.repository(AccountRepository).active_of_mobile(mobile, username, lock=True)
    if len(candidates) > 1:
        # asked before the code is used, so the user can add the username and keep the code
        raise Conflict("该手机号绑定了多个账号，请同时输入用户名", code="auth.mobile_ambiguous",
                       details={"fields": {"username": "请输入用户名"}})
    sms.consume(tx, secret, mobile, "login", code)
    if not candidates:
        raise sms.error("auth.sms_no_account", "该手机号未绑定可用的账号", 401, "mobile")
    row = candidates[0]
    tx.repository(AccountRepository).update(row["id"], {"failed_logins": 0, "locked_until": None,
                                                        "last_login_at": tx.now})
    tx.audit("session.sms_login", "account", row["id"], region=row["region"])
    return use_cases.issue_tokens(tx, signer, use_cases.load(tx, row["id"]), refresh_ttl)


def register_account(tx: Tx, signer: TokenSigner, secret: bytes, data: dict, refresh_ttl: timedelta) -> dict:
    """个人注册 / 单位注册 (account part): the mobile is proven by an SMS code of purpose ``register``.
    Everything is checked before the code is used; the account and the code's use commit together."""
    data = data if isinstance(data, dict) else {}
    role = data.get("role")
    if role not in SELF_REGISTER_ROLES:
        raise InvalidInput.field("role", "account.role_not_self_service", "只能注册单位经办人或个人账号")
    username = check_username(data.get("username", ""))
    password = check_password(data.get("password", ""))
    if not data.get("mobile"):
        raise InvalidInput.field("mobile", "mobile.required", "请填写手机号码")
    mobile = validators.mobile(data["mobile"])
    if not data.get("unit_id"):
        raise InvalidInput.field("unit_id", "account.unit_required", "请选择所在单位")
    use_cases.check_unit_id(data["unit_id"])
    use_cases.check_new_password(password, username, field="password")
    if use_cases.username_taken(tx, username):
        raise Conflict("用户名已被使用", code="account.username_taken",
                       details={"fields": {"username": "用户名已被使用"}})
    sms.consume(tx, secret, mobile, "register", data.get("sms_code"))
    # the account's session opens with it (last_login_at set in the insert, the tokens from the stored row);
    # its audit row goes last: the audit chain's lock is held from that write to the commit
    row = use_cases.add_account(tx, {
        "username": username, "password": password, "role": role, "name": data.get("name"), "mobile": mobile,
        "email": data.get("email"), "unit_id": data["unit_id"], "must_change_password": False},
        username_checked=True, last_login_at=tx.now)
    tokens = use_cases.issue_tokens(tx, signer, row, refresh_ttl)
    use_cases.audit_created(tx, row)
    return tokens
