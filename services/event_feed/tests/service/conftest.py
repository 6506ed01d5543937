"""event_feed in-process against real RabbitMQ and PostgreSQL. ``desk`` publishes masked events on
``platform.events`` as the producers' relays do, and calls the RPCs as the gateway does."""
from __future__ import annotations

import os
import uuid

import pytest

os.environ.setdefault("WEBHOOK_POLL_SECONDS", "0.1")     # read when the service class is defined

from event_feed.service import EventFeedService  # noqa: E402
from shared import contracts  # noqa: E402
from shared.events import Envelope, source_of  # noqa: E402
from shared.testing import rabbit  # noqa: E402
from shared.testing.helpers import remote_code, scalar, wait_for  # noqa: E402
from shared.testing.service import call, service_fixtures  # noqa: E402

SERVICE = "event_feed"
POLICY = {"initial_backoff_seconds": 0.3, "max_backoff_seconds": 1.2, "retry_period_seconds": 1.5,
          "timeout_seconds": 5, "batch_size": 50}

CONFIG = {"WEBHOOK_POLICY": POLICY, "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}
globals().update(service_fixtures(SERVICE, EventFeedService, extra_config=CONFIG))


def envelope(event_type: str = "application.paid", region: str = "440703", subject: str | None = None) -> dict:
    """A masked event as a producer's relay puts it on ``platform.events``."""
    contract = contracts.get(event_type)
    body = Envelope(type=event_type, source=source_of(contract.producer), subject=subject or str(uuid.uuid4()),
                    region=region, data={"application_id": subject or "x", "county": region},
                    actor={"role": "system", "account_id": None}).to_dict()
    return contracts.integration_view(body)


class Desk:
    def __init__(self, config: dict, vhost: str, signer) -> None:
        self.config, self.vhost, self.signer = config, vhost, signer
        self.url = config["DATABASE_URL"]

    def publish(self, body: dict) -> dict:
        contract = contracts.get(body["type"])
        rabbit.publish(self.vhost, contracts.INTEGRATION_EXCHANGE,
                       contracts.integration_routing_key(contract, body["region"]), body)
        return body

    def stored(self) -> int:
        return scalar(self.url, "SELECT count(*) FROM feed_events")

    def wait_stored(self, count: int) -> None:
        wait_for(lambda: self.stored() >= count, timeout=20, message=f"{count} events in the feed")

    def token(self, role: str, region: str | None) -> str:
        token, _ = self.signer.issue(account_id=str(uuid.uuid4()), role=role, region=region, unit_id=None,
                                     name="测试", token_version=1)
        return "Bearer " + token

    def call(self, method: str, *args, role: str = "sys_admin", at: str | None = None, **kwargs):
        """``method`` called as an officer of ``role`` at region ``at``."""
        return call(self.config, SERVICE, method, *args, token=self.token(role, at), **kwargs)

    def read_all(self, after: int = 0, limit: int = 2, **kwargs) -> list[dict]:
        """Every page after ``after`` until an empty one."""
        items = []
        while True:
            page = self.call("list_events", after, limit=limit, **kwargs)
            if not page["items"]:
                return items
            items += page["items"]
            after = page["next_after"]

    def error(self, method: str, *args, **kwargs) -> tuple[int, str]:
        from nameko.exceptions import RemoteError
        with pytest.raises(RemoteError) as info:
            self.call(method, *args, **kwargs)
        return remote_code(info.value)


@pytest.fixture
def desk(event_feed, event_feed_config, vhost, signer) -> Desk:
    return Desk(event_feed_config, vhost, signer)


@pytest.fixture
def make_event():
    return envelope


@pytest.fixture
def webhook_policy() -> dict:
    """The delivery policy the service under test runs with."""
    return POLICY
