"""Logins of line B, created from housing_fund's events (owned by the housing helper; INTERFACES.md):

- ``employer.approved`` / ``employer.migrated``: the employer's login, username = 组织机构代码 (9
  characters), initial password = its last 6 characters (seed 004), role ``employer`` with the
  employer as ``unit_id``, mobile = the contact mobile; the password must be changed at first login.
- ``employer.changed`` (单位信息变更 approved): the login's mobile follows the contact mobile.

Seed 004's initial password is weak: ``create_account(initial_password=True)`` takes it, the token
carries ``pwc`` (every service refuses all but the change), the first login needs an SMS code to the
contact mobile, and an unused initial password expires (policy ``initial_password_days``).

Idempotent: the inbox drops a redelivered event, and an account that already exists for the same
employer is left alone (a migration run twice, an approval replayed). A username held by anything
else is not overwritten: the clash is audited and the event is done (an officer sorts it out)."""
from __future__ import annotations

import logging

from identity import use_cases
from identity.adapters.repository import AccountRepository
from shared.auth.roles import Role
from shared.events import Envelope
from shared.service import Tx

log = logging.getLogger(__name__)


def initial_password(code: str) -> str:
    """Seed 004: the last 6 characters of the 组织机构代码 (of the 证件号码 for an employee)."""
    return code[-6:]


def open_employer_login(tx: Tx, event: Envelope) -> dict | None:
    """Create the employer's login from ``employer.approved`` or ``employer.migrated``."""
    data = event.data
    username = data["org_code"]
    existing = tx.repository(AccountRepository).by_username(username)
    if existing is not None:
        if existing["role"] == Role.EMPLOYER and existing["unit_id"] == data["employer_id"]:
            return None  # already opened (a replay, a migration run again)
        log.warning("employer login %s not opened: the username is taken by account %s", username, existing["id"])
        tx.audit("account.employer_login_clash", "account", existing["id"], region=data["region"],
                 after={"username": username, "employer_id": data["employer_id"], "event": event.type})
        return None
    name = (data.get("contact_name") or data["name"])[:50]
    account = use_cases.create_account(tx, {
        "username": username, "password": initial_password(username), "initial_password": True,
        "role": Role.EMPLOYER, "region": data["region"], "unit_id": data["employer_id"], "name": name,
        "mobile": data.get("mobile")})
    account_id = account["id"]
    tx.audit("account.create_employer_login", "account", account_id, region=data["region"],
             after={"username": username, "employer_id": data["employer_id"], "source": event.type})
    return {"account_id": account_id, "username": username}


def follow_employer_change(tx: Tx, event: Envelope) -> dict | None:
    """``employer.changed`` (单位信息变更 approved by the bureau): the employer's login takes the new
    contact mobile (and contact name), so SMS login and the first-login code go to the new mobile.
    Idempotent: an unchanged login is left alone."""
    data = event.data
    row = tx.repository(AccountRepository).of_role_unit(Role.EMPLOYER, data["employer_id"], lock=True)
    if row is None:
        return None
    contact = (data.get("changes") or {}).get("contact_name")
    wanted = {"mobile": data.get("mobile"), "name": contact[:50] if isinstance(contact, str) and contact else None}
    values = {k: v for k, v in wanted.items() if v and v != row[k]}
    if not values:
        return None
    tx.repository(AccountRepository).update(row["id"], {**values, "updated_at": tx.now})
    tx.audit("account.employer_changed", "account", row["id"], region=row["region"],
             before={k: row[k] for k in values}, after=values)
    return {"account_id": row["id"], **values}


# --- employees' personal logins (职工个人平台) ------------------------------------------------------------
# username = 证件号码, initial password = its last 6 characters, role ``employee`` with the employee as
# ``unit_id``. Opened from ``employee.opened`` (职工开户, each row of an import or a migration);
# the employer's 重置密码 (``employee.password_reset``) resets it (or opens it if it is missing).

def _employee_login(tx: Tx, data: dict):
    """The employee's login: the one opened for this employee (a demo login may have another username),
    else whatever holds the 证件号码 as its username."""
    found = tx.repository(AccountRepository)
    return found.of_role_unit(Role.EMPLOYEE, data["employee_id"]) or found.by_username(data["id_number"])


def open_employee_login(tx: Tx, event: Envelope) -> dict | None:
    data = event.data
    if not data.get("id_number") or not data.get("name"):
        return None
    existing = _employee_login(tx, data)
    if existing is not None:
        if existing["role"] != Role.EMPLOYEE or existing["unit_id"] != data["employee_id"]:
            tx.audit("account.employee_login_clash", "account", existing["id"], region=data["region"],
                     after={"employee_id": data["employee_id"], "event": event.type})
        return None
    account = use_cases.create_account(tx, {
        "username": data["id_number"], "password": initial_password(data["id_number"]), "initial_password": True,
        "role": Role.EMPLOYEE, "region": data["region"], "unit_id": data["employee_id"],
        "name": data["name"][:50], "mobile": data.get("mobile")})
    tx.audit("account.create_employee_login", "account", account["id"], region=data["region"],
             after={"employee_id": data["employee_id"], "source": event.type})
    return {"account_id": account["id"]}


def reset_employee_login(tx: Tx, event: Envelope) -> dict | None:
    """The employer's 重置密码: back to the initial password (forced change), or opened if missing."""
    existing = _employee_login(tx, event.data)
    if existing is None:
        return open_employee_login(tx, event)
    if existing["role"] != Role.EMPLOYEE or existing["unit_id"] != event.data["employee_id"]:
        tx.audit("account.employee_login_clash", "account", existing["id"], region=event.data["region"],
                 after={"employee_id": event.data["employee_id"], "event": event.type})
        return None
    use_cases.reset_password(tx, existing["id"], initial_password(event.data["id_number"]))
    return {"account_id": existing["id"]}
