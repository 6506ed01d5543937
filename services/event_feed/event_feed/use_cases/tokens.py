"""Integrators' feed tokens: the platform admin issues one (a name and the region it may read: a county,
a city with its counties, or the whole platform), sees the list and revokes one. The token itself
(``feed_`` + 43 random characters) is shown once; only its SHA-256 is kept. A token reads
``GET /api/v1/events`` and nothing else."""
from __future__ import annotations

import hashlib
import secrets
import uuid

from sqlalchemy import or_, true

from event_feed.adapters.orm import feed_events
from event_feed.adapters.repository import TokenRepository
from event_feed.domain import filters
from shared.auth.tokens import FEED_TOKEN_PREFIX
from shared.errors import InvalidInput, NotFound, Unauthenticated

PREFIX = FEED_TOKEN_PREFIX


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(tx, data: dict) -> dict:
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
        raise InvalidInput.field("name", "feed_token.invalid_name", "名称应为1-100个字符")
    try:
        region = filters.parse_region(data.get("region"))
    except filters.FilterError as exc:
        raise InvalidInput.field("region", "feed_token.invalid_region", str(exc)) from None
    token = PREFIX + secrets.token_urlsafe(32)
    row = {"id": str(uuid.uuid4()), "name": name.strip(), "token_hash": _hash(token), "region": region,
           "created_by": tx.principal.account_id, "created_at": tx.now}
    tx.repository(TokenRepository).add(row)
    tx.audit("feed_token.issue", "feed_token", row["id"], after={"name": row["name"], "region": region})
    return {**_view(row), "token": token}


def list_tokens(tx) -> dict:
    rows = tx.repository(TokenRepository).all()
    return {"items": [_view(r) for r in rows]}


def revoke(tx, token_id: str) -> dict:
    tokens = tx.repository(TokenRepository)
    row = tokens.get(str(token_id), lock=True)
    if row is None:
        raise NotFound(code="feed_token.not_found")
    revoked_at = row["revoked_at"] or tx.now
    tokens.update(row["id"], {"revoked_at": revoked_at})
    tx.audit("feed_token.revoke", "feed_token", row["id"], after={"revoked_at": revoked_at.isoformat()})
    return _view({**row, "revoked_at": revoked_at})


def scope_of(tx, token: str | None):
    """The feed condition of a valid, unrevoked token (its region), or 401."""
    if not isinstance(token, str) or not token.startswith(PREFIX) or len(token) > 200:
        raise Unauthenticated("访问令牌无效或已吊销", code="feed_token.invalid")
    tokens = tx.repository(TokenRepository)
    row = tokens.by_hash(_hash(token))
    if row is None or row["revoked_at"] is not None:
        raise Unauthenticated("访问令牌无效或已吊销", code="feed_token.invalid")
    tokens.update(row["id"], {"last_used_at": tx.now})
    region = row["region"]
    return true() if region is None else or_(feed_events.c.region == region, feed_events.c.city == region)


def _view(row) -> dict:
    iso = lambda v: v.isoformat() if v is not None else None  # noqa: E731
    return {"id": row["id"], "name": row["name"], "region": row["region"], "created_at": iso(row["created_at"]),
            "revoked_at": iso(row.get("revoked_at")), "last_used_at": iso(row.get("last_used_at"))}
