"""Sessions: password login (with its throttling), token refresh (rotation, reuse detection) and
logout; the tokens they issue."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from identity.adapters.repository import (
    AccountRepository,
    LoginFailureRepository,
    PolicyRepository,
    SessionRepository,
)
from identity.passwords import hash_password, needs_rehash, verify_password
from identity.use_cases.accounts import bump_token_version, load, serialize, username_taken
from shared import throttle
from shared.auth.tokens import TokenSigner
from shared.errors import InvalidInput, RateLimited, Unauthenticated
from shared.service import Tx


def _invalid_credentials() -> Unauthenticated:
    return Unauthenticated("用户名或密码错误", code="auth.invalid_credentials")


def _deactivated() -> Unauthenticated:
    return Unauthenticated("账号已注销，请联系管理员", code="auth.account_deactivated")


def _refresh_invalid() -> Unauthenticated:
    return Unauthenticated("登录已过期，请重新登录", code="auth.refresh_invalid")


def issue_tokens(tx: Tx, signer: TokenSigner, row, refresh_ttl: timedelta) -> dict:
    token, claims = signer.issue(account_id=row["id"], role=row["role"], region=row["region"],
                                 unit_id=row["unit_id"], name=row["name"], token_version=row["token_version"],
                                 password_change=bool(row["must_change_password"]))
    refresh = secrets.token_urlsafe(32)
    tx.repository(SessionRepository).add(dict(
        id=str(uuid.uuid4()), account_id=row["id"], token_hash=_hash(refresh), access_jti=claims["jti"],
        expires_at=tx.now + refresh_ttl, created_at=tx.now))
    return {"access_token": token, "token_type": "Bearer", "expires_in": claims["exp"] - claims["iat"],
            "expires_at": claims["exp"], "refresh_token": refresh, "account": serialize(row)}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _locked(message: str, code: str, retry_after: int) -> RateLimited:
    return RateLimited(message, code=code, details={"retry_after": retry_after})


def login(tx: Tx, signer: TokenSigner, username: str, password: str, refresh_ttl: timedelta,
          client_ip: str | None = None) -> dict:
    """Password login. A failure raises after the failure record committed (``commit_on_error``).

    Throttling (numbers from the policy): an address with too many failures in the window gets 429 for
    every username; a (username, address) pair with 5 consecutive failures pauses for 15 minutes — for
    unknown usernames exactly as for real ones (the answer never tells whether an account exists), and
    only from that address (nobody can lock an owner out of their account from elsewhere). The
    account view shows 锁定 while such a pause lasts."""
    username = (username or "").strip()
    if not username or not password:
        raise InvalidInput("请输入用户名和密码", code="auth.credentials_required")
    ip = (client_ip or "unknown")[:45]
    if not username_taken(tx, username):  # a unit's 统一社会信用代码 / 组织机构代码 names its operator
        from identity import unit_logins
        username = unit_logins.username_for(tx, username) or username
    key = username.lower()[:50]
    pol = tx.repository(PolicyRepository).load()
    failures = tx.repository(LoginFailureRepository)
    window = timedelta(minutes=pol["login_ip_window_minutes"])
    ip_failures = failures.of_address(ip, tx.now - window)
    wait = throttle.retry_after(ip_failures, pol["login_ip_max_failures"], window, tx.now)
    if wait is not None:
        raise _locked(f"登录失败次数过多，请{throttle.minutes(wait)}分钟后再试", "auth.too_many_failures", wait)
    lock = timedelta(minutes=pol["login_lock_minutes"])
    pair = failures.of_pair(key, ip, tx.now - lock, pol["login_max_failures"])
    if len(pair) >= pol["login_max_failures"]:
        wait = max(1, int((pair[0] + lock - tx.now).total_seconds() + 0.999))   # the pause runs from the last failure
        raise _locked(f"连续登录失败次数过多，请{throttle.minutes(wait)}分钟后再试", "auth.locked", wait)
    row = tx.repository(AccountRepository).by_username(key, lock=True)
    if row is None or not verify_password(row["password_hash"] if row else None, password):
        failures.add(ip, key, tx.now)
        if row is not None:
            failed = row["failed_logins"] + 1
            values: dict[str, Any] = {"failed_logins": failed}
            if len(pair) + 1 >= pol["login_max_failures"]:
                values["locked_until"] = tx.now + lock
                tx.emit("account.locked", subject=row["id"], region=row["region"] or "000000",
                        data={"account_id": row["id"], "until": values["locked_until"].isoformat()})
                tx.audit("account.locked", "account", row["id"], region=row["region"])
            tx.repository(AccountRepository).update(row["id"], values)
        raise _invalid_credentials()
    if row["status"] != "active":
        raise _deactivated()
    if row["must_change_password"] and row["password_expires_at"] and row["password_expires_at"] <= tx.now:
        raise Unauthenticated("初始密码已过期，请联系管理员重置密码", code="auth.initial_password_expired")
    values = {"failed_logins": 0, "locked_until": None, "last_login_at": tx.now}
    if needs_rehash(row["password_hash"]):
        values["password_hash"] = hash_password(password)
    tx.repository(AccountRepository).update(row["id"], values)
    failures.clear(key, ip)
    return issue_tokens(tx, signer, load(tx, row["id"]), refresh_ttl)


def refresh(tx: Tx, signer: TokenSigner, refresh_token: str, refresh_ttl: timedelta) -> dict:
    """Rotate a refresh token. Reusing a rotated one revokes every session of the account (theft)."""
    sessions = tx.repository(SessionRepository)
    row = sessions.by_hash(_hash(refresh_token or ""), lock=True)
    if row is None or row["expires_at"] <= tx.now:
        raise _refresh_invalid()
    if row["revoked_at"] is not None:
        # a rotated token used again: stolen, or the thief already used it. Every session of the account
        # ends at once — refresh tokens here, access tokens in every service (min token version event)
        account = load(tx, row["account_id"], lock=True)
        version = bump_token_version(tx, account)
        tx.emit("account.sessions_revoked", subject=account["id"], region=account["region"] or "000000", data={
            "account_id": account["id"], "min_token_version": version, "revoked_before": tx.now.isoformat(),
            "reason": "refresh_token_reuse"})
        tx.audit("session.refresh_reuse", "account", row["account_id"], region=account["region"])
        raise _refresh_invalid()  # after the commit (commit_on_error): the revocation stands
    account = load(tx, row["account_id"])
    if account["status"] != "active":
        raise _deactivated()
    sessions.revoke(row["id"], tx.now)
    return issue_tokens(tx, signer, account, refresh_ttl)


def logout(tx: Tx) -> dict:
    """Revoke the caller's access token (every service learns it from ``session.revoked``) and its
    refresh token."""
    p = tx.principal
    expires = datetime.fromtimestamp(p.expires_at, tz=UTC) if p.expires_at else tx.now
    assert p.jti is not None  # a verified access token has its id
    tx.repository(SessionRepository).revoke_access(p.account_id, p.jti, expires, tx.now)
    tx.emit("session.revoked", subject=p.account_id, region=p.region or "000000",
            data={"account_id": p.account_id, "jti": p.jti, "expires_at": expires.isoformat()})
    return {"ok": True}
