"""Idempotency keys of commands.

The gateway sends an ``Idempotency-Key`` with every command (the client's, or one it makes up). The
service claims the key in the command's own transaction; a repeat - a double click, a client retry,
or an RPC redelivered after a crash - gets the stored result instead of a second effect.

A key is bound to (account, operation, arguments): the account is part of the primary key, the
operation and a SHA-256 fingerprint of the arguments are stored with it. Replaying a key for another
operation or for other arguments (approving application B with the key used for A) is refused with
422 ``idempotency.key_mismatch`` instead of answering A's result for B.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shared.db.engine import affected_rows
from shared.db.tables import idempotency_keys
from shared.errors import InvalidInput, Unprocessable

MAX_KEY_LENGTH = 100


@dataclass(frozen=True)
class Replay:
    result: Any


def fingerprint(args: Any, kwargs: Any) -> str:
    """SHA-256 of the canonical JSON of a command's arguments."""
    canonical = json.dumps([args, kwargs], sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def claim(session: Session, account_id: str, key: str, command: str, arguments: str | None = None) -> Replay | None:
    """Claim ``key`` for this command and these arguments (their :func:`fingerprint`); a
    :class:`Replay` with the first answer when the same command with the same arguments used it."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput("Idempotency-Key 长度应为1-100个字符", code="idempotency.key_invalid")
    stmt = (pg_insert(idempotency_keys)
            .values(account_id=account_id, key=key, command=command, fingerprint=arguments)
            .on_conflict_do_nothing(index_elements=["account_id", "key"]))
    if affected_rows(session.execute(stmt)) == 1:
        return None
    row = session.execute(select(idempotency_keys.c.command, idempotency_keys.c.fingerprint,
                                 idempotency_keys.c.result).where(
        idempotency_keys.c.account_id == account_id, idempotency_keys.c.key == key)).one()
    if row.command != command:
        raise Unprocessable("该幂等键已用于其他操作", code="idempotency.key_mismatch",
                            details={"command": row.command})
    if row.fingerprint is not None and arguments is not None and row.fingerprint != arguments:
        raise Unprocessable("该幂等键已用于同一操作的其他参数（如另一条记录）", code="idempotency.key_mismatch",
                            details={"command": row.command})
    return Replay(row.result)


def store(session: Session, account_id: str, key: str, result: Any) -> None:
    session.execute(update(idempotency_keys).where(
        idempotency_keys.c.account_id == account_id, idempotency_keys.c.key == key).values(result=result))
