"""Logins of line B, created from housing_fund's events (owned by the housing helper; INTERFACES.md):

- ``employer.approved`` / ``employer.migrated``: the employer's login, username = 组织机构代码 (9
  characters), initial password = its last 6 characters (seed 004), role ``employer`` with the
  employer as ``unit_id``, mobile = the contact mobile; the password must be changed at first login.

Seed 004's initial password is weak and fails the password policy on purpose: it is set here
directly (never through ``create_account``) and ``must_change_password`` forces the change.

Idempotent: the inbox drops a redelivered event, and an account that already exists for the same
employer is left alone (a migration run twice, an approval replayed). A username held by anything
else is not overwritten: the clash is audited and the event is done (an officer sorts it out)."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import func, insert, select

from identity.adapters.orm import accounts
from identity.passwords import hash_password
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
    account_id = str(uuid.uuid4())
    name = (data.get("contact_name") or data["name"])[:50]
    tx.session.execute(insert(accounts).values(
        id=account_id, username=username, password_hash=hash_password(initial_password(username)),
        role=Role.EMPLOYER, region=data["region"], unit_id=data["employer_id"], name=name,
        mobile=data.get("mobile"), must_change_password=True, created_at=tx.now, updated_at=tx.now))
    tx.emit("account.created", subject=account_id, region=data["region"], data={
        "account_id": account_id, "username": username, "role": Role.EMPLOYER, "region": data["region"],
        "unit_id": data["employer_id"], "name": name})
    tx.audit("account.create_employer_login", "account", account_id, region=data["region"],
             after={"username": username, "employer_id": data["employer_id"], "source": event.type,
                    "must_change_password": True})
    return {"account_id": account_id, "username": username}
