"""信息维护-账号管理: the platform admin manages every account; a unit's operator (unit_admin) the accounts
of its own unit only (its individuals and its other operators). An account outside the caller's unit
is 404, as if it did not exist. Every change is audited with before and after."""
from __future__ import annotations

from typing import Any

from identity import use_cases
from identity.adapters.repository import AccountRepository
from shared import validators
from shared.auth.roles import Role
from shared.errors import Forbidden, InvalidInput, NotFound
from shared.service import Tx

#: the roles a unit's operator manages within its unit
UNIT_MANAGED = (Role.INDIVIDUAL, Role.UNIT_ADMIN)


def _unit_scope(tx: Tx) -> str | None:
    """The unit the caller is limited to (None: the platform admin, no limit)."""
    p = tx.principal
    if p.role == Role.UNIT_ADMIN:
        if not p.unit_id:
            raise Forbidden("单位经办人账号未关联单位", code="account.unit_missing")
        return p.unit_id
    return None


def load(tx: Tx, account_id: str, *, lock: bool = False):
    row = use_cases.load(tx, account_id, lock=lock)
    unit = _unit_scope(tx)
    if unit is not None and (row["unit_id"] != unit or row["role"] not in UNIT_MANAGED):
        raise NotFound("账号不存在", code="account.not_found")
    return row


def list_accounts(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    filters = dict(filters or {})
    unit = _unit_scope(tx)
    if unit is not None:
        filters["unit_id"] = unit
        filters["roles"] = list(UNIT_MANAGED)
        filters.pop("region", None)
    return use_cases.list_accounts(tx, filters, page, page_size)


def get_account(tx: Tx, account_id: str) -> dict:
    return use_cases.serialize(load(tx, account_id), tx.now)


def create_account(tx: Tx, data: dict) -> dict:
    data = dict(data or {})
    unit = _unit_scope(tx)
    if unit is not None:
        if data.get("role") not in UNIT_MANAGED:
            raise Forbidden("单位经办人只能为本单位新增经办人或个人账号", code="account.role_not_allowed")
        if data.get("unit_id") and str(data["unit_id"]) != unit:
            raise NotFound("单位不存在", code="unit.not_found")
        data.update(unit_id=unit, region=None, initial_password=True)
    return use_cases.create_account(tx, data)


def update_account(tx: Tx, account_id: str, data: dict) -> dict:
    """修改: name, mobile, e-mail of an account in the caller's scope."""
    row = load(tx, account_id, lock=True)
    data = data if isinstance(data, dict) else {}
    values: dict[str, Any] = {}
    if "name" in data:
        name = (data.get("name") or "").strip() if isinstance(data.get("name"), str) else ""
        if not 1 <= len(name) <= 50:
            raise InvalidInput.field("name", "account.name_required", "请填写用户姓名（1-50字）")
        values["name"] = name
    if "mobile" in data:
        values["mobile"] = validators.mobile(data["mobile"]) if data.get("mobile") else None
    if "email" in data:
        values["email"] = validators.email(data["email"]) if data.get("email") else None
    unknown = set(data) - {"name", "mobile", "email"}
    if unknown:
        raise InvalidInput.field(sorted(unknown)[0], "account.field_not_editable", "该项不能在此修改")
    if values:
        before = use_cases.audit_view(row)
        tx.repository(AccountRepository).update(row["id"], {**values, "updated_at": tx.now})
        row = use_cases.load(tx, row["id"])
        tx.emit("account.updated", subject=row["id"], region=row["region"] or "000000",
                data={"account_id": row["id"], "fields": sorted(values), "unit_id": row["unit_id"]})
        tx.audit("account.update", "account", row["id"], before=before, after=use_cases.audit_view(row),
                 region=row["region"])
    return use_cases.serialize(row, tx.now)


def set_status(tx: Tx, account_id: str, active: bool) -> dict:
    load(tx, account_id)
    return use_cases.set_status(tx, account_id, active)


def reset_password(tx: Tx, account_id: str, new_password: str) -> dict:
    load(tx, account_id)
    return use_cases.reset_password(tx, account_id, new_password)
