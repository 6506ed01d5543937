"""Several events of one queue in one transaction (issue 15: hand-offs of a ticked batch).

A batch transaction emits a hundred events at once; handled one transaction each, ten at a time, every
event paid its own commit (an fsync) and every handler that serialises on purpose (the audit chain's
advisory lock, finance's batch lock) held its lock across a hundred commits one after the other. The
subscriber (``shared.messaging.grouped.GroupedEventSubscriber``) hands a worker the messages of its
queue that are waiting at that moment (one when the queue is quiet), and :func:`handle_group` runs them
in one transaction: per event the same checks, an inbox row (``inbox.claim_many``: one statement for
the group; a duplicate is skipped) and the same handler as :meth:`PlatformApi.handle_event`; then one
commit, and the messages are acknowledged after it. Nothing about delivery changes: exactly once by
the inbox, at least once by the ack after the commit.

If anything in the group fails (a handler raises, a deadlock, the commit), the whole transaction is
rolled back and every event of the group is handled again alone, in its own transaction, exactly as
before: a failing event then takes the usual way (retry queue, dead letters) and the others commit.
Events are taken in the order of their subject (stable: one subject's events keep their order), so two
groups that touch the same rows lock them in the same order.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from shared import inbox, logs
from shared.auth.principal import Principal
from shared.events import Envelope

if TYPE_CHECKING:
    from shared.service import PlatformApi, Tx

log = logging.getLogger(__name__)


class EventGroup(list):  # type: ignore[type-arg]
    """The bodies of several messages of one queue, handed to one worker (never a message body)."""


def handle_group(api: PlatformApi, consumer: str, event_type: str, fn: Callable[..., Any], service: Any,
                 bodies: list[Any]) -> list[BaseException | None]:
    """Handle ``bodies``; returns one outcome per body, in order: None (done, or a duplicate) or the
    exception its own transaction raised (the subscriber retries or dead-letters that message)."""
    outcomes: list[BaseException | None] = [None] * len(bodies)
    envelopes: list[tuple[int, Envelope]] = []
    for i, body in enumerate(bodies):
        try:
            envelopes.append((i, api.check_event(consumer, event_type, body)))
        except Exception as exc:  # noqa: BLE001 - a malformed event: its own outcome (dead letter)
            outcomes[i] = exc
    if len(envelopes) > 1:
        try:
            _together(api, consumer, fn, service, sorted(envelopes, key=lambda pair: pair[1].subject))
            return outcomes
        except Exception as exc:  # noqa: BLE001 - rolled back as a whole: each event again, alone
            log.info("group of %d %s events rolled back (%s: %s); handling them one by one",
                     len(envelopes), event_type, type(exc).__name__, exc)
    for i, _ in envelopes:
        try:
            api.handle_event(consumer, event_type, fn, service, bodies[i])
        except Exception as exc:  # noqa: BLE001 - this event's own failure
            outcomes[i] = exc
    return outcomes


def _together(api: PlatformApi, consumer: str, fn: Callable[..., Any], service: Any,
              envelopes: list[tuple[int, Envelope]]) -> None:
    provider = api.provider
    done: list[Tx] = []
    with Session(api.engine, expire_on_commit=False) as session:
        with session.begin():
            # the group's inbox rows in one statement (a repeat blocks on the key, as inbox.claim does)
            claimed = inbox.claim_many(session, consumer, [(e.id, e.type) for _, e in envelopes])
            for _, envelope in envelopes:
                if envelope.id not in claimed:
                    log.info("duplicate event %s for %s ignored", envelope.id, consumer)
                    continue
                claimed.discard(envelope.id)  # a repeat inside the group is a duplicate too
                tx = provider.new_tx(session, Principal.system(provider.service_name), event=envelope,
                                     correlation_id=envelope.correlationid or envelope.id)
                fn(service, tx, envelope)
                done.append(tx)
    for tx in done:
        provider.after_commit(tx)
    for tx in done:
        event = tx.event
        assert event is not None
        logs.bind(event.correlationid or event.id)
        log.info("event %s %s handled by %s (group of %d)", event.type, event.id, consumer, len(envelopes),
                 extra={"event_id": event.id, "consumer": consumer})

