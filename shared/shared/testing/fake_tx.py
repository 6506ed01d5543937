"""A fake :class:`shared.service.Tx`, as Cosmic Python's ``FakeUnitOfWork``.

A use case written against ``tx.repository(SomeRepository)``, ``tx.emit`` and ``tx.audit`` runs on it
unchanged: the repositories are in-memory fakes the test hands in, emitted events are kept in
``tx.emitted`` (validated against their contracts, as the outbox validates them) and audit rows in
``tx.audited``. A use case that still reaches for ``tx.session`` fails loudly (:class:`NoSession`),
so a test never passes by accident against a database it does not have::

    tx = FakeTx(Principal(account_id="a1", role="county_hrss", region="440703"),
                service="subsidy_review", repositories={ApplicationRepository: FakeApplications([...])})
    use_cases.approve(tx, application_id)
    assert tx.event_types() == ["application.county_approved"]
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar, cast

from sqlalchemy import Table

from shared.auth.principal import Principal
from shared.clock import FixedClock
from shared.events import Envelope
from shared.outbox import outbox_rows
from shared.service import Tx

R = TypeVar("R")
DEFAULT_NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


class NoSession:
    """Stands where a real Tx has its SQLAlchemy session: any use of it is a test failure."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the use case used tx.session.{name}: put the query behind a repository")


@dataclass(frozen=True)
class AuditEntry:
    """One row :meth:`FakeTx.audit` recorded."""

    action: str
    subject_type: str
    subject_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    region: str | None
    actor: Principal


class FakeTx(Tx):
    """A unit of work in memory: fake repositories, recorded events (the outbox), recorded audit."""

    def __init__(self, principal: Principal, *, service: str, repositories: Mapping[type, Any] | None = None,
                 now: datetime = DEFAULT_NOW, event: Envelope | None = None, correlation_id: str | None = None,
                 read_only: bool = False) -> None:
        super().__init__(session=NoSession(), principal=principal, service=service,  # type: ignore[arg-type]
                         clock=FixedClock(now), correlation_id=correlation_id, event=event, read_only=read_only)
        self._repositories = dict(repositories or {})
        self.audited: list[AuditEntry] = []

    def repository(self, kind: type[R]) -> R:
        """The fake the test registered for ``kind`` (a missing one is a test set-up error)."""
        try:
            return cast(R, self._repositories[kind])
        except KeyError:
            raise AssertionError(f"FakeTx has no fake for {kind.__name__}: pass it in repositories=") from None

    def emit(self, event_type: str, *, subject: str, region: str, data: dict[str, Any],
             actor: dict[str, Any] | None = None) -> Envelope:
        envelope = self._envelope(event_type, subject=subject, region=region, data=data, actor=actor)
        outbox_rows(envelope)  # the contract check the outbox makes: producer and schema
        self.emitted.append(envelope)
        return envelope

    def emit_many(self, events: list[dict[str, Any]], *, keep: bool = True) -> list[Envelope]:
        """Every event is kept in ``emitted`` (``keep`` or not): the tests look at them."""
        return [self.emit(e["event_type"], subject=e["subject"], region=e["region"], data=e["data"])
                for e in events]

    def audit(self, action: str, subject_type: str, subject_id: str, *, before: dict[str, Any] | None = None,
              after: dict[str, Any] | None = None, region: str | None = None) -> None:
        self.audited.append(AuditEntry(action, subject_type, str(subject_id), copy.deepcopy(before),
                                       copy.deepcopy(after), region, self.principal))

    def audit_many(self, entries: list[dict[str, Any]]) -> None:
        for e in entries:
            self.audit(e["action"], e["subject_type"], e["subject_id"], before=e.get("before"), after=e.get("after"),
                       region=e.get("region"))

    # -- what tests ask ------------------------------------------------------------------------
    def event_types(self) -> list[str]:
        """The types of the events emitted so far, in order."""
        return [e.type for e in self.emitted]

    def audit_actions(self) -> list[str]:
        """The actions of the audit rows recorded so far, in order."""
        return [a.action for a in self.audited]


class InMemoryRepository:
    """A base for fake repositories: rows as dicts keyed by their id, copied in and out so a use case
    never changes a stored row behind the repository's back."""

    #: the column (or tuple of columns) that identifies a row
    key: str | tuple[str, ...] = "id"

    def __init__(self, rows: Iterable[Mapping[str, Any]] = ()) -> None:
        self.rows: dict[Any, dict[str, Any]] = {}
        for row in rows:
            self.put(row)

    def put(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """Store ``row`` (replacing one with the same key) and return a copy."""
        stored = dict(copy.deepcopy(dict(row)))
        self.rows[self.key_of(stored)] = stored
        return copy.deepcopy(stored)

    def key_of(self, row: Mapping[str, Any]) -> Any:
        return tuple(row[k] for k in self.key) if isinstance(self.key, tuple) else row[self.key]

    def find(self, key: Any) -> dict[str, Any] | None:
        row = self.rows.get(key)
        return copy.deepcopy(row) if row is not None else None

    def where(self, predicate: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        return [copy.deepcopy(r) for r in self.rows.values() if predicate(r)]

    def patch(self, key: Any, values: Mapping[str, Any]) -> dict[str, Any]:
        """Update the stored row ``key`` with ``values`` and return the row as it now is."""
        self.rows[key].update(copy.deepcopy(dict(values)))
        return copy.deepcopy(self.rows[key])


class FakeTableRepository(InMemoryRepository):
    """The in-memory stand-in of a :class:`shared.db.repository.TableRepository`: ``get`` and ``update``
    by key, and ``add`` storing a row with every column of ``table`` (None unless ``defaults`` or the
    values say otherwise, as the database fills what a use case leaves out)."""

    table: ClassVar[Table | None] = None
    defaults: ClassVar[Mapping[str, Any]] = {}

    def get(self, key: Any, *, lock: bool = False, share: bool = False) -> dict[str, Any] | None:
        return self.find(key)

    def update(self, key: Any, values: Mapping[str, Any]) -> None:
        self.patch(key, values)

    def add(self, values: Mapping[str, Any]) -> None:
        columns = {c.name: None for c in self.table.c} if self.table is not None else {}
        self.put({**columns, **copy.deepcopy(dict(self.defaults)), **values})
