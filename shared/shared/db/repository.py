"""The base of the services' repositories (one small class per aggregate in ``<service>/adapters``).

A use case reaches its rows through ``tx.repository(SomeRepository)``, which builds the repository on the
unit of work's session; a unit test hands in an in-memory fake with the same methods
(``shared.testing.fake_tx``). :class:`TableRepository` holds what every such class over one table
writes alike: the row of a key (locked or not) and an update by key.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from sqlalchemy import Table, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


def unless_conflict(session: Session, write: Callable[[], Any]) -> bool:
    """Run ``write`` in a savepoint: False (and nothing of it kept, the transaction still usable) when it
    breaks a unique constraint, as a concurrent twin that got there first does; True otherwise."""
    try:
        with session.begin_nested():
            write()
    except IntegrityError:
        return False
    return True


class TableRepository:
    """A repository over ``table``, whose rows ``key`` (a column name) identifies."""

    table: ClassVar[Table]
    key: ClassVar[str] = "id"

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str, *, lock: bool = False, share: bool = False) -> Any:
        """The row of ``key`` (a RowMapping), or None; ``lock`` locks it for update, ``share`` takes a
        shared lock (others may read it, nobody may change it until this transaction ends)."""
        stmt = select(self.table).where(self.table.c[self.key] == key)
        if lock or share:
            stmt = stmt.with_for_update(read=not lock)
        return self.session.execute(stmt).mappings().first()

    def update(self, key: str, values: Mapping[str, Any]) -> None:
        """Set ``values`` on the row of ``key``."""
        self.session.execute(update(self.table).where(self.table.c[self.key] == key).values(**values))
