"""Token revocation, kept by every service in its own tables from identity's events.

- ``account.deactivated`` / ``account.password_changed`` raise the account's minimum token version:
  every token issued before is refused (tokens carry the version they were issued with).
- ``session.revoked`` (logout) lists one token id until it expires.
Identity writes the same tables directly in the transaction that causes the revocation.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.db.engine import affected_rows
from shared.db.tables import revocations, revoked_tokens
from shared.errors import Unauthenticated
from shared.events import Envelope


def raise_min_version(session: Session, account_id: str, min_version: int) -> None:
    stmt = pg_insert(revocations).values(account_id=account_id, min_token_version=min_version)
    stmt = stmt.on_conflict_do_update(
        index_elements=["account_id"],
        set_={"min_token_version": func.greatest(revocations.c.min_token_version, stmt.excluded.min_token_version),
              "updated_at": func.now()})
    session.execute(stmt)


def revoke_token(session: Session, account_id: str, jti: str, expires_at: datetime | str) -> None:
    session.execute(pg_insert(revoked_tokens).values(jti=jti, account_id=account_id, expires_at=expires_at)
                    .on_conflict_do_nothing(index_elements=["jti"]))


def apply_event(session: Session, event: Envelope) -> None:
    """Apply one of identity's revocation events."""
    data = event.data
    if event.type in ("account.deactivated", "account.password_changed", "account.sessions_revoked"):
        raise_min_version(session, data["account_id"], int(data["min_token_version"]))
    elif event.type == "session.revoked":
        revoke_token(session, data["account_id"], data["jti"], data["expires_at"])
    # account.reactivated: nothing to undo; tokens from before the deactivation stay invalid


def check(session: Session, principal: Principal) -> None:
    """Unauthenticated (401) when the principal's token has been revoked. Both tables are asked in one
    statement: this runs before every call a user makes, so it costs one round trip, not two."""
    min_version = (select(revocations.c.min_token_version)
                   .where(revocations.c.account_id == principal.account_id).scalar_subquery())
    logged_out = (select(revoked_tokens.c.jti).where(revoked_tokens.c.jti == principal.jti).exists()
                  if principal.jti else literal(False))
    row = session.execute(select(min_version.label("min_version"), logged_out.label("logged_out"))).one()
    if row.min_version is not None and principal.token_version < row.min_version:
        raise Unauthenticated("账号状态已变更，请重新登录", code="auth.token_revoked")
    if row.logged_out:
        raise Unauthenticated("已注销登录，请重新登录", code="auth.token_revoked")


def purge_expired(session: Session, now: datetime) -> int:
    return affected_rows(session.execute(delete(revoked_tokens).where(revoked_tokens.c.expires_at < now)))
