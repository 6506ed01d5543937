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

from sqlalchemy import select, update

from identity import use_cases
from identity.adapters.orm import accounts
from shared.service import subscribe

ROLE = "employee"


def initial_password_of(id_number: str) -> str:
    return id_number[-6:]


def _by_employee(tx, employee_id: str):
    return tx.session.execute(select(accounts).where(accounts.c.role == ROLE, accounts.c.unit_id == employee_id)
                              .with_for_update()).mappings().first()


def open_account(tx, data: dict) -> None:
    """The employee's login with identity's initial-password semantics (pwc token, SMS code at first
    login, expiry by policy). A username held by another account is audited and left alone."""
    if _by_employee(tx, data["employee_id"]) is not None:
        return
    username = data["id_number"]
    if use_cases.username_taken(tx, username):
        tx.audit("account.employee_login_clash", "account", data["employee_id"], region=data["region"],
                 after={"username": username, "employee_id": data["employee_id"]})
        return
    use_cases.create_account(tx, {
        "id": data.get("account_id"), "username": username, "password": initial_password_of(username),
        "initial_password": True, "role": ROLE, "region": data["region"], "unit_id": data["employee_id"],
        "name": (data.get("name") or "职工")[:50], "mobile": data.get("mobile")})


def reset_to_initial(tx, data: dict) -> None:
    """单位为职工重置密码: back to the initial password, to be changed at the next login; tokens revoked."""
    row = _by_employee(tx, data["employee_id"])
    if row is None:
        return
    tx.session.execute(update(accounts).where(accounts.c.id == row["id"]).values(failed_logins=0, locked_until=None))
    use_cases.reset_password(tx, row["id"], initial_password_of(data.get("id_number") or row["username"]))


def follow_change(tx, data: dict) -> None:
    """An approved change of name, mobile or 证件号码: the login follows (username = 证件号码)."""
    changes = data.get("changes") or {}
    if not any(changes.get(k) for k in ("id_number", "name", "mobile")):
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
