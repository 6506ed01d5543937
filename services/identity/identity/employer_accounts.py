"""Logins of line B, created from housing_fund's events (owned by the housing helper; INTERFACES.md):

- ``employer.approved`` / ``employer.migrated``: the employer's login, username = 组织机构代码 (9
  characters), initial password = its last 6 characters (seed 004), role ``employer`` with the
  employer as ``unit_id``, mobile = the contact mobile; the password must be changed at first login.

Seed 004's initial password is weak: ``create_account(initial_password=True)`` takes it, the token
carries ``pwc`` (every service refuses all but the change), the first login needs an SMS code to the
contact mobile, and an unused initial password expires (policy ``initial_password_days``).

Idempotent: the inbox drops a redelivered event, and an account that already exists for the same
employer is left alone (a migration run twice, an approval replayed). A username held by anything
else is not overwritten: the clash is audited and the event is done (an officer sorts it out)."""
from __future__ import annotations

import logging

from sqlalchemy import func, select

from identity import use_cases
from identity.adapters.orm import accounts
from shared.auth.roles import Role
from shared.events import Envelope

log = logging.getLogger(__name__)


def initial_password(org_code: str) -> str:
    """Seed 004: the last 6 characters of the 组织机构代码."""
    return org_code[-6:]


def open_employer_login(tx, event: Envelope) -> dict | None:
    """Create the employer's login from ``employer.approved`` or ``employer.migrated``."""
    data = event.data
    username = data["org_code"]
    existing = tx.session.execute(select(accounts).where(
        func.lower(accounts.c.username) == username.lower())).mappings().first()
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
