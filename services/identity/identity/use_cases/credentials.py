"""Passwords changed: by their owner (with the old one, or an SMS code at first login) or reset by an admin."""
from __future__ import annotations

from datetime import timedelta

from identity.adapters.repository import AccountRepository
from identity.domain.accounts import check_initial_password
from identity.passwords import hash_password, verify_password
from identity.use_cases.accounts import bump_token_version, check_new_password, initial_expiry, load, serialize
from identity.use_cases.sessions import issue_tokens
from shared.auth.tokens import TokenSigner
from shared.errors import Conflict, InvalidInput
from shared.service import Tx


def change_password(tx: Tx, signer: TokenSigner, old: str, new: str, refresh_ttl: timedelta) -> dict:
    """The caller changes their own password; every earlier token is revoked, new ones are issued."""
    row = load(tx, tx.principal.account_id, lock=True)
    if row["must_change_password"] and row["mobile"]:
        raise Conflict("首次登录请先获取短信验证码，再设置新密码", code="account.sms_required")
    if not verify_password(row["password_hash"], old or ""):
        raise InvalidInput.field("old_password", "account.old_password_wrong", "原密码不正确")
    check_new_password(new, row["username"], previous_hash=row["password_hash"])
    return _set_own_password(tx, signer, row, new, refresh_ttl)


def _set_own_password(tx: Tx, signer: TokenSigner, row, new: str, refresh_ttl: timedelta) -> dict:
    tx.repository(AccountRepository).update(row["id"], {
        "password_hash": hash_password(new), "must_change_password": False, "password_expires_at": None})
    version = bump_token_version(tx, row)
    tx.emit("account.password_changed", subject=row["id"], region=row["region"] or "000000", data={
        "account_id": row["id"], "min_token_version": version, "revoked_before": tx.now.isoformat()})
    tx.audit("account.password_change", "account", row["id"], region=row["region"])
    return issue_tokens(tx, signer, load(tx, row["id"]), refresh_ttl)


def first_login_change_password(tx: Tx, signer: TokenSigner, secret: bytes, sms_code: str, new: str,
                                refresh_ttl: timedelta) -> dict:
    """首次登录: an account with an initial password proves its mobile with an SMS code (purpose
    ``first_login``) and sets its own password; the new tokens carry no ``pwc``."""
    from identity import sms

    row = load(tx, tx.principal.account_id, lock=True)
    if not row["must_change_password"]:
        raise Conflict("该账号无需修改初始密码", code="account.password_change_not_required")
    if not row["mobile"]:
        raise Conflict("账号未登记手机号码，请输入原密码修改", code="account.mobile_missing")
    check_new_password(new, row["username"], previous_hash=row["password_hash"])
    sms.consume(tx, secret, row["mobile"], "first_login", sms_code)
    return _set_own_password(tx, signer, row, new, refresh_ttl)


def first_login_mobile(tx: Tx) -> str:
    row = load(tx, tx.principal.account_id)
    if not row["must_change_password"]:
        raise Conflict("该账号无需修改初始密码", code="account.password_change_not_required")
    if not row["mobile"]:
        raise Conflict("账号未登记手机号码，请输入原密码修改", code="account.mobile_missing")
    return row["mobile"]


def reset_password(tx: Tx, account_id: str, new: str) -> dict:
    """An admin sets a new password; the owner must change it at next login."""
    row = load(tx, account_id, lock=True)
    check_initial_password(new, "new_password")
    tx.repository(AccountRepository).update(row["id"], {
        "password_hash": hash_password(new), "must_change_password": True, "password_expires_at": initial_expiry(tx)})
    version = bump_token_version(tx, row)
    tx.emit("account.password_changed", subject=row["id"], region=row["region"] or "000000", data={
        "account_id": row["id"], "min_token_version": version, "revoked_before": tx.now.isoformat(),
        "by_admin": True})
    tx.audit("account.password_reset", "account", row["id"],
             before={"must_change_password": row["must_change_password"]},
             after={"must_change_password": True, "password_expires_at": initial_expiry(tx).isoformat()},
             region=row["region"])
    return serialize(load(tx, row["id"]))
