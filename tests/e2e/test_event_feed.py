"""The event feed and a webhook against the running platform (event_feed with its own broker user bound
to ``platform.events``): a submission reaches the feed once, masked, for the county's and the city's
officers but not the other county's, and a registered webhook receives it signed."""
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.e2e.walk import City, Walk, until

SECRET = "e2e-webhook-secret-0123456789"


@pytest.fixture(scope="module")
def city(platform):
    return City(platform.config.gateway_url)


@pytest.fixture
def receiver():
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            got.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", got
    server.shutdown()
    server.server_close()


def feed(client, **params) -> list[dict]:
    items, after = [], 0
    while True:
        page = client.get("/events", params={**params, "after": after, "limit": 200})
        if not page["items"]:
            return items
        items += page["items"]
        after = page["next_after"]


def test_a_submission_reaches_the_feed_and_a_signed_webhook(city, receiver):
    url, got = receiver
    admin = city.city("admin")
    hook = admin.post("/webhooks", {"url": url, "secret": SECRET, "types": "application.submitted",
                                    "region": "440703"}, expect=201)
    walk = Walk(city)
    walk.stage1_submit()
    county = city.officer("440703", "county")

    def mine():
        return [i for i in feed(county, type="application.submitted") if i["subject"] == walk.app_id]
    item = until(mine, message="the submission in the feed")[0]
    assert item["region"] == "440703" and item["event"]["id"] == item["id"]
    assert [i["seq"] for i in feed(county)] == sorted({i["seq"] for i in feed(county)})
    assert walk.app_id in {i["subject"] for i in feed(city.city("city_hrss"), region="440703")}
    assert walk.app_id not in {i["subject"] for i in feed(city.officer("440704", "county"))}
    assert walk.graduate.request("GET", "/events", expect=403)
    until(lambda: any(json.loads(b)["id"] == item["id"] for _, b in got), message="the webhook delivery")
    headers, body = next((h, b) for h, b in got if json.loads(b)["id"] == item["id"])
    expected = hmac.new(SECRET.encode(), headers["X-Platform-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Platform-Signature"] == "sha256=" + expected

    def delivered():
        # the receiver has the body before the sender has read the 204 and recorded it: wait for the record
        deliveries = admin.get(f"/webhooks/{hook['id']}")["deliveries"]
        return [d for d in deliveries if d["status"] == "delivered"]
    record = until(delivered, message="the delivery recorded as delivered")[0]
    assert record["attempt_log"][-1]["status_code"] == 204
    admin.post(f"/webhooks/{hook['id']}/disable", {"reason": "e2e done"})


def test_an_integrators_feed_token_reads_its_region_until_revoked(city, platform):
    admin = city.city("admin")
    issued = admin.post("/feed-tokens", {"name": "e2e 对接方", "region": "440703"}, expect=201)
    walk = Walk(city)
    walk.stage1_submit()
    url = platform.config.gateway_url + "/api/v1/events"
    headers = {"Authorization": "Bearer " + issued["token"]}

    def mine():
        page = requests.get(url, params={"type": "application.submitted", "limit": 500}, headers=headers, timeout=30)
        assert page.status_code == 200, page.text
        items = page.json()["items"]
        assert {i["region"] for i in items} <= {"440703"}
        return [i for i in items if i["subject"] == walk.app_id]
    until(mine, message="the submission through the feed token")
    admin.post(f"/feed-tokens/{issued['id']}/revoke")
    refused = requests.get(url, headers=headers, timeout=30)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "feed_token.invalid"
