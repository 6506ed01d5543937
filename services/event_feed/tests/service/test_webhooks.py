"""Webhooks delivered from the feed: signed, retried with back-off, each attempt logged, given up and
the endpoint disabled with the reason after the retry period, re-delivered by hand; a slow receiver
holds up no other endpoint."""
from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from event_feed.domain import webhooks
from shared.testing.helpers import wait_for

SECRET = "receiver-secret-0123456789"


class Receiver:
    """A local HTTP receiver: answers ``fail_first`` times 500 (or always, with ``fail_first=None``),
    then 200; keeps what it got; ``delay`` seconds per request."""

    def __init__(self, fail_first: int | None = 0, delay: float = 0.0) -> None:
        self.fail_first, self.delay, self.received = fail_first, delay, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body, time.monotonic()))
                time.sleep(receiver.delay)
                failing = receiver.fail_first is None or len(receiver.received) <= receiver.fail_first
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    made = []

    def make(**kwargs) -> Receiver:
        made.append(Receiver(**kwargs))
        return made[-1]
    yield make
    for receiver in made:
        receiver.close()


def delivered(desk, endpoint_id: str) -> list[dict]:
    return [d for d in desk.call("get_webhook", endpoint_id)["deliveries"] if d["status"] == "delivered"]


def test_a_receiver_failing_the_first_attempts_gets_the_event_signed_after_retries(desk, make_event, receivers,
                                                                                   webhook_policy):
    receiver = receivers(fail_first=2)
    hook = desk.call("register_webhook", {"url": receiver.url, "secret": SECRET, "types": "application.*",
                                          "region": "440703"})
    assert hook["secret"] == SECRET and hook["enabled"]
    desk.publish(make_event("unit.approved", "440703"))                  # not its type
    desk.publish(make_event("application.paid", "440704"))               # not its region
    wanted = desk.publish(make_event("application.paid", "440703"))
    desk.wait_stored(3)
    wait_for(lambda: delivered(desk, hook["id"]), timeout=20, message="the delivery after two failures")
    assert len(receiver.received) == 3
    for headers, body, _ in receiver.received:       # every attempt signed over timestamp + "." + body
        assert webhooks.verify(SECRET, headers["X-Platform-Timestamp"], body, headers["X-Platform-Signature"])
        assert not webhooks.verify("another-secret-000000", headers["X-Platform-Timestamp"], body,
                                   headers["X-Platform-Signature"])
        assert headers["X-Platform-Event-Id"] == wanted["id"]
    item = json.loads(receiver.received[-1][1])
    assert item["id"] == wanted["id"] and item["seq"] == 3 and item["event"]["region"] == "440703"
    gaps = [b[2] - a[2] for a, b in itertools.pairwise(receiver.received)]
    # each retry waits at least its back-off (doubling from the policy's first), however busy the machine:
    # a lower bound only, since a loaded machine can only make the gaps longer (the doubling itself is
    # the domain rule's unit test)
    first = webhook_policy["initial_backoff_seconds"]
    assert gaps[0] >= first and gaps[1] >= 2 * first, f"back-off of {first} s then {2 * first} s: {gaps}"
    detail = desk.call("get_webhook", hook["id"])
    assert "secret" not in detail and len(detail["deliveries"]) == 1
    log = detail["deliveries"][0]["attempt_log"]
    assert [a["status_code"] for a in log] == [500, 500, 200]
    assert [a["error"] for a in log] == ["HTTP 500", "HTTP 500", None] and all(a["duration_ms"] >= 0 for a in log)


def test_sustained_failure_disables_the_endpoint_with_the_reason_then_redelivery_by_hand(desk, make_event,
                                                                                         receivers):
    receiver = receivers(fail_first=None)
    hook = desk.call("register_webhook", {"url": receiver.url, "secret": SECRET})
    event = desk.publish(make_event())
    wait_for(lambda: not desk.call("get_webhook", hook["id"])["enabled"], timeout=20,
             message="the endpoint disabled after the retry period")
    detail = desk.call("get_webhook", hook["id"])
    assert "重试期" in detail["disabled_reason"] and "HTTP 500" in detail["disabled_reason"]
    failed = detail["deliveries"][0]
    assert failed["status"] == "failed" and failed["attempts"] >= 3 and failed["last_error"] == "HTTP 500"
    attempts = len(receiver.received)
    desk.publish(make_event())                                            # a disabled endpoint gets nothing
    desk.wait_stored(2)
    time.sleep(1)
    assert len(receiver.received) == attempts
    assert desk.error("redeliver_webhook", hook["id"], failed["id"]) == (409, "webhook.disabled")
    receiver.fail_first = 0                                               # the receiver is fixed
    desk.call("enable_webhook", hook["id"])
    again = desk.call("redeliver_webhook", hook["id"], failed["id"])
    assert again["status"] == "pending" and again["id"] != failed["id"]
    wait_for(lambda: len(delivered(desk, hook["id"])) == 2, timeout=20, message="redelivery and the new event")
    assert {json.loads(b)["id"] for _, b, _ in receiver.received[attempts:]} == {event["id"],
                                                                                 desk.read_all()[1]["id"]}
    assert desk.error("redeliver_webhook", hook["id"], "00000000-0000-4000-8000-000000000000")[0] == 404


def test_a_slow_receiver_holds_up_no_other_endpoint(desk, make_event, receivers):
    slow, fast = receivers(delay=3.0), receivers()
    slow_hook = desk.call("register_webhook", {"url": slow.url, "secret": SECRET})
    fast_hook = desk.call("register_webhook", {"url": fast.url, "secret": SECRET})
    started = time.monotonic()
    desk.publish(make_event())
    wait_for(lambda: delivered(desk, fast_hook["id"]), timeout=10, message="the fast endpoint")
    assert time.monotonic() - started < 2.5 and not delivered(desk, slow_hook["id"])
    wait_for(lambda: delivered(desk, slow_hook["id"]), timeout=15, message="the slow endpoint in the end")


def test_registration_is_checked_and_for_the_admin_only(desk):
    assert desk.error("register_webhook", {"url": "ftp://x", "secret": SECRET})[1] == "webhook.invalid_url"
    assert desk.error("register_webhook", {"url": "https://example.org/h"})[1] == "webhook.host_not_allowed"
    assert desk.error("register_webhook", {"url": "http://[oops/h"})[1] == "webhook.invalid_url"
    assert desk.error("register_webhook", {"url": "http://127.0.0.1/h", "secret": "short"})[1] == \
        "webhook.secret_too_short"
    assert desk.error("register_webhook", {"url": "http://127.0.0.1/h", "types": "a b"})[1] == \
        "webhook.invalid_filter"
    assert desk.error("register_webhook", {"url": "http://127.0.0.1/h"}, role="city_hrss", at="440700") == \
        (403, "auth.forbidden")
    made = desk.call("register_webhook", {"url": "http://127.0.0.1/h"})
    assert made["secret"].startswith("whsec_") and len(made["secret"]) > 30
    assert [h["id"] for h in desk.call("list_webhooks")["items"]] == [made["id"]]
    assert desk.error("get_webhook", "00000000-0000-4000-8000-000000000000")[0] == 404
    assert desk.call("disable_webhook", made["id"], "维护")["disabled_reason"] == "管理员停用: 维护"
