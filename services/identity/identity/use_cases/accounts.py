"""Accounts: their view, loading, creation, status (注销/撤销注销), profile, lists, and the token
version that ends every session of an account."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from identity.adapters.repository import AccountRepository, PolicyRepository, SessionRepository
from identity.domain.accounts import check_initial_password, check_password, check_role_region, check_username
from identity.passwords import hash_password, verify_password
from shared import regions, validators
from shared.auth.roles import Role
from shared.contracts.identity import ACCOUNT_LABELS
from shared.errors import Conflict, InvalidInput, NotFound
from shared.hardening import visible
from shared.service import Tx


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


def load(tx: Tx, account_id: str, *, lock: bool = False):
    row = tx.repository(AccountRepository).get(str(account_id), lock=lock)
    if row is None:
        raise NotFound("账号不存在", code="account.not_found")
    return row


def username_taken(tx: Tx, username: str) -> bool:
    return tx.repository(AccountRepository).username_taken(username)


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
    row = add_account(tx, data)
    audit_created(tx, row)
    return serialize(row)


def add_account(tx: Tx, data: dict, *, username_checked: bool = False, last_login_at: datetime | None = None):
    """:func:`create_account` without its audit row, which the caller appends with :func:`audit_created`
    (last, so the audit chain's lock is held only from there to the commit); returns the stored row.
    ``username_checked``: the caller has just checked the username in this transaction;
    ``last_login_at``: the account's session opens with its creation (self-registration)."""
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
    if not username_checked and username_taken(tx, username):
        raise Conflict("用户名已被使用", code="account.username_taken",
                       details={"fields": {"username": "用户名已被使用"}})
    account_id = data.get("id") or str(uuid.uuid4())
    tx.repository(AccountRepository).add(dict(
        id=account_id, username=username, password_hash=hash_password(password), role=role, region=region,
        unit_id=unit_id, name=name, mobile=mobile, email=email,
        must_change_password=initial, password_expires_at=initial_expiry(tx) if initial else None,
        created_at=tx.now, updated_at=tx.now, last_login_at=last_login_at))
    row = load(tx, account_id)
    tx.emit("account.created", subject=account_id, region=region or "000000", data={
        "account_id": account_id, "username": username, "role": role, "region": region, "unit_id": unit_id,
        "name": name})
    return row


def audit_created(tx: Tx, row) -> None:
    tx.audit("account.create", "account", row["id"], after=audit_view(row), region=row["region"])


def initial_expiry(tx: Tx) -> datetime:
    return tx.now + timedelta(days=tx.repository(PolicyRepository).load()["initial_password_days"])


def bump_token_version(tx: Tx, row) -> int:
    version = row["token_version"] + 1
    tx.repository(AccountRepository).update(row["id"], {"token_version": version, "updated_at": tx.now})
    tx.repository(SessionRepository).revoke_all(row["id"], version, tx.now)
    return version


def set_status(tx: Tx, account_id: str, active: bool) -> dict:
    """Deactivate (注销) or reactivate (撤销注销) an account; deactivation revokes all its tokens."""
    row = load(tx, account_id, lock=True)
    if row["id"] == tx.principal.account_id:
        raise Conflict("不能注销自己的账号", code="account.self_deactivation")
    target = "active" if active else "deactivated"
    if row["status"] == target:
        return serialize(row)
    before = audit_view(row)
    tx.repository(AccountRepository).update(row["id"], {"status": target, "updated_at": tx.now})
    region = row["region"] or "000000"
    if active:
        tx.emit("account.reactivated", subject=row["id"], region=region, data={"account_id": row["id"]})
    else:
        version = bump_token_version(tx, row)
        tx.emit("account.deactivated", subject=row["id"], region=region, data={
            "account_id": row["id"], "min_token_version": version, "revoked_before": tx.now.isoformat()})
    after = load(tx, row["id"])
    tx.audit("account.reactivate" if active else "account.deactivate", "account", row["id"],
             before=before, after=audit_view(after), region=row["region"])
    return serialize(after)


def update_profile(tx: Tx, data: dict) -> dict:
    """账号管理: the caller edits their name and e-mail. The mobile changes only with a code sent to the new
    number (``identity.mobile_change``); sending it here unchanged is accepted (a form posts every field)."""
    row = load(tx, tx.principal.account_id, lock=True)
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
        tx.repository(AccountRepository).update(row["id"], {**values, "updated_at": tx.now})
        row = load(tx, row["id"])
        tx.audit("account.profile_update", "account", row["id"], before=before, after=audit_view(row),
                 region=row["region"])
    return serialize(row)


def list_accounts(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    return tx.repository(AccountRepository).page(filters, page, page_size, lambda r: serialize(r, tx.now))


def get_account(tx: Tx, account_id: str) -> dict:
    return serialize(load(tx, account_id), tx.now)
