"""The feed: append an integration event with the next sequence number; page through it.

Gap-free and in order: an append increments the single ``feed_head`` row and inserts the event in one
transaction. The row lock on the head is held until the commit, so the appends commit one after the
other in sequence order: a reader that has seen ``n`` can never later find a smaller number appear
(which a plain database sequence allows: 7 may commit before 6). A duplicate event id (at-least-once
delivery, a republish) rolls the whole transaction back, the head's increment with it: no gap."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, or_, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Engine

from event_feed.adapters.orm import feed_events
from event_feed.adapters.repository import EventRepository
from event_feed.domain import filters
from shared import contracts, hardening, jurisdiction, regions
from shared.errors import InvalidInput
from shared.events import Envelope
from shared.messaging.subscriber import PermanentError

DEFAULT_LIMIT, MAX_LIMIT = 100, 500
_NEXT_SEQ = text("INSERT INTO feed_head (id, last_seq) VALUES (1, 1) "
                 "ON CONFLICT (id) DO UPDATE SET last_seq = feed_head.last_seq + 1 RETURNING last_seq")


class _Duplicate(Exception):
    pass


def append(engine: Engine, body: Any, now: dt.datetime) -> int | None:
    """Store one event from ``platform.events``; its sequence number, or None for a duplicate."""
    envelope = Envelope.from_dict(body)            # malformed: InvalidInput, dead-lettered at once
    contract = contracts.CATALOGUE.get(envelope.type)
    if contract is None or not contract.integration:
        raise PermanentError(f"{envelope.type} is not an integration event")
    if envelope.service != contract.producer:
        raise PermanentError(f"{envelope.type} from {envelope.source}, owned by {contract.producer}")
    raw = body if isinstance(body, dict) else envelope.to_dict()
    try:
        with engine.begin() as conn:
            seq = conn.execute(_NEXT_SEQ).scalar_one()
            inserted = conn.execute(pg_insert(feed_events).values(
                seq=seq, event_id=envelope.id, type=envelope.type, source=envelope.source,
                subject=str(envelope.subject)[:100], region=envelope.region,
                city=regions.city_of(envelope.region) or envelope.region,
                routing_key=contracts.integration_routing_key(contract, envelope.region)[:255],
                time=str(envelope.time)[:40], envelope=raw, received_at=now,
            ).on_conflict_do_nothing(index_elements=["event_id"])).rowcount
            if not inserted:
                raise _Duplicate()
    except _Duplicate:
        return None
    return seq


def page(tx, after: Any = 0, type: str | None = None, region: str | None = None, limit: Any = DEFAULT_LIMIT,
         scope=None) -> dict:
    """Events after ``after`` in sequence order, within the caller's jurisdiction (or ``scope``, a feed
    token's region), narrowed by type patterns and region; ``next_after`` is what to ask for next (the
    last one returned, or ``after``)."""
    after_i = hardening.strict_int(0 if after in (None, "") else after, "after", minimum=0, what="起始序号")
    limit_i = hardening.strict_int(DEFAULT_LIMIT if limit in (None, "") else limit, "limit", minimum=1,
                                   maximum=MAX_LIMIT, what="每页条数")
    try:
        patterns, region_code = filters.parse_types(type), filters.parse_region(region)
    except filters.FilterError as exc:
        raise InvalidInput.field(exc.field, "feed.invalid_filter", str(exc)) from None
    c = feed_events.c
    if scope is None:
        scope = jurisdiction.within(tx.principal, county=c.region, city=c.city)
    wanted = [scope]
    if region_code:
        wanted.append(or_(c.region == region_code, c.city == region_code))
    if patterns and "*" not in patterns:
        conditions = [c.type.like(filters.like_of(p), escape="\\") for p in patterns]
        wanted.append(or_(*conditions) if len(conditions) > 1 else and_(*conditions))
    rows = tx.repository(EventRepository).after(after_i, *wanted, limit=limit_i)
    items = [serialize(row) for row in rows]
    return {"items": items, "next_after": items[-1]["seq"] if items else after_i, "limit": limit_i}


def serialize(row) -> dict:
    return {"seq": row.seq, "id": row.event_id, "type": row.type, "region": row.region, "city": row.city,
            "subject": row.subject, "time": row.time, "routing_key": row.routing_key,
            "received_at": row.received_at.isoformat() if row.received_at else None, "event": row.envelope}
