"""The platform admin's feed tokens and webhook endpoints on a fake unit of work: what is kept, what a
token unlocks, and what is refused."""
from __future__ import annotations

import hashlib

import pytest

from event_feed.adapters.orm import feed_tokens, webhook_endpoints
from event_feed.adapters.repository import EndpointRepository, EventRepository, TokenRepository
from event_feed.use_cases import tokens, webhooks
from shared.auth.principal import Principal
from shared.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from shared.testing.fake_tx import FakeTableRepository, FakeTx

ADMIN = Principal(account_id="admin", role="sys_admin")


class FakeTokens(FakeTableRepository):
    table = feed_tokens

    def all(self):
        return sorted(self.rows.values(), key=lambda r: r["created_at"])

    def by_hash(self, token_hash):
        found = self.where(lambda r: r["token_hash"] == token_hash)
        return found[0] if found else None


class FakeEndpoints(FakeTableRepository):
    table = webhook_endpoints

    def __init__(self):
        super().__init__()
        self.deliveries: list[dict] = []

    def all(self):
        return sorted(self.rows.values(), key=lambda r: r["created_at"])

    def recent_deliveries(self, endpoint_id, limit):
        return [d for d in reversed(self.deliveries) if d["endpoint_id"] == endpoint_id][:limit]

    def attempts_of(self, delivery_ids):
        return []

    def delivery(self, endpoint_id, delivery_id):
        return next((d for d in self.deliveries if (d["endpoint_id"], d["id"]) == (endpoint_id, delivery_id)), None)

    def add_delivery(self, values):
        self.deliveries.append(dict(values))

    def delivery_counts(self, endpoint_ids):
        counts: dict[tuple, int] = {}
        for d in self.deliveries:
            if d["endpoint_id"] in endpoint_ids:
                counts[(d["endpoint_id"], d["status"])] = counts.get((d["endpoint_id"], d["status"]), 0) + 1
        return [(e, s, n) for (e, s), n in counts.items()]


class FakeEvents:
    def __init__(self, head: int):
        self.last_seq = head

    def head(self):
        return self.last_seq


@pytest.fixture
def store():
    return {TokenRepository: FakeTokens(), EndpointRepository: FakeEndpoints(), EventRepository: FakeEvents(7)}


def tx(store) -> FakeTx:
    return FakeTx(ADMIN, service="event_feed", repositories=store)


def test_a_token_is_shown_once_and_only_its_hash_is_kept(store):
    issued = tokens.issue(tx(store), {"name": " 市大数据局 ", "region": "440700"})
    assert issued["token"].startswith(tokens.PREFIX) and issued["name"] == "市大数据局"
    [kept] = store[TokenRepository].rows.values()
    assert kept["token_hash"] == hashlib.sha256(issued["token"].encode()).hexdigest()
    assert issued["token"] not in str(kept)
    assert [t["id"] for t in tokens.list_tokens(tx(store))["items"]] == [issued["id"]]
    assert "token" not in tokens.list_tokens(tx(store))["items"][0]


@pytest.mark.parametrize("data, field", [({"name": ""}, "name"), ({"name": "x" * 101}, "name"),
                                         ({"name": "ok", "region": "4407"}, "region")])
def test_a_token_needs_a_name_and_a_region_code(store, data, field):
    with pytest.raises(InvalidInput) as info:
        tokens.issue(tx(store), data)
    assert field in info.value.details["fields"] and not store[TokenRepository].rows


def test_a_revoked_or_unknown_token_reads_nothing_and_a_valid_one_is_marked_used(store):
    issued = tokens.issue(tx(store), {"name": "县数据局", "region": "440703"})
    reader = tx(store)
    tokens.scope_of(reader, issued["token"])
    assert store[TokenRepository].find(issued["id"])["last_used_at"] == reader.now
    first = tokens.revoke(tx(store), issued["id"])
    assert tokens.revoke(tx(store), issued["id"])["revoked_at"] == first["revoked_at"]  # revoked once
    for token in (issued["token"], tokens.PREFIX + "unknown", "not-a-feed-token", None):
        with pytest.raises(Unauthenticated):
            tokens.scope_of(tx(store), token)
    with pytest.raises(NotFound):
        tokens.revoke(tx(store), "6f1c2a10-0000-4000-8000-000000000000")


def test_an_endpoint_starts_after_the_head_unless_told_and_never_beyond_it(store):
    endpoint = webhooks.register(tx(store), {"url": "https://example.org/hook"})
    assert endpoint["cursor_seq"] == 7 and endpoint["secret"].startswith("whsec_")
    assert webhooks.register(tx(store), {"url": "https://example.org/hook", "from_seq": 0})["cursor_seq"] == 0
    for bad in (8, -1, True, "3"):
        with pytest.raises(InvalidInput) as info:
            webhooks.register(tx(store), {"url": "https://example.org/hook", "from_seq": bad})
        assert info.value.code == "webhook.invalid_from_seq"
    with pytest.raises(InvalidInput) as info:
        webhooks.register(tx(store), {"url": "https://example.org/hook", "secret": "short"})
    assert info.value.code == "webhook.secret_too_short"
    with pytest.raises(InvalidInput) as info:
        webhooks.register(tx(store), {"url": "https://elsewhere.org/hook"}, allowed_hosts=["example.org"])
    assert info.value.code == "webhook.host_not_allowed"
    assert len(store[EndpointRepository].rows) == 2


def test_a_delivery_is_sent_again_as_a_new_one_only_while_the_endpoint_is_enabled(store):
    endpoint = webhooks.register(tx(store), {"url": "https://example.org/hook"})
    endpoints = store[EndpointRepository]
    endpoints.add_delivery({"id": "d1", "endpoint_id": endpoint["id"], "seq": 5, "event_id": "e5",
                            "event_type": "unit.approved", "status": "failed", "attempts": 3,
                            "created_at": tx(store).now})
    again = webhooks.redeliver(tx(store), endpoint["id"], "d1")
    assert (again["seq"], again["status"], again["attempts"]) == (5, "pending", 0) and again["id"] != "d1"
    with pytest.raises(NotFound):
        webhooks.redeliver(tx(store), endpoint["id"], "missing")
    disabling = tx(store)
    assert webhooks.set_enabled(disabling, endpoint["id"], False, "维护")["disabled_reason"] == "管理员停用: 维护"
    assert disabling.audit_actions() == ["webhook.disable"]
    with pytest.raises(Conflict) as info:
        webhooks.redeliver(tx(store), endpoint["id"], "d1")
    assert info.value.code == "webhook.disabled"
    listed = webhooks.list_endpoints(tx(store))["items"][0]
    assert listed["deliveries"] == {"failed": 1, "pending": 1} and listed["enabled"] is False
