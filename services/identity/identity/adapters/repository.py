"""identity's repositories: accounts, their sessions (refresh tokens and revocations), login failures,
SMS codes, 站内消息 (with the owners of applications), the policy numbers and the units whose codes name
an operator. Built on the unit of work's session (``tx.repository(AccountRepository)``); the unit tests
hand in in-memory fakes with the same methods (``services/identity/tests/unit/conftest.py``)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from identity import policy
from identity.adapters.orm import (
    accounts,
    application_owners,
    login_failures,
    messages,
    opinion_templates,
    refresh_tokens,
    sms_codes,
    sms_dev_inbox,
    units,
)
from shared.auth import revocation
from shared.auth.roles import Role
from shared.db.engine import affected_rows
from shared.db.repository import TableRepository
from shared.pagination import narrowed, paginate


class AccountRepository(TableRepository):
    table = accounts

    def by_username(self, username: str, *, lock: bool = False) -> Any:
        """The account whose username is ``username`` in any letter case."""
        stmt = select(accounts).where(func.lower(accounts.c.username) == username.lower())
        return self.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()

    def username_taken(self, username: str) -> bool:
        return self.session.execute(select(accounts.c.id).where(
            func.lower(accounts.c.username) == username.lower())).first() is not None

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(accounts).values(**values))

    def page(self, filters: Mapping[str, Any], page: Any, page_size: Any,
             serialize: Callable[[Any], dict]) -> dict:
        stmt = narrowed(select(accounts), filters,
                        equal={"role": accounts.c.role, "region": accounts.c.region, "status": accounts.c.status,
                               "unit_id": accounts.c.unit_id},
                        one_of={"roles": accounts.c.role}, search=(accounts.c.username, accounts.c.name))
        return paginate(self.session, stmt.order_by(accounts.c.created_at, accounts.c.id), page, page_size,
                        lambda r: serialize(r._mapping))

    def of_role_unit(self, role: str, unit_id: str, *, lock: bool = False) -> Any:
        """The (first) account of ``role`` whose unit is ``unit_id``: an employer's or an employee's login."""
        stmt = select(accounts).where(accounts.c.role == role, accounts.c.unit_id == unit_id)
        return self.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()

    def active_of_mobile(self, mobile: str, username: str | None = None, *, lock: bool = False) -> list[Any]:
        """The active accounts bound to ``mobile`` (with this username, in any letter case, when given)."""
        stmt = select(accounts).where(accounts.c.mobile == mobile, accounts.c.status == "active")
        if username:
            stmt = stmt.where(func.lower(accounts.c.username) == username.strip().lower())
        return list(self.session.execute(stmt.with_for_update() if lock else stmt).mappings())

    def unit_operator(self, unit_id: str, account_id: str | None) -> str | None:
        """The username of the unit's active operator ``account_id``, else of its earliest active one."""
        stmt = select(accounts.c.username).where(accounts.c.unit_id == unit_id,
                                                 accounts.c.role == Role.UNIT_ADMIN, accounts.c.status == "active")
        if account_id:
            named = self.session.execute(stmt.where(accounts.c.id == account_id)).scalar()
            if named:
                return str(named)
        return self.session.execute(stmt.order_by(accounts.c.created_at, func.lower(accounts.c.username))
                                    .limit(1)).scalar()


class SessionRepository:
    """Refresh tokens and the revocations every service learns of (``shared.auth.revocation``)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(refresh_tokens).values(**values))

    def by_hash(self, token_hash: str, *, lock: bool = False) -> Any:
        stmt = select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
        return self.session.execute(stmt.with_for_update() if lock else stmt).mappings().first()

    def revoke(self, token_id: str, at: datetime) -> None:
        self.session.execute(update(refresh_tokens).where(refresh_tokens.c.id == token_id).values(revoked_at=at))

    def revoke_all(self, account_id: str, min_version: int, at: datetime) -> None:
        """End every session of the account: its tokens below ``min_version`` and its refresh tokens."""
        revocation.raise_min_version(self.session, account_id, min_version)
        self.session.execute(update(refresh_tokens).where(refresh_tokens.c.account_id == account_id,
                                                          refresh_tokens.c.revoked_at.is_(None))
                             .values(revoked_at=at))

    def revoke_access(self, account_id: str, jti: str, expires: datetime, at: datetime) -> None:
        """End one session: its access token ``jti`` and the refresh token issued with it."""
        revocation.revoke_token(self.session, account_id, jti, expires)
        self.session.execute(update(refresh_tokens).where(refresh_tokens.c.access_jti == jti,
                                                          refresh_tokens.c.revoked_at.is_(None))
                             .values(revoked_at=at))


class LoginFailureRepository:
    def __init__(self, session: Any) -> None:
        self.session = session

    def of_address(self, ip: str, since: datetime) -> list[datetime]:
        """When the address failed since ``since``, oldest first."""
        return list(self.session.execute(select(login_failures.c.at).where(
            login_failures.c.ip == ip, login_failures.c.at > since).order_by(login_failures.c.at)).scalars())

    def of_pair(self, username: str, ip: str, since: datetime, limit: int) -> list[datetime]:
        """The last ``limit`` failures of (username, address) since ``since``, newest first."""
        return list(self.session.execute(select(login_failures.c.at).where(
            login_failures.c.username == username, login_failures.c.ip == ip, login_failures.c.at > since)
            .order_by(login_failures.c.at.desc()).limit(limit)).scalars())

    def add(self, ip: str, username: str, at: datetime) -> None:
        self.session.execute(insert(login_failures).values(ip=ip, username=username, at=at))

    def clear(self, username: str, ip: str) -> None:
        self.session.execute(login_failures.delete().where(login_failures.c.username == username,
                                                           login_failures.c.ip == ip))


class SmsCodeRepository(TableRepository):
    table = sms_codes

    def lock_mobile(self, mobile: str) -> None:
        """Serialize the requests for one mobile until this transaction ends."""
        self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "sms:" + mobile})

    def requested_since(self, mobile: str, since: datetime) -> list[datetime]:
        """When codes for ``mobile`` were requested after ``since`` (failed deliveries not counted)."""
        return list(self.session.execute(select(sms_codes.c.created_at).where(
            sms_codes.c.mobile == mobile, sms_codes.c.delivery != "failed", sms_codes.c.created_at > since))
            .scalars())

    def expire_open(self, mobile: str, purpose: str, now: datetime) -> None:
        """Earlier codes of (mobile, purpose) still usable stop working now."""
        self.session.execute(update(sms_codes).where(sms_codes.c.mobile == mobile, sms_codes.c.purpose == purpose,
                                                     sms_codes.c.consumed_at.is_(None), sms_codes.c.expires_at > now)
                             .values(expires_at=now))

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(sms_codes).values(**values))

    def newest(self, mobile: str, purpose: str) -> Any:
        """The newest delivered (or pending) code of (mobile, purpose), locked."""
        return self.session.execute(select(sms_codes).where(
            sms_codes.c.mobile == mobile, sms_codes.c.purpose == purpose, sms_codes.c.delivery != "failed")
            .order_by(sms_codes.c.created_at.desc()).limit(1).with_for_update()).mappings().first()

    def count_wrong_try(self, code_id: str) -> None:
        self.update(code_id, {"failed_attempts": sms_codes.c.failed_attempts + 1})

    def dev_inbox(self, mobile: str, limit: int) -> list[Any]:
        return list(self.session.execute(select(sms_dev_inbox).where(sms_dev_inbox.c.mobile == mobile)
                                         .order_by(sms_dev_inbox.c.sent_at.desc()).limit(limit)).mappings())


class MessageRepository:
    """站内消息 of the accounts, and whose application is whose (``application_owners``)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def keep_owner(self, application_id: str, account_id: str) -> None:
        stmt = pg_insert(application_owners).values(application_id=application_id, account_id=account_id)
        self.session.execute(stmt.on_conflict_do_update(index_elements=["application_id"],
                                                        set_={"account_id": stmt.excluded.account_id}))

    def owner_of(self, application_id: str) -> str | None:
        return self.session.execute(select(application_owners.c.account_id).where(
            application_owners.c.application_id == application_id)).scalar()

    def employer_account(self, unit_id: str) -> str | None:
        """The employer's earliest active account, if it has one."""
        return self.session.execute(select(accounts.c.id).where(
            accounts.c.role == "employer", accounts.c.unit_id == unit_id, accounts.c.status == "active")
            .order_by(accounts.c.created_at, accounts.c.id).limit(1)).scalar()

    def active_mobile(self, account_id: str) -> str | None:
        """The mobile of the account if it is active."""
        return self.session.execute(select(accounts.c.mobile).where(accounts.c.id == account_id,
                                                                    accounts.c.status == "active")).scalar()

    def add(self, values: Mapping[str, Any]) -> None:
        """A message, once per event (a second with the same ``event_id`` is dropped)."""
        self.session.execute(pg_insert(messages).values(**values).on_conflict_do_nothing(index_elements=["event_id"]))

    def page(self, account_id: str, unread_only: bool, page: Any, page_size: Any,
             serialize: Callable[[Any], dict]) -> dict:
        """The account's messages (only the unread ones), newest first."""
        stmt = select(messages).where(messages.c.account_id == account_id)
        if unread_only:
            stmt = stmt.where(messages.c.read_at.is_(None))
        return paginate(self.session, stmt.order_by(messages.c.created_at.desc(), messages.c.id), page, page_size,
                        lambda r: serialize(r._mapping))

    def unread_count(self, account_id: str) -> int:
        return int(self.session.execute(select(func.count()).select_from(messages).where(
            messages.c.account_id == account_id, messages.c.read_at.is_(None))).scalar_one())

    def owns(self, account_id: str, message_id: str) -> bool:
        return self.session.execute(select(messages.c.id).where(
            messages.c.id == message_id, messages.c.account_id == account_id)).first() is not None

    def mark_read(self, account_id: str, message_id: str | None, at: datetime) -> int:
        """Mark the account's unread message ``message_id`` (None: every one) read; returns how many."""
        stmt = update(messages).where(messages.c.account_id == account_id, messages.c.read_at.is_(None))
        if message_id is not None:
            stmt = stmt.where(messages.c.id == message_id)
        return affected_rows(self.session.execute(stmt.values(read_at=at)))


class PolicyRepository:
    """identity's policy numbers (``identity.policy``), read once per use case."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def load(self) -> dict[str, Any]:
        return policy.load(self.session)

    def describe(self) -> list[dict]:
        return policy.describe(self.session)

    def store(self, changes: dict[str, Any], now: datetime) -> dict[str, Any]:
        """Validate and store policy values (``identity.policy.store``)."""
        return policy.store(self.session, changes, now)


class UnitRepository:
    """Units whose 统一社会信用代码 / 组织机构代码 name an operator (kept from unit_registry's events)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def keep(self, unit_id: str, values: Mapping[str, Any]) -> None:
        """Insert the unit's codes, or update them where the unit is known."""
        stmt = pg_insert(units).values(unit_id=unit_id, **values)
        self.session.execute(stmt.on_conflict_do_update(index_elements=["unit_id"], set_=dict(values)))

    def by_uscc(self, uscc: str) -> Any:
        return self.session.execute(select(units).where(units.c.uscc == uscc)).mappings().first()

    def by_org_code(self, org_code: str) -> Any:
        return self.session.execute(select(units).where(units.c.org_code == org_code)).mappings().first()


class OpinionTemplateRepository(TableRepository):
    """Each officer's 常用审核意见."""

    table = opinion_templates

    def own(self, template_id: str, account_id: str) -> Any:
        """The template if it is ``account_id``'s (locked), else None."""
        return self.session.execute(select(opinion_templates).where(
            opinion_templates.c.id == template_id, opinion_templates.c.account_id == account_id)
            .with_for_update()).mappings().first()

    def text_used(self, account_id: str, text: str, *, other_than: str | None = None) -> bool:
        stmt = select(opinion_templates.c.id).where(opinion_templates.c.account_id == account_id,
                                                    opinion_templates.c.text == text)
        if other_than:
            stmt = stmt.where(opinion_templates.c.id != other_than)
        return self.session.execute(stmt).first() is not None

    def of_account(self, account_id: str, kinds: list[str] | None = None) -> list[Any]:
        """The account's templates (of ``kinds`` when given) in their order."""
        stmt = select(opinion_templates).where(opinion_templates.c.account_id == account_id)
        if kinds is not None:
            stmt = stmt.where(opinion_templates.c.kind.in_(kinds))
        return list(self.session.execute(stmt.order_by(opinion_templates.c.sort_order, opinion_templates.c.created_at,
                                                       opinion_templates.c.id)).mappings())

    def count_and_last(self, account_id: str) -> tuple[int, int | None]:
        """How many templates the account keeps, and the highest sort order among them."""
        count, last = self.session.execute(select(func.count(), func.max(opinion_templates.c.sort_order)).where(
            opinion_templates.c.account_id == account_id)).one()
        return int(count), last

    def add(self, values: Mapping[str, Any]) -> None:
        self.session.execute(insert(opinion_templates).values(**values))

    def remove(self, template_id: str) -> None:
        self.session.execute(delete(opinion_templates).where(opinion_templates.c.id == template_id))
