"""event_feed's repositories for the admin's and the readers' use cases: the feed's events, the feed
tokens and the webhook endpoints with their deliveries, built on the unit of work's session
(``tx.repository(TokenRepository)``). Appending to the feed and the dispatcher's work run on their own
connections (``use_cases.feed.append``, ``adapters.dispatcher``)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select

from event_feed.adapters.orm import (
    feed_events,
    feed_head,
    feed_tokens,
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
)
from shared.db.repository import TableRepository


class EventRepository:
    """The feed's events in sequence order."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def after(self, after: int, *conditions: Any, limit: int) -> list[Any]:
        """At most ``limit`` events after sequence number ``after`` matching ``conditions``, in order."""
        c = feed_events.c
        return list(self.session.execute(select(feed_events).where(c.seq > after).where(*conditions)
                                         .order_by(c.seq).limit(limit)).all())

    def head(self) -> int:
        """The last sequence number handed out (0 before the first event)."""
        return self.session.execute(select(feed_head.c.last_seq).where(feed_head.c.id == 1)).scalar() or 0


class TokenRepository(TableRepository):
    """Feed tokens (only their SHA-256 is kept)."""

    table = feed_tokens

    def add(self, values: dict) -> None:
        self.session.execute(insert(feed_tokens).values(**values))

    def all(self) -> list[Any]:
        """Every token, oldest first."""
        return list(self.session.execute(select(feed_tokens).order_by(feed_tokens.c.created_at)).mappings().all())

    def by_hash(self, token_hash: str) -> Any:
        return self.session.execute(select(feed_tokens).where(feed_tokens.c.token_hash == token_hash)
                                    ).mappings().first()


class EndpointRepository(TableRepository):
    """Webhook endpoints with their deliveries and the attempts of each."""

    table = webhook_endpoints

    def add(self, values: dict) -> None:
        self.session.execute(insert(webhook_endpoints).values(**values))

    def all(self) -> list[Any]:
        """Every endpoint, oldest first."""
        return list(self.session.execute(select(webhook_endpoints).order_by(webhook_endpoints.c.created_at))
                    .mappings().all())

    def recent_deliveries(self, endpoint_id: str, limit: int) -> list[Any]:
        """The endpoint's latest ``limit`` deliveries, newest first."""
        d = webhook_deliveries.c
        return list(self.session.execute(select(webhook_deliveries).where(d.endpoint_id == endpoint_id)
                                         .order_by(d.created_at.desc(), d.seq.desc()).limit(limit)).mappings().all())

    def attempts_of(self, delivery_ids: list[str]) -> list[Any]:
        """The attempts of the deliveries ``delivery_ids``, in the order they were made."""
        a = webhook_attempts.c
        return list(self.session.execute(select(webhook_attempts).where(a.delivery_id.in_(delivery_ids))
                                         .order_by(a.id)).mappings())

    def delivery(self, endpoint_id: str, delivery_id: str) -> Any:
        """The endpoint's delivery ``delivery_id``, or None."""
        return self.session.execute(select(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id)
                                    .where(webhook_deliveries.c.endpoint_id == endpoint_id)).mappings().first()

    def add_delivery(self, values: dict) -> None:
        self.session.execute(insert(webhook_deliveries).values(**values))

    def delivery_counts(self, endpoint_ids: list[str]) -> list[Any]:
        """(endpoint id, status, count) of the deliveries of ``endpoint_ids``."""
        d = webhook_deliveries.c
        return list(self.session.execute(
            select(d.endpoint_id, d.status, func.count()).where(d.endpoint_id.in_(endpoint_ids))
            .group_by(d.endpoint_id, d.status)).all())
