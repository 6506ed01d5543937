"""identity's use cases. Each takes the unit of work (``tx``) first; the nameko class only wires them."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from identity import policy
from identity.adapters.orm import accounts, login_failures, refresh_tokens
from identity.domain.accounts import (
    check_initial_password,
    check_password,
    check_role_region,
    check_username,
)
from identity.passwords import hash_password, needs_rehash, verify_password
from shared import regions, throttle, validators
from shared.auth import revocation
from shared.auth.roles import Role
from shared.auth.tokens import TokenSigner
from shared.contracts.identity import ACCOUNT_LABELS
from shared.errors import Conflict, InvalidInput, NotFound, RateLimited, Unauthenticated
from shared.hardening import visible
from shared.pagination import narrowed, paginate
from shared.service import Tx


def _invalid_credentials() -> Unauthenticated:
    return Unauthenticated("用户名或密码错误", code="auth.invalid_credentials")


def _deactivated() -> Unauthenticated:
    return Unauthenticated("账号已注销，请联系管理员", code="auth.account_deactivated")


def _refresh_invalid() -> Unauthenticated:
    return Unauthenticated("登录已过期，请重新登录", code="auth.refresh_invalid")


def serialize(row: Any, now: datetime | None = None) -> dict:
    r = row._mapping if hasattr(row, "_mapping") else row
    role = Role(r["role"])
    locked = bool(r["locked_until"] and r["locked_until"] > (now or datetime.now(UTC)))
    status_label = (ACCOUNT_LABELS["deactivated"] if r["status"] != "active"
                    else "锁定" if locked else ACCOUNT_LABELS["active"])
    return {
        "id": r["id"], "username": r["username"], "role": r["role"], "role_label": role.label,
        "region": r["region"], "region_name": regions.full_name(r["region"]) if r["region"] else None,
        "unit_id": r["unit_id"], "name": r["name"], "mobile": r["mobile"], "email": r["email"],
        "status": r["status"], "status_label": status_label, "locked": locked,
        "locked_until": r["locked_until"].isoformat() if locked else None,
        "must_change_password": r["must_change_password"],
        "password_expires_at": r["password_expires_at"].isoformat() if r.get("password_expires_at") else None,
        "created_at": r["created_at"].isoformat() if r["created_at"] else None,
        "last_login_at": r["last_login_at"].isoformat() if r["last_login_at"] else None,
    }


def _load(tx: Tx, account_id: str, *, lock: bool = False):
    stmt = select(accounts).where(accounts.c.id == str(account_id))
    if lock:
        stmt = stmt.with_for_update()
    row = tx.session.execute(stmt).mappings().first()
    if row is None:
        raise NotFound("账号不存在", code="account.not_found")
    return row


load = _load


def username_taken(tx: Tx, username: str) -> bool:
    return tx.session.execute(select(accounts.c.id).where(
        func.lower(accounts.c.username) == username.lower())).first() is not None


def check_unit_id(unit_id: Any) -> str:
    try:
        return str(uuid.UUID(str(unit_id)))
    except ValueError:
        raise InvalidInput.field("unit_id", "account.unit_id_invalid", "单位编号格式不正确") from None


def check_new_password(password: str, username: str, field: str = "new_password", *,
                       previous_hash: str | None = None) -> str:
    """Strength rules beyond the domain's: never the username, never the password being replaced."""
    check_password(password, field)
    if username and username.lower() in password.lower():
        raise InvalidInput.field(field, "account.password_contains_username", "密码不能包含用户名")
    if previous_hash and verify_password(previous_hash, password):
        raise InvalidInput.field(field, "account.password_unchanged", "新密码不能与原密码（初始密码）相同")
    return password


def audit_view(row) -> dict:
    return {k: v for k, v in serialize(row).items() if k in ("status", "role", "region", "unit_id", "name",
                                                              "mobile", "email")}


def create_account(tx: Tx, data: dict) -> dict:
    """Create an account (platform admin; demo seeding; self-registration). Emits ``account.created``.

    ``initial_password`` (or the older ``must_change_password``): the password is handed out by the
    platform; its owner must replace it at first login (tokens carry ``pwc``; every service refuses
    everything but the change) before it expires (policy ``initial_password_days``)."""
    username = check_username(data.get("username", ""))
    initial = bool(data.get("initial_password") or data.get("must_change_password"))
    password = check_initial_password(data.get("password", "")) if initial else \
        check_new_password(data.get("password", ""), username, "password")
    role = data.get("role", "")
    region = check_role_region(role, data.get("region"))
    name = (data.get("name") or "").strip()
    if not 1 <= len(name) <= 50 or not visible(name):
        raise InvalidInput.field("name", "account.name_required", "请填写用户姓名（1-50字）")
    mobile = validators.mobile(data["mobile"]) if data.get("mobile") else None
    email = validators.email(data["email"]) if data.get("email") else None
    unit_id = check_unit_id(data["unit_id"]) if data.get("unit_id") else None
    if role in (Role.UNIT_ADMIN, Role.INDIVIDUAL) and unit_id is None and not data.get("allow_no_unit"):
        raise InvalidInput.field("unit_id", "account.unit_required", "单位账号和个人账号须属于一个单位")
    if username_taken(tx, username):
        raise Conflict("用户名已被使用", code="account.username_taken",
                       details={"fields": {"username": "用户名已被使用"}})
    account_id = data.get("id") or str(uuid.uuid4())
    tx.session.execute(insert(accounts).values(
        id=account_id, username=username, password_hash=hash_password(password), role=role, region=region,
        unit_id=unit_id, name=name, mobile=mobile, email=email,
        must_change_password=initial, password_expires_at=_initial_expiry(tx) if initial else None,
        created_at=tx.now, updated_at=tx.now))
    row = _load(tx, account_id)
    tx.emit("account.created", subject=account_id, region=region or "000000", data={
        "account_id": account_id, "username": username, "role": role, "region": region, "unit_id": unit_id,
        "name": name})
    tx.audit("account.create", "account", account_id, after=audit_view(row), region=region)
    return serialize(row)


def _initial_expiry(tx: Tx) -> datetime:
    return tx.now + timedelta(days=policy.load(tx.session)["initial_password_days"])


def _issue(tx: Tx, signer: TokenSigner, row, refresh_ttl: timedelta) -> dict:
    token, claims = signer.issue(account_id=row["id"], role=row["role"], region=row["region"],
                                 unit_id=row["unit_id"], name=row["name"], token_version=row["token_version"],
                                 password_change=bool(row["must_change_password"]))
    refresh = secrets.token_urlsafe(32)
    tx.session.execute(insert(refresh_tokens).values(
        id=str(uuid.uuid4()), account_id=row["id"], token_hash=_hash(refresh), access_jti=claims["jti"],
        expires_at=tx.now + refresh_ttl, created_at=tx.now))
    return {"access_token": token, "token_type": "Bearer", "expires_in": claims["exp"] - claims["iat"],
            "expires_at": claims["exp"], "refresh_token": refresh, "account": serialize(row)}


issue_tokens = _issue


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
    pol = policy.load(tx.session)
    window = timedelta(minutes=pol["login_ip_window_minutes"])
    ip_failures = tx.session.execute(select(login_failures.c.at).where(
        login_failures.c.ip == ip, login_failures.c.at > tx.now - window).order_by(login_failures.c.at)).scalars().all()
    wait = throttle.retry_after(ip_failures, pol["login_ip_max_failures"], window, tx.now)
    if wait is not None:
        raise _locked(f"登录失败次数过多，请{throttle.minutes(wait)}分钟后再试", "auth.too_many_failures", wait)
    lock = timedelta(minutes=pol["login_lock_minutes"])
    pair = tx.session.execute(select(login_failures.c.at).where(
        login_failures.c.username == key, login_failures.c.ip == ip, login_failures.c.at > tx.now - lock)
        .order_by(login_failures.c.at.desc()).limit(pol["login_max_failures"])).scalars().all()
    if len(pair) >= pol["login_max_failures"]:
        wait = max(1, int((pair[0] + lock - tx.now).total_seconds() + 0.999))   # the pause runs from the last failure
        raise _locked(f"连续登录失败次数过多，请{throttle.minutes(wait)}分钟后再试", "auth.locked", wait)
    row = tx.session.execute(select(accounts).where(func.lower(accounts.c.username) == key)
                             .with_for_update()).mappings().first()
    if row is None or not verify_password(row["password_hash"] if row else None, password):
        tx.session.execute(insert(login_failures).values(ip=ip, username=key, at=tx.now))
        if row is not None:
            failed = row["failed_logins"] + 1
            values: dict[str, Any] = {"failed_logins": failed}
            if len(pair) + 1 >= pol["login_max_failures"]:
                values["locked_until"] = tx.now + lock
                tx.emit("account.locked", subject=row["id"], region=row["region"] or "000000",
                        data={"account_id": row["id"], "until": values["locked_until"].isoformat()})
                tx.audit("account.locked", "account", row["id"], region=row["region"])
            tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(**values))
        raise _invalid_credentials()
    if row["status"] != "active":
        raise _deactivated()
    if row["must_change_password"] and row["password_expires_at"] and row["password_expires_at"] <= tx.now:
        raise Unauthenticated("初始密码已过期，请联系管理员重置密码", code="auth.initial_password_expired")
    values = {"failed_logins": 0, "locked_until": None, "last_login_at": tx.now}
    if needs_rehash(row["password_hash"]):
        values["password_hash"] = hash_password(password)
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(**values))
    tx.session.execute(login_failures.delete().where(login_failures.c.username == key, login_failures.c.ip == ip))
    return _issue(tx, signer, _load(tx, row["id"]), refresh_ttl)


def refresh(tx: Tx, signer: TokenSigner, refresh_token: str, refresh_ttl: timedelta) -> dict:
    """Rotate a refresh token. Reusing a rotated one revokes every session of the account (theft)."""
    row = tx.session.execute(select(refresh_tokens).where(
        refresh_tokens.c.token_hash == _hash(refresh_token or "")).with_for_update()).mappings().first()
    if row is None or row["expires_at"] <= tx.now:
        raise _refresh_invalid()
    if row["revoked_at"] is not None:
        # a rotated token used again: stolen, or the thief already used it. Every session of the account
        # ends at once — refresh tokens here, access tokens in every service (min token version event)
        account = _load(tx, row["account_id"], lock=True)
        version = _bump_token_version(tx, account)
        tx.emit("account.sessions_revoked", subject=account["id"], region=account["region"] or "000000", data={
            "account_id": account["id"], "min_token_version": version, "revoked_before": tx.now.isoformat(),
            "reason": "refresh_token_reuse"})
        tx.audit("session.refresh_reuse", "account", row["account_id"], region=account["region"])
        raise _refresh_invalid()  # after the commit (commit_on_error): the revocation stands
    account = _load(tx, row["account_id"])
    if account["status"] != "active":
        raise _deactivated()
    tx.session.execute(update(refresh_tokens).where(refresh_tokens.c.id == row["id"]).values(revoked_at=tx.now))
    return _issue(tx, signer, account, refresh_ttl)


def logout(tx: Tx) -> dict:
    """Revoke the caller's access token (every service learns it from ``session.revoked``) and its
    refresh token."""
    p = tx.principal
    expires = datetime.fromtimestamp(p.expires_at, tz=UTC) if p.expires_at else tx.now
    assert p.jti is not None  # a verified access token has its id
    revocation.revoke_token(tx.session, p.account_id, p.jti, expires)
    tx.session.execute(update(refresh_tokens).where(refresh_tokens.c.access_jti == p.jti,
                                                    refresh_tokens.c.revoked_at.is_(None)).values(revoked_at=tx.now))
    tx.emit("session.revoked", subject=p.account_id, region=p.region or "000000",
            data={"account_id": p.account_id, "jti": p.jti, "expires_at": expires.isoformat()})
    return {"ok": True}


def _bump_token_version(tx: Tx, row) -> int:
    version = row["token_version"] + 1
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(token_version=version,
                                                                                  updated_at=tx.now))
    revocation.raise_min_version(tx.session, row["id"], version)
    tx.session.execute(update(refresh_tokens).where(refresh_tokens.c.account_id == row["id"],
                                                    refresh_tokens.c.revoked_at.is_(None)).values(revoked_at=tx.now))
    return version


def set_status(tx: Tx, account_id: str, active: bool) -> dict:
    """Deactivate (注销) or reactivate (撤销注销) an account; deactivation revokes all its tokens."""
    row = _load(tx, account_id, lock=True)
    if row["id"] == tx.principal.account_id:
        raise Conflict("不能注销自己的账号", code="account.self_deactivation")
    target = "active" if active else "deactivated"
    if row["status"] == target:
        return serialize(row)
    before = audit_view(row)
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(status=target, updated_at=tx.now))
    region = row["region"] or "000000"
    if active:
        tx.emit("account.reactivated", subject=row["id"], region=region, data={"account_id": row["id"]})
    else:
        version = _bump_token_version(tx, row)
        tx.emit("account.deactivated", subject=row["id"], region=region, data={
            "account_id": row["id"], "min_token_version": version, "revoked_before": tx.now.isoformat()})
    after = _load(tx, row["id"])
    tx.audit("account.reactivate" if active else "account.deactivate", "account", row["id"],
             before=before, after=audit_view(after), region=row["region"])
    return serialize(after)


def change_password(tx: Tx, signer: TokenSigner, old: str, new: str, refresh_ttl: timedelta) -> dict:
    """The caller changes their own password; every earlier token is revoked, new ones are issued."""
    row = _load(tx, tx.principal.account_id, lock=True)
    if row["must_change_password"] and row["mobile"]:
        raise Conflict("首次登录请先获取短信验证码，再设置新密码", code="account.sms_required")
    if not verify_password(row["password_hash"], old or ""):
        raise InvalidInput.field("old_password", "account.old_password_wrong", "原密码不正确")
    check_new_password(new, row["username"], previous_hash=row["password_hash"])
    return _set_own_password(tx, signer, row, new, refresh_ttl)


def _set_own_password(tx: Tx, signer: TokenSigner, row, new: str, refresh_ttl: timedelta) -> dict:
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(
        password_hash=hash_password(new), must_change_password=False, password_expires_at=None))
    version = _bump_token_version(tx, row)
    tx.emit("account.password_changed", subject=row["id"], region=row["region"] or "000000", data={
        "account_id": row["id"], "min_token_version": version, "revoked_before": tx.now.isoformat()})
    tx.audit("account.password_change", "account", row["id"], region=row["region"])
    return _issue(tx, signer, _load(tx, row["id"]), refresh_ttl)


def first_login_change_password(tx: Tx, signer: TokenSigner, secret: bytes, sms_code: str, new: str,
                                refresh_ttl: timedelta) -> dict:
    """首次登录: an account with an initial password proves its mobile with an SMS code (purpose
    ``first_login``) and sets its own password; the new tokens carry no ``pwc``."""
    from identity import sms

    row = _load(tx, tx.principal.account_id, lock=True)
    if not row["must_change_password"]:
        raise Conflict("该账号无需修改初始密码", code="account.password_change_not_required")
    if not row["mobile"]:
        raise Conflict("账号未登记手机号码，请输入原密码修改", code="account.mobile_missing")
    check_new_password(new, row["username"], previous_hash=row["password_hash"])
    sms.consume(tx, secret, row["mobile"], "first_login", sms_code)
    return _set_own_password(tx, signer, row, new, refresh_ttl)


def first_login_mobile(tx: Tx) -> str:
    row = _load(tx, tx.principal.account_id)
    if not row["must_change_password"]:
        raise Conflict("该账号无需修改初始密码", code="account.password_change_not_required")
    if not row["mobile"]:
        raise Conflict("账号未登记手机号码，请输入原密码修改", code="account.mobile_missing")
    return row["mobile"]


def reset_password(tx: Tx, account_id: str, new: str) -> dict:
    """An admin sets a new password; the owner must change it at next login."""
    row = _load(tx, account_id, lock=True)
    check_initial_password(new, "new_password")
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(
        password_hash=hash_password(new), must_change_password=True, password_expires_at=_initial_expiry(tx)))
    version = _bump_token_version(tx, row)
    tx.emit("account.password_changed", subject=row["id"], region=row["region"] or "000000", data={
        "account_id": row["id"], "min_token_version": version, "revoked_before": tx.now.isoformat(),
        "by_admin": True})
    tx.audit("account.password_reset", "account", row["id"],
             before={"must_change_password": row["must_change_password"]},
             after={"must_change_password": True, "password_expires_at": _initial_expiry(tx).isoformat()},
             region=row["region"])
    return serialize(_load(tx, row["id"]))


def update_profile(tx: Tx, data: dict) -> dict:
    """账号管理: the caller edits their name and e-mail. The mobile changes only with a code sent to the new
    number (``identity.mobile_change``); sending it here unchanged is accepted (a form posts every field)."""
    row = _load(tx, tx.principal.account_id, lock=True)
    values: dict[str, Any] = {}
    if "name" in data:
        name = (data.get("name") or "").strip()
        if not 1 <= len(name) <= 50:
            raise InvalidInput.field("name", "account.name_required", "请填写用户姓名（1-50字）")
        values["name"] = name
    if "mobile" in data and (validators.mobile(data["mobile"]) if data.get("mobile") else None) != row["mobile"]:
        raise InvalidInput.field("mobile", "account.mobile_change_requires_code",
                                 "修改手机号码须验证新手机号，请使用“修改手机号”")
    if "email" in data:
        values["email"] = validators.email(data["email"]) if data.get("email") else None
    if values:
        before = audit_view(row)
        tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(**values, updated_at=tx.now))
        row = _load(tx, row["id"])
        tx.audit("account.profile_update", "account", row["id"], before=before, after=audit_view(row),
                 region=row["region"])
    return serialize(row)


def list_accounts(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    stmt = narrowed(select(accounts), filters,
                    equal={"role": accounts.c.role, "region": accounts.c.region, "status": accounts.c.status,
                           "unit_id": accounts.c.unit_id},
                    one_of={"roles": accounts.c.role}, search=(accounts.c.username, accounts.c.name))
    return paginate(tx.session, stmt.order_by(accounts.c.created_at, accounts.c.id), page, page_size,
                    lambda r: serialize(r._mapping, tx.now))


def get_account(tx: Tx, account_id: str) -> dict:
    return serialize(_load(tx, account_id), tx.now)
