"""identity's use cases. Each takes the unit of work (``tx``) first; the nameko class only wires them."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from identity.adapters.orm import accounts, refresh_tokens
from identity.domain.accounts import after_failed_login, check_password, check_role_region, check_username
from identity.passwords import hash_password, needs_rehash, verify_password
from shared import regions, validators
from shared.auth import revocation
from shared.auth.roles import Role
from shared.auth.tokens import TokenSigner
from shared.errors import Conflict, InvalidInput, NotFound
from shared.hardening import visible
from shared.pagination import like_pattern, paginate

INVALID_CREDENTIALS = {"status": 401, "code": "auth.invalid_credentials", "message": "用户名或密码错误"}


def serialize(row: Any) -> dict:
    r = row._mapping if hasattr(row, "_mapping") else row
    role = Role(r["role"])
    return {
        "id": r["id"], "username": r["username"], "role": r["role"], "role_label": role.label,
        "region": r["region"], "region_name": regions.full_name(r["region"]) if r["region"] else None,
        "unit_id": r["unit_id"], "name": r["name"], "mobile": r["mobile"], "email": r["email"],
        "status": r["status"], "status_label": "正常" if r["status"] == "active" else "已注销",
        "must_change_password": r["must_change_password"],
        "created_at": r["created_at"].isoformat() if r["created_at"] else None,
        "last_login_at": r["last_login_at"].isoformat() if r["last_login_at"] else None,
    }


def _load(tx, account_id: str, *, lock: bool = False):
    stmt = select(accounts).where(accounts.c.id == str(account_id))
    if lock:
        stmt = stmt.with_for_update()
    row = tx.session.execute(stmt).mappings().first()
    if row is None:
        raise NotFound("账号不存在", code="account.not_found")
    return row


def _audit_view(row) -> dict:
    return {k: v for k, v in serialize(row).items() if k in ("status", "role", "region", "unit_id", "name",
                                                              "mobile", "email")}


def create_account(tx, data: dict) -> dict:
    """Create an account (platform admin; demo seeding). Emits ``account.created``."""
    username = check_username(data.get("username", ""))
    password = check_password(data.get("password", ""))
    role = data.get("role", "")
    region = check_role_region(role, data.get("region"))
    name = (data.get("name") or "").strip()
    if not 1 <= len(name) <= 50 or not visible(name):
        raise InvalidInput.field("name", "account.name_required", "请填写用户姓名（1-50字）")
    mobile = validators.mobile(data["mobile"]) if data.get("mobile") else None
    email = validators.email(data["email"]) if data.get("email") else None
    unit_id = data.get("unit_id") or None
    if unit_id is not None and role in (Role.UNIT_ADMIN, Role.INDIVIDUAL):
        # line A units have uuids; whether the unit exists is unit_registry's to say (the gateway asks)
        try:
            unit_id = str(uuid.UUID(str(unit_id)))
        except ValueError:
            raise InvalidInput.field("unit_id", "account.unit_id_invalid", "单位编号格式不正确") from None
    if role in (Role.UNIT_ADMIN, Role.INDIVIDUAL) and unit_id is None and not data.get("allow_no_unit"):
        raise InvalidInput.field("unit_id", "account.unit_required", "单位账号和个人账号须属于一个单位")
    taken = tx.session.execute(select(accounts.c.id).where(
        func.lower(accounts.c.username) == username.lower())).first()
    if taken:
        raise Conflict("用户名已被使用", code="account.username_taken",
                       details={"fields": {"username": "用户名已被使用"}})
    account_id = data.get("id") or str(uuid.uuid4())
    tx.session.execute(insert(accounts).values(
        id=account_id, username=username, password_hash=hash_password(password), role=role, region=region,
        unit_id=unit_id, name=name, mobile=mobile, email=email,
        must_change_password=bool(data.get("must_change_password", False)), created_at=tx.now, updated_at=tx.now))
    row = _load(tx, account_id)
    tx.emit("account.created", subject=account_id, region=region or "000000", data={
        "account_id": account_id, "username": username, "role": role, "region": region, "unit_id": unit_id,
        "name": name})
    tx.audit("account.create", "account", account_id, after=_audit_view(row), region=region)
    return serialize(row)


def _issue(tx, signer: TokenSigner, row, refresh_ttl: timedelta) -> dict:
    token, claims = signer.issue(account_id=row["id"], role=row["role"], region=row["region"],
                                 unit_id=row["unit_id"], name=row["name"], token_version=row["token_version"])
    refresh = secrets.token_urlsafe(32)
    tx.session.execute(insert(refresh_tokens).values(
        id=str(uuid.uuid4()), account_id=row["id"], token_hash=_hash(refresh), access_jti=claims["jti"],
        expires_at=tx.now + refresh_ttl, created_at=tx.now))
    return {"access_token": token, "token_type": "Bearer", "expires_in": claims["exp"] - claims["iat"],
            "expires_at": claims["exp"], "refresh_token": refresh, "account": serialize(row)}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(tx, signer: TokenSigner, username: str, password: str, refresh_ttl: timedelta) -> dict:
    """Password login. A failure is *returned* (as ``{"error": ...}``) so that the failed-login
    counter and the lock commit; the entrypoint raises it after the commit."""
    username = (username or "").strip()
    if not username or not password:
        return {"error": {"status": 400, "code": "auth.credentials_required", "message": "请输入用户名和密码"}}
    row = tx.session.execute(select(accounts).where(func.lower(accounts.c.username) == username.lower())
                             .with_for_update()).mappings().first()
    if row is None:
        verify_password(None, password)  # same work as for a real account
        return {"error": INVALID_CREDENTIALS}
    if row["locked_until"] and row["locked_until"] > tx.now:
        minutes = max(1, int((row["locked_until"] - tx.now).total_seconds() // 60) + 1)
        return {"error": {"status": 429, "code": "auth.locked",
                          "message": f"连续登录失败次数过多，账号已锁定，请{minutes}分钟后再试"}}
    if not verify_password(row["password_hash"], password):
        outcome = after_failed_login(row["failed_logins"], tx.now)
        tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(
            failed_logins=outcome.failed_logins, locked_until=outcome.locked_until))
        if outcome.locked_until:
            tx.emit("account.locked", subject=row["id"], region=row["region"] or "000000",
                    data={"account_id": row["id"], "until": outcome.locked_until.isoformat()})
            tx.audit("account.locked", "account", row["id"], region=row["region"])
        return {"error": INVALID_CREDENTIALS}
    if row["status"] != "active":
        return {"error": {"status": 401, "code": "auth.account_deactivated", "message": "账号已注销，请联系管理员"}}
    values = {"failed_logins": 0, "locked_until": None, "last_login_at": tx.now}
    if needs_rehash(row["password_hash"]):
        values["password_hash"] = hash_password(password)
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(**values))
    return _issue(tx, signer, _load(tx, row["id"]), refresh_ttl)


def refresh(tx, signer: TokenSigner, refresh_token: str, refresh_ttl: timedelta) -> dict:
    """Rotate a refresh token. Reusing a rotated one revokes every session of the account (theft)."""
    row = tx.session.execute(select(refresh_tokens).where(
        refresh_tokens.c.token_hash == _hash(refresh_token or "")).with_for_update()).mappings().first()
    if row is None or row["expires_at"] <= tx.now:
        return {"error": {"status": 401, "code": "auth.refresh_invalid", "message": "登录已过期，请重新登录"}}
    if row["revoked_at"] is not None:
        tx.session.execute(update(refresh_tokens).where(refresh_tokens.c.account_id == row["account_id"],
                                                        refresh_tokens.c.revoked_at.is_(None)).values(revoked_at=tx.now))
        tx.audit("session.refresh_reuse", "account", row["account_id"])
        return {"error": {"status": 401, "code": "auth.refresh_invalid", "message": "登录已过期，请重新登录"}}
    account = _load(tx, row["account_id"])
    if account["status"] != "active":
        return {"error": {"status": 401, "code": "auth.account_deactivated", "message": "账号已注销，请联系管理员"}}
    tx.session.execute(update(refresh_tokens).where(refresh_tokens.c.id == row["id"]).values(revoked_at=tx.now))
    return _issue(tx, signer, account, refresh_ttl)


def logout(tx) -> dict:
    """Revoke the caller's access token (every service learns it from ``session.revoked``) and its
    refresh token."""
    p = tx.principal
    expires = datetime.fromtimestamp(p.expires_at, tz=UTC) if p.expires_at else tx.now
    revocation.revoke_token(tx.session, p.account_id, p.jti, expires)
    tx.session.execute(update(refresh_tokens).where(refresh_tokens.c.access_jti == p.jti,
                                                    refresh_tokens.c.revoked_at.is_(None)).values(revoked_at=tx.now))
    tx.emit("session.revoked", subject=p.account_id, region=p.region or "000000",
            data={"account_id": p.account_id, "jti": p.jti, "expires_at": expires.isoformat()})
    return {"ok": True}


def _bump_token_version(tx, row) -> int:
    version = row["token_version"] + 1
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(token_version=version,
                                                                                  updated_at=tx.now))
    revocation.raise_min_version(tx.session, row["id"], version)
    tx.session.execute(update(refresh_tokens).where(refresh_tokens.c.account_id == row["id"],
                                                    refresh_tokens.c.revoked_at.is_(None)).values(revoked_at=tx.now))
    return version


def set_status(tx, account_id: str, active: bool) -> dict:
    """Deactivate (注销) or reactivate (撤销注销) an account; deactivation revokes all its tokens."""
    row = _load(tx, account_id, lock=True)
    if row["id"] == tx.principal.account_id:
        raise Conflict("不能注销自己的账号", code="account.self_deactivation")
    target = "active" if active else "deactivated"
    if row["status"] == target:
        return serialize(row)
    before = _audit_view(row)
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
             before=before, after=_audit_view(after), region=row["region"])
    return serialize(after)


def change_password(tx, signer: TokenSigner, old: str, new: str, refresh_ttl: timedelta) -> dict:
    """The caller changes their own password; every earlier token is revoked, new ones are issued."""
    row = _load(tx, tx.principal.account_id, lock=True)
    if not verify_password(row["password_hash"], old or ""):
        raise InvalidInput.field("old_password", "account.old_password_wrong", "原密码不正确")
    check_password(new, "new_password")
    if old == new:
        raise InvalidInput.field("new_password", "account.password_unchanged", "新密码不能与原密码相同")
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(
        password_hash=hash_password(new), must_change_password=False))
    version = _bump_token_version(tx, row)
    tx.emit("account.password_changed", subject=row["id"], region=row["region"] or "000000", data={
        "account_id": row["id"], "min_token_version": version, "revoked_before": tx.now.isoformat()})
    tx.audit("account.password_change", "account", row["id"], region=row["region"])
    return _issue(tx, signer, _load(tx, row["id"]), refresh_ttl)


def reset_password(tx, account_id: str, new: str) -> dict:
    """An admin sets a new password; the owner must change it at next login."""
    row = _load(tx, account_id, lock=True)
    check_password(new, "new_password")
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(
        password_hash=hash_password(new), must_change_password=True))
    version = _bump_token_version(tx, row)
    tx.emit("account.password_changed", subject=row["id"], region=row["region"] or "000000", data={
        "account_id": row["id"], "min_token_version": version, "revoked_before": tx.now.isoformat(),
        "by_admin": True})
    tx.audit("account.password_reset", "account", row["id"], region=row["region"])
    return serialize(_load(tx, row["id"]))


def update_profile(tx, data: dict) -> dict:
    """账号管理: the caller edits their name, mobile and e-mail."""
    row = _load(tx, tx.principal.account_id, lock=True)
    values: dict[str, Any] = {}
    if "name" in data:
        name = (data.get("name") or "").strip()
        if not 1 <= len(name) <= 50:
            raise InvalidInput.field("name", "account.name_required", "请填写用户姓名（1-50字）")
        values["name"] = name
    if "mobile" in data:
        values["mobile"] = validators.mobile(data["mobile"]) if data.get("mobile") else None
    if "email" in data:
        values["email"] = validators.email(data["email"]) if data.get("email") else None
    if values:
        before = _audit_view(row)
        tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(**values, updated_at=tx.now))
        row = _load(tx, row["id"])
        tx.audit("account.profile_update", "account", row["id"], before=before, after=_audit_view(row),
                 region=row["region"])
    return serialize(row)


def list_accounts(tx, filters: dict, page: Any, page_size: Any) -> dict:
    stmt = select(accounts)
    if filters.get("role"):
        stmt = stmt.where(accounts.c.role == filters["role"])
    if filters.get("region"):
        stmt = stmt.where(accounts.c.region == filters["region"])
    if filters.get("status"):
        stmt = stmt.where(accounts.c.status == filters["status"])
    if filters.get("unit_id"):
        stmt = stmt.where(accounts.c.unit_id == filters["unit_id"])
    if filters.get("q"):
        pattern = like_pattern(filters["q"])
        stmt = stmt.where(or_(accounts.c.username.ilike(pattern), accounts.c.name.ilike(pattern)))
    return paginate(tx.session, stmt.order_by(accounts.c.created_at, accounts.c.id), page, page_size,
                    lambda r: serialize(r._mapping))


def get_account(tx, account_id: str) -> dict:
    return serialize(_load(tx, account_id))
