"""Line B employees' personal logins follow an approved change of the employee (identity/employer_accounts.py
opens them from ``employee.opened`` and resets them from ``employee.password_reset``):

- ``employee.changed`` (职工信息变更 approved by the housing bureau, or applied at once for the mobile):
  the login's name and mobile follow, and a new 证件号码 becomes the new username, so the employee
  keeps logging in with the number on their card.

Idempotent: applying the same change twice leaves the same account."""
from __future__ import annotations

from identity.adapters.repository import AccountRepository
from shared.service import Tx, subscribe

ROLE = "employee"


def follow_change(tx: Tx, data: dict) -> None:
    """The event carries the employee as it is after the change (name, 证件号码, mobile)."""
    row = tx.repository(AccountRepository).of_role_unit(ROLE, data["employee_id"], lock=True)
    if row is None:
        return
    wanted = {"name": (data.get("name") or "")[:50], "mobile": data.get("mobile"), "username": data.get("id_number")}
    values = {k: v for k, v in wanted.items() if v and v != row[k]}
    if not values:
        return
    tx.repository(AccountRepository).update(row["id"], {**values, "updated_at": tx.now})
    tx.audit("account.employee_changed", "account", row["id"], after=values, region=row["region"])


class EmployeeAccountsConsumer:
    """Mixin of IdentityService: the handler above."""

    @subscribe("employee.changed")
    def on_employee_changed(self, tx: Tx, event) -> None:
        follow_change(tx, event.data)
