"""Idempotency keys of commands.

The gateway sends an ``Idempotency-Key`` with every command (the client's, or one it makes up). The
service claims the key in the command's own transaction; a repeat - a double click, a client retry,
or an RPC redelivered after a crash - gets the stored result instead of a second effect.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shared.db.tables import idempotency_keys
from shared.errors import Conflict, InvalidInput

MAX_KEY_LENGTH = 100


@dataclass(frozen=True)
class Replay:
    result: Any


def claim(session: Session, account_id: str, key: str, command: str) -> Replay | None:
    """Claim ``key`` for this command; a :class:`Replay` with the first answer when already used."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput("Idempotency-Key 长度应为1-100个字符", code="idempotency.key_invalid")
    stmt = (pg_insert(idempotency_keys)
            .values(account_id=account_id, key=key, command=command)
            .on_conflict_do_nothing(index_elements=["account_id", "key"]))
    if session.execute(stmt).rowcount == 1:
        return None
    row = session.execute(select(idempotency_keys.c.command, idempotency_keys.c.result).where(
        idempotency_keys.c.account_id == account_id, idempotency_keys.c.key == key)).one()
    if row.command != command:
        raise Conflict("该幂等键已用于其他操作", code="idempotency.key_reused",
                       details={"command": row.command})
    return Replay(row.result)


def store(session: Session, account_id: str, key: str, result: Any) -> None:
    session.execute(update(idempotency_keys).where(
        idempotency_keys.c.account_id == account_id, idempotency_keys.c.key == key).values(result=result))
