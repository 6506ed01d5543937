"""Fakes of identity's repositories: accounts, sessions, login failures and SMS codes in memory, so the
use cases of logins, passwords and codes run on a fake unit of work (``shared.testing.fake_tx``)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from identity import passwords, policy
from identity.adapters.orm import accounts, opinion_templates, sms_codes
from identity.adapters.repository import (
    AccountRepository,
    LoginFailureRepository,
    MessageRepository,
    OpinionTemplateRepository,
    PolicyRepository,
    SessionRepository,
    SmsCodeRepository,
    UnitRepository,
)
from shared.auth.principal import Principal
from shared.testing.fake_tx import DEFAULT_NOW, FakeTableRepository, FakeTx, InMemoryRepository

PASSWORD = "Jiangmen2026"
ADMIN = Principal(account_id="6f1c2a10-0000-4000-8000-0000000000ad", role="platform_admin", name="平台管理员")
SECRET = b"sms-secret-of-the-tests"
UNIT = "6f1c2a10-0000-4000-8000-000000000001"
ACC = "6f1c2a10-0000-4000-8000-0000000000a1"


def hashed(password: str) -> str:
    return passwords.hash_password(password)


class FakeAccounts(FakeTableRepository):
    table = accounts
    defaults = {"status": "active", "token_version": 1, "failed_logins": 0}

    def by_username(self, username, *, lock=False):
        found = self.where(lambda r: r["username"].lower() == username.lower())
        return found[0] if found else None

    def username_taken(self, username):
        return self.by_username(username) is not None

    def page(self, filters, page, page_size, serialize):
        items = [serialize(r) for r in sorted(self.rows.values(), key=lambda r: (r["created_at"], r["id"]))]
        return {"items": items, "total": len(items), "page": 1, "page_size": 20}

    def of_role_unit(self, role, unit_id, *, lock=False):
        found = self.where(lambda r: r["role"] == role and r["unit_id"] == unit_id)
        return found[0] if found else None

    def active_of_mobile(self, mobile, username=None, *, lock=False):
        return self.where(lambda r: r["mobile"] == mobile and r["status"] == "active"
                          and (not username or r["username"].lower() == username.strip().lower()))

    def unit_operator(self, unit_id, account_id):
        mine = sorted(self.where(lambda r: r["unit_id"] == unit_id and r["role"] == "unit_admin"
                                 and r["status"] == "active"), key=lambda r: (r["created_at"], r["username"]))
        named = [r for r in mine if r["id"] == account_id]
        return (named or mine or [{"username": None}])[0]["username"]


class FakeSessions(InMemoryRepository):
    """Refresh tokens by id; ``min_versions`` and ``revoked_jtis`` stand for the revocation tables."""

    def __init__(self):
        super().__init__()
        self.min_versions: dict[str, int] = {}
        self.revoked_jtis: set[str] = set()

    def add(self, values):
        self.put({"revoked_at": None, **values})

    def by_hash(self, token_hash, *, lock=False):
        found = self.where(lambda r: r["token_hash"] == token_hash)
        return found[0] if found else None

    def revoke(self, token_id, at):
        self.patch(token_id, {"revoked_at": at})

    def revoke_all(self, account_id, min_version, at):
        self.min_versions[account_id] = max(min_version, self.min_versions.get(account_id, 0))
        for r in self.where(lambda r: r["account_id"] == account_id and r["revoked_at"] is None):
            self.revoke(r["id"], at)

    def revoke_access(self, account_id, jti, expires, at):
        self.revoked_jtis.add(jti)
        for r in self.where(lambda r: r["access_jti"] == jti and r["revoked_at"] is None):
            self.revoke(r["id"], at)

    def open_of(self, account_id):
        return [r for r in self.rows.values() if r["account_id"] == account_id and r["revoked_at"] is None]


class FakeLoginFailures:
    def __init__(self):
        self.failures: list[tuple[str, str, datetime]] = []   # (ip, username, at)

    def of_address(self, ip, since):
        return sorted(at for i, _, at in self.failures if i == ip and at > since)

    def of_pair(self, username, ip, since, limit):
        return sorted((at for i, u, at in self.failures if (i, u) == (ip, username) and at > since),
                      reverse=True)[:limit]

    def add(self, ip, username, at):
        self.failures.append((ip, username, at))

    def clear(self, username, ip):
        self.failures = [f for f in self.failures if (f[0], f[1]) != (ip, username)]


class FakeSmsCodes(FakeTableRepository):
    table = sms_codes
    defaults = {"delivery": "pending", "failed_attempts": 0}

    def __init__(self):
        super().__init__()
        self.locked: list[str] = []

    def lock_mobile(self, mobile):
        self.locked.append(mobile)

    def _counted(self, mobile):
        return [r for r in self.rows.values() if r["mobile"] == mobile and r["delivery"] != "failed"]

    def requested_since(self, mobile, since):
        return [r["created_at"] for r in self._counted(mobile) if r["created_at"] > since]

    def expire_open(self, mobile, purpose, now):
        for r in self._counted(mobile):
            if r["purpose"] == purpose and r["consumed_at"] is None and r["expires_at"] > now:
                self.patch(r["id"], {"expires_at": now})

    def newest(self, mobile, purpose):
        mine = [r for r in self._counted(mobile) if r["purpose"] == purpose]
        return self.find(max(mine, key=lambda r: r["created_at"])["id"]) if mine else None

    def count_wrong_try(self, code_id):
        self.patch(code_id, {"failed_attempts": self.rows[code_id]["failed_attempts"] + 1})

    def dev_inbox(self, mobile, limit):
        return []


class FakePolicy:
    def __init__(self, **overrides):
        self.values = {**{k: v[0] for k, v in policy.SETTINGS.items()},
                       **{k: list(v[0]) for k, v in policy.LIST_SETTINGS.items()}, **overrides}

    def load(self):
        return dict(self.values)


class FakeUnits(InMemoryRepository):
    key = "unit_id"

    def keep(self, unit_id, values):
        self.put({"unit_id": unit_id, "account_id": None, **(self.find(unit_id) or {}), **values})

    def by_uscc(self, uscc):
        found = self.where(lambda r: r["uscc"] == uscc)
        return found[0] if found else None

    def by_org_code(self, org_code):
        found = self.where(lambda r: r["org_code"] == org_code)
        return found[0] if found else None


class FakeOpinionTemplates(FakeTableRepository):
    table = opinion_templates

    def own(self, template_id, account_id):
        row = self.find(template_id)
        return row if row is not None and row["account_id"] == account_id else None

    def text_used(self, account_id, text, *, other_than=None):
        return bool(self.where(lambda r: (r["account_id"], r["text"]) == (account_id, text) and r["id"] != other_than))

    def of_account(self, account_id, kinds=None):
        return sorted(self.where(lambda r: r["account_id"] == account_id and (kinds is None or r["kind"] in kinds)),
                      key=lambda r: (r["sort_order"], r["created_at"], r["id"]))

    def count_and_last(self, account_id):
        mine = self.of_account(account_id)
        return len(mine), max((r["sort_order"] for r in mine), default=None)

    def remove(self, template_id):
        del self.rows[template_id]


class FakeMessages(InMemoryRepository):
    """Messages by id, and the owners of applications (application -> account); accounts are read from
    the accounts fake, as the real repository reads the accounts table."""

    def __init__(self, accounts: FakeAccounts):
        super().__init__()
        self.accounts = accounts
        self.owners: dict[str, str] = {}

    def keep_owner(self, application_id, account_id):
        self.owners[application_id] = account_id

    def owner_of(self, application_id):
        return self.owners.get(application_id)

    def employer_account(self, unit_id):
        found = sorted(self.accounts.where(lambda r: r["role"] == "employer" and r["unit_id"] == unit_id
                                           and r["status"] == "active"), key=lambda r: (r["created_at"], r["id"]))
        return found[0]["id"] if found else None

    def active_mobile(self, account_id):
        row = self.accounts.find(account_id)
        return row["mobile"] if row is not None and row["status"] == "active" else None

    def add(self, values):
        if not self.where(lambda r: r["event_id"] == values["event_id"]):
            self.put({"read_at": None, **values})

    def _mine(self, account_id, unread_only=False):
        return sorted(self.where(lambda r: r["account_id"] == account_id and not (unread_only and r["read_at"])),
                      key=lambda r: (r["created_at"], r["id"]), reverse=True)

    def page(self, account_id, unread_only, page, page_size, serialize):
        items = self._mine(account_id, unread_only)
        return {"items": [serialize(r) for r in items], "total": len(items), "page": 1, "page_size": len(items)}

    def unread_count(self, account_id):
        return len(self._mine(account_id, unread_only=True))

    def owns(self, account_id, message_id):
        row = self.find(message_id)
        return row is not None and row["account_id"] == account_id

    def mark_read(self, account_id, message_id, at):
        marked = [r["id"] for r in self._mine(account_id, unread_only=True) if message_id in (None, r["id"])]
        for key in marked:
            self.patch(key, {"read_at": at})
        return len(marked)


class World:
    """identity's tables in memory; ``world.tx(who, minutes=0)`` a unit of work over them, ``minutes``
    after the tests' fixed now."""

    def __init__(self):
        self.accounts, self.sessions, self.failures = FakeAccounts(), FakeSessions(), FakeLoginFailures()
        self.codes, self.policy, self.units = FakeSmsCodes(), FakePolicy(), FakeUnits()
        self.templates = FakeOpinionTemplates()
        self.messages = FakeMessages(self.accounts)

    def tx(self, who: Principal | str = ADMIN, minutes: float = 0) -> FakeTx:
        principal = who if isinstance(who, Principal) else self.principal(who)
        return FakeTx(principal, service="identity", now=DEFAULT_NOW + timedelta(minutes=minutes), repositories={
            AccountRepository: self.accounts, SessionRepository: self.sessions, LoginFailureRepository: self.failures,
            SmsCodeRepository: self.codes, PolicyRepository: self.policy, UnitRepository: self.units,
            OpinionTemplateRepository: self.templates, MessageRepository: self.messages})

    def principal(self, account_id: str) -> Principal:
        row = self.accounts.rows[account_id]
        return Principal(account_id=row["id"], role=row["role"], region=row["region"], unit_id=row["unit_id"],
                         name=row["name"], jti=f"jti-of-{account_id}")

    def account(self, account_id: str = ACC, username: str = "pengjiang01", *, password: str = PASSWORD,
                role: str = "county_hrss", region: str | None = "440703", **values) -> dict:
        """An account stored as create_account stores it (password hashed once per password)."""
        self.accounts.add({"id": account_id, "username": username, "password_hash": hashed(password),
                           "role": role, "region": region, "name": "蓬江经办人", "must_change_password": False,
                           "created_at": DEFAULT_NOW - timedelta(days=30), "updated_at": None,
                           "locked_until": None, "last_login_at": None, **values})
        return self.accounts.rows[account_id]


@pytest.fixture
def cheap_argon2(monkeypatch):
    """The least costly argon2id parameters: the service's cost is not what these tests check, and a hash
    at its parameters takes seconds on a busy machine. Hashes made here verify at the same parameters."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def world(cheap_argon2) -> World:
    return World()
