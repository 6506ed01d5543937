"""``WebhookDispatcher``: the webhook policy (data file, overridden by the config's ``WEBHOOK_POLICY``)
and the green threads that post deliveries, at most ``WEBHOOK_CONCURRENCY`` at once, each on its own:
the poll that claimed them does not wait for a slow receiver."""
from __future__ import annotations

import logging
from dataclasses import fields
from pathlib import Path
from typing import Any

import eventlet
import yaml
from nameko.extensions import DependencyProvider

from event_feed.adapters import http_sender
from event_feed.domain.webhooks import Policy
from event_feed.use_cases import dispatch

log = logging.getLogger(__name__)
POLICY_FILE = Path(__file__).resolve().parents[1] / "data" / "webhook_policy.yaml"


def load_policy(overrides: dict | None = None) -> Policy:
    values = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8")) or {}
    values.update(overrides or {})
    known = {f.name: f.type for f in fields(Policy)}
    typed: dict[str, Any] = {k: (int(v) if known[k] == "int" else float(v)) for k, v in values.items() if k in known}
    return Policy(**typed)


class WebhookDispatcher(DependencyProvider):
    def setup(self) -> None:
        config = self.container.config
        self.policy = load_policy(config.get("WEBHOOK_POLICY"))
        self.slots = eventlet.Semaphore(int(config.get("WEBHOOK_CONCURRENCY") or 20))
        self.send = http_sender.post
        allowed = str(config.get("WEBHOOK_ALLOWED_HOSTS") or "")
        self.allowed_hosts = [host.strip() for host in allowed.split(",") if host.strip()]

    def get_dependency(self, worker_ctx) -> "WebhookDispatcher":
        return self

    def start_deliveries(self, engine, clock) -> int:
        """Fan the feed out to the endpoints, claim what is due and post each in its own thread."""
        dispatch.fan_out(engine, clock.now())
        due = dispatch.claim_due(engine, clock.now(), self.policy)
        for item in due:
            self.container.spawn_managed_thread(lambda item=item: self._deliver(engine, clock, item),
                                                identifier=f"webhook-{item.delivery_id}")
        return len(due)

    def _deliver(self, engine, clock, item: dispatch.Due) -> None:
        with self.slots:
            try:
                dispatch.attempt(engine, item, self.policy, self.send, clock.now)
            except Exception:  # noqa: BLE001 - the lease runs out and the delivery is tried again
                log.exception("webhook delivery %s could not be recorded", item.delivery_id)
