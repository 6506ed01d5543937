"""Line B employees' personal logins (职工个人账号), created and reset from housing_fund's events, so
neither service calls the other:

- ``employee.opened`` (职工开户, 批量导入): an account with the id housing_fund chose
  (``data.account_id``), role ``employee``, ``unit_id`` = the employee id, username = 证件号码,
  initial password = its last 6 characters (seed 004's convention for logins derived from a public
  code), ``must_change_password`` set: the first login goes through the forced change (and, once
  identity's initial-password flow is merged, an SMS code to the recorded mobile).
- ``employee.password_reset`` (单位为职工重置密码): the same initial password again, must change at
  next login; every token of the account is revoked (``account.password_changed``).
- ``employee.changed`` with a new 证件号码 (approved by the bureau): the username follows.

Each handler is idempotent: the inbox drops a repeated event, and an account that exists already is
left alone."""
from __future__ import annotations

from sqlalchemy import func, insert, select, update

from identity.adapters.orm import accounts
from identity.passwords import hash_password
from identity.use_cases import _bump_token_version
from shared.service import subscribe

ROLE = "employee"


def initial_password_of(id_number: str) -> str:
    return id_number[-6:]


def _by_employee(tx, employee_id: str):
    return tx.session.execute(select(accounts).where(accounts.c.role == ROLE, accounts.c.unit_id == employee_id)
                              .with_for_update()).mappings().first()


def open_account(tx, data: dict) -> None:
    if _by_employee(tx, data["employee_id"]) is not None:
        return
    username = data["id_number"]
    taken = tx.session.execute(select(accounts.c.id).where(func.lower(accounts.c.username) == username.lower())).first()
    if taken:  # a login of another role under the same number: keep it, log the employee in by id later
        tx.audit("account.employee_username_taken", "account", taken[0], region=data["region"])
        return
    account_id = data.get("account_id") or data["employee_id"]
    tx.session.execute(insert(accounts).values(
        id=account_id, username=username, password_hash=hash_password(initial_password_of(username)), role=ROLE,
        region=data["region"], unit_id=data["employee_id"], name=data.get("name") or "职工",
        mobile=data.get("mobile"), must_change_password=True, created_at=tx.now, updated_at=tx.now))
    tx.emit("account.created", subject=account_id, region=data["region"], data={
        "account_id": account_id, "username": username, "role": ROLE, "region": data["region"],
        "unit_id": data["employee_id"], "name": data.get("name") or "职工"})
    tx.audit("account.create", "account", account_id, after={"role": ROLE, "unit_id": data["employee_id"]},
             region=data["region"])


def reset_to_initial(tx, data: dict) -> None:
    row = _by_employee(tx, data["employee_id"])
    if row is None:
        return
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(
        password_hash=hash_password(initial_password_of(row["username"])), must_change_password=True,
        failed_logins=0, locked_until=None))
    version = _bump_token_version(tx, row)
    tx.emit("account.password_changed", subject=row["id"], region=row["region"] or "000000", data={
        "account_id": row["id"], "min_token_version": version, "revoked_before": tx.now.isoformat(),
        "by_admin": True})
    tx.audit("account.password_reset", "account", row["id"], region=row["region"])


def follow_change(tx, data: dict) -> None:
    changes = data.get("changes") or {}
    if not changes.get("id_number") and not changes.get("name") and not changes.get("mobile"):
        return
    row = _by_employee(tx, data["employee_id"])
    if row is None:
        return
    values = {k: changes[k] for k in ("name", "mobile") if changes.get(k)}
    if changes.get("id_number"):
        values["username"] = changes["id_number"]
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(**values, updated_at=tx.now))
    tx.audit("account.employee_changed", "account", row["id"], after=values, region=row["region"])


class EmployeeAccountsConsumer:
    """Mixin of IdentityService: the three handlers above."""

    @subscribe("employee.opened")
    def on_employee_opened(self, tx, event) -> None:
        open_account(tx, event.data)

    @subscribe("employee.password_reset")
    def on_employee_password_reset(self, tx, event) -> None:
        reset_to_initial(tx, event.data)

    @subscribe("employee.changed")
    def on_employee_changed(self, tx, event) -> None:
        follow_change(tx, event.data)
