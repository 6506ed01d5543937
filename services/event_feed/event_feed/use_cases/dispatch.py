"""Webhook deliveries from the feed, apart from every stage: a slow or dead endpoint holds up nothing
but its own deliveries.

Each poll: :func:`fan_out` turns the feed rows after each enabled endpoint's cursor into deliveries
of the events its filter matches; :func:`claim_due` leases the due deliveries (``FOR UPDATE SKIP
LOCKED``, so replicas share them); :func:`attempt` posts one, signed, and records the attempt. A
failure is tried again with exponential back-off until the policy's retry period since the
delivery was made is over; then the delivery has failed and its endpoint is disabled with the reason.
Delivery is at least once: receivers dedupe by ``X-Platform-Event-Id`` (the event's id)."""
from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from event_feed.adapters.orm import feed_events, webhook_attempts, webhook_deliveries, webhook_endpoints
from event_feed.domain import filters, webhooks
from event_feed.use_cases.feed import serialize

FAN_OUT_BATCH = 500
#: a claimed delivery is not claimed again for its timeout plus this (a crash mid-post: sent again later)
LEASE_MARGIN_SECONDS = 30


@dataclass(frozen=True)
class Due:
    delivery_id: str
    endpoint_id: str
    url: str
    secret: str
    seq: int
    attempts: int
    created_at: dt.datetime
    body: bytes


def fan_out(engine: Engine, now: dt.datetime, batch: int = FAN_OUT_BATCH) -> int:
    """New deliveries for the feed rows after each enabled endpoint's cursor; how many were made."""
    made = 0
    with engine.begin() as conn:
        endpoints = conn.execute(select(webhook_endpoints).where(webhook_endpoints.c.enabled.is_(True))
                                 .with_for_update(skip_locked=True)).mappings().all()
        for endpoint in endpoints:
            rows = conn.execute(select(feed_events.c.seq, feed_events.c.event_id, feed_events.c.type,
                                       feed_events.c.region, feed_events.c.city)
                                .where(feed_events.c.seq > endpoint["cursor_seq"])
                                .order_by(feed_events.c.seq).limit(batch)).all()
            if not rows:
                continue
            wanted = filters.EventFilter(filters.parse_types(endpoint["types"]), endpoint["region"])
            new = [{"id": str(uuid.uuid4()), "endpoint_id": endpoint["id"], "seq": r.seq, "event_id": r.event_id,
                    "event_type": r.type, "status": "pending", "attempts": 0, "created_at": now,
                    "next_attempt_at": now} for r in rows if wanted.matches(r.type, r.region, r.city)]
            if new:
                conn.execute(insert(webhook_deliveries), new)
            conn.execute(update(webhook_endpoints).where(webhook_endpoints.c.id == endpoint["id"])
                         .values(cursor_seq=rows[-1].seq))
            made += len(new)
    return made


def claim_due(engine: Engine, now: dt.datetime, policy: webhooks.Policy) -> list[Due]:
    """Lease the due deliveries of enabled endpoints, oldest first."""
    d, e = webhook_deliveries.c, webhook_endpoints.c
    lease = now + dt.timedelta(seconds=policy.timeout_seconds + LEASE_MARGIN_SECONDS)
    with engine.begin() as conn:
        rows = conn.execute(
            select(d.id, d.endpoint_id, d.seq, d.attempts, d.created_at, e.url, e.secret)
            .join(webhook_endpoints, e.id == d.endpoint_id)
            .where(d.status == "pending", d.next_attempt_at <= now, e.enabled.is_(True))
            .order_by(d.next_attempt_at, d.seq).limit(policy.batch_size)
            .with_for_update(of=webhook_deliveries, skip_locked=True)).all()
        if not rows:
            return []
        conn.execute(update(webhook_deliveries).where(d.id.in_([r.id for r in rows])).values(next_attempt_at=lease))
        events = {r.seq: r for r in conn.execute(select(feed_events).where(
            feed_events.c.seq.in_({r.seq for r in rows})))}
    return [Due(r.id, r.endpoint_id, r.url, r.secret, r.seq, r.attempts, r.created_at,
                json.dumps(serialize(events[r.seq]), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            for r in rows]


#: (url, body, headers, timeout) -> (HTTP status or None, error text or None)
Sender = Callable[[str, bytes, dict, float], tuple[int | None, str | None]]


def attempt(engine: Engine, due: Due, policy: webhooks.Policy, send: Sender, clock: Callable[[], dt.datetime]) -> bool:
    """Post one delivery and record the attempt; True when the receiver took it (2xx)."""
    sent_at = clock()
    timestamp = int(sent_at.timestamp())
    headers = {"Content-Type": "application/json; charset=utf-8", webhooks.TIMESTAMP_HEADER: str(timestamp),
               webhooks.SIGNATURE_HEADER: webhooks.signature(due.secret, timestamp, due.body),
               webhooks.EVENT_ID_HEADER: json.loads(due.body)["id"], webhooks.DELIVERY_HEADER: due.delivery_id}
    started = time.monotonic()
    status, error = send(due.url, due.body, headers, policy.timeout_seconds)
    duration_ms = round((time.monotonic() - started) * 1000, 1)
    ok = status is not None and 200 <= status < 300
    if not ok and error is None:
        error = f"HTTP {status}"
    now, attempts = clock(), due.attempts + 1
    values: dict = {"attempts": attempts, "last_error": None if ok else error}
    if ok:
        values.update(status="delivered", delivered_at=now, next_attempt_at=None)
    else:
        retry_at = policy.next_attempt(due.created_at, attempts, now)
        values.update(status="pending" if retry_at else "failed", next_attempt_at=retry_at)
    with engine.begin() as conn:
        conn.execute(insert(webhook_attempts).values(delivery_id=due.delivery_id, at=sent_at, status_code=status,
                                                     duration_ms=duration_ms, error=None if ok else error))
        conn.execute(update(webhook_deliveries).where(webhook_deliveries.c.id == due.delivery_id).values(**values))
        if not ok and values["status"] == "failed":
            reason = (f"事件 {due.seq} 自 {due.created_at.isoformat()} 起 {attempts} 次投递均失败"
                      f"（重试期 {int(policy.retry_period_seconds)} 秒已过），最后错误: {error}")
            conn.execute(update(webhook_endpoints).where(webhook_endpoints.c.id == due.endpoint_id)
                         .where(webhook_endpoints.c.enabled.is_(True))
                         .values(enabled=False, disabled_at=now, disabled_reason=reason[:2000]))
    return ok
