"""Writing events to the transactional outbox.

:func:`write_event` inserts the event in the caller's transaction, so the state change and its event
commit or vanish together. The relay (``shared.messaging.relay``) publishes the rows afterwards.
Each event becomes one row for its producer's exchange and, when the contract says so, a second row
with the masked integration view for ``platform.events``.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from shared import contracts
from shared.db.tables import outbox
from shared.events import Envelope


def write_event(session: Session, envelope: Envelope) -> None:
    """Validate ``envelope`` against its contract and add it to the outbox (no commit here)."""
    session.execute(insert(outbox), outbox_rows(envelope))


def write_events(session: Session, envelopes: list[Envelope]) -> None:
    """:func:`write_event` for many events in one statement (a batch of thousands of per-line events)."""
    rows = [row for envelope in envelopes for row in outbox_rows(envelope)]
    if rows:
        session.execute(insert(outbox), rows)


def outbox_rows(envelope: Envelope) -> list[dict[str, Any]]:
    """The outbox rows of one event (validated against its contract)."""
    contract = contracts.get(envelope.type)
    if envelope.service != contract.producer:
        raise ValueError(f"{envelope.source} may not produce {envelope.type} (owned by {contract.producer})")
    contract.validate(envelope.data)
    body = envelope.to_dict()
    rows = [{
        "event_id": envelope.id, "event_type": envelope.type, "exchange": contract.exchange,
        "routing_key": envelope.type, "body": json.dumps(body, ensure_ascii=False, sort_keys=True),
        # events nobody in the catalogue consumes would be returned as unroutable forever
        "mandatory": bool(contracts.consumers_of(envelope.type)),
    }]
    if contract.integration:
        rows.append({
            "event_id": envelope.id, "event_type": envelope.type, "exchange": contracts.INTEGRATION_EXCHANGE,
            "routing_key": contracts.integration_routing_key(contract, envelope.region),
            "body": json.dumps(contracts.integration_view(body), ensure_ascii=False, sort_keys=True),
            # integrators bind when they like; an event no integrator wants is not an error
            "mandatory": False,
        })
    return rows
