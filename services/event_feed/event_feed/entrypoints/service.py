"""event_feed's RPC interface, its consumer of ``platform.events`` and the webhook poll. Thin:
authorisation and transactions come from ``shared.service``, the rules from ``event_feed.use_cases``."""
from __future__ import annotations

import logging
import os

from nameko.timer import timer

from event_feed.adapters.dispatcher import WebhookDispatcher
from event_feed.use_cases import feed, tokens, webhooks
from shared import logs
from shared.auth.roles import Role
from shared.messaging.subscriber import subscribe_integration
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc

log = logging.getLogger(__name__)

#: officers read the feed of their jurisdiction (a county's officers their county, a city's the city
#: with its counties, a housing bureau its area), the platform admin everything
OFFICERS = [Role.COUNTY_HRSS, Role.COUNTY_ORG, Role.COUNTY_FINANCE, Role.CITY_HRSS, Role.CITY_ORG,
            Role.CITY_FINANCE, Role.HOUSING_BUREAU, Role.SYS_ADMIN]
ADMIN = [Role.SYS_ADMIN]


class EventFeedService(RevocationConsumer, HealthCheck):
    """Every integration event in one gap-free sequence, and signed webhooks delivered from it."""

    name = "event_feed"

    platform = Platform()
    dispatcher = WebhookDispatcher()

    @subscribe_integration()
    def on_integration_event(self, body) -> None:
        """Append one masked event of ``platform.events`` to the feed (a duplicate id is dropped)."""
        fields = body if isinstance(body, dict) else {}
        logs.bind(fields.get("correlationid") or fields.get("id"))
        seq = feed.append(self.platform.engine, body, self.platform.clock.now())
        log.info("feed event %s", seq if seq is not None else "duplicate ignored", extra={"event_id": fields.get("id")})

    @rpc
    @query(roles=OFFICERS)
    def list_events(self, tx: Tx, after=0, type: str | None = None, region: str | None = None, limit=100) -> dict:
        """The feed after ``after``, in sequence order, within the caller's jurisdiction."""
        return feed.page(tx, after, type, region, limit)

    @rpc(sensitive_arguments=("token",))
    @query(public=True)
    def list_events_by_token(self, tx: Tx, token: str, after=0, type: str | None = None,
                             region: str | None = None, limit=100) -> dict:
        """:meth:`list_events` for an integrator's feed token (401 when unknown or revoked)."""
        return feed.page(tx, after, type, region, limit, scope=tokens.scope_of(tx, token))

    # -- integrators' feed tokens (platform admin) -------------------------------------------------
    @rpc
    @command(roles=ADMIN)
    def issue_feed_token(self, tx: Tx, data: dict) -> dict:
        return tokens.issue(tx, data)

    @rpc
    @query(roles=ADMIN)
    def list_feed_tokens(self, tx: Tx) -> dict:
        return tokens.list_tokens(tx)

    @rpc
    @command(roles=ADMIN)
    def revoke_feed_token(self, tx: Tx, token_id: str) -> dict:
        return tokens.revoke(tx, token_id)

    # -- webhooks (platform admin) ----------------------------------------------------------------
    @rpc(sensitive_arguments=("data.secret",))
    @command(roles=ADMIN)
    def register_webhook(self, tx: Tx, data: dict) -> dict:
        return webhooks.register(tx, data, self.dispatcher.allowed_hosts)

    @rpc
    @query(roles=ADMIN)
    def list_webhooks(self, tx: Tx) -> dict:
        return webhooks.list_endpoints(tx)

    @rpc
    @query(roles=ADMIN)
    def get_webhook(self, tx: Tx, endpoint_id: str) -> dict:
        return webhooks.get_endpoint(tx, endpoint_id)

    @rpc
    @command(roles=ADMIN)
    def enable_webhook(self, tx: Tx, endpoint_id: str) -> dict:
        return webhooks.set_enabled(tx, endpoint_id, True)

    @rpc
    @command(roles=ADMIN)
    def disable_webhook(self, tx: Tx, endpoint_id: str, reason: str | None = None) -> dict:
        return webhooks.set_enabled(tx, endpoint_id, False, reason)

    @rpc
    @command(roles=ADMIN)
    def redeliver_webhook(self, tx: Tx, endpoint_id: str, delivery_id: str) -> dict:
        return webhooks.redeliver(tx, endpoint_id, delivery_id)

    @timer(interval=float(os.environ.get("WEBHOOK_POLL_SECONDS", "1")))
    def deliver_webhooks(self) -> int:
        """Fan new feed events out to the endpoints and start the due deliveries."""
        return self.dispatcher.start_deliveries(self.platform.engine, self.platform.clock)
