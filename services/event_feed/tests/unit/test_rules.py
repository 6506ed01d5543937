"""event_feed's rules without broker or database: type patterns and regions, the webhook signature
(against an HMAC computed independently), the back-off schedule and the policy file."""
import datetime as dt
import hashlib
import hmac

import pytest

from event_feed.adapters.dispatcher import load_policy
from event_feed.domain import filters, webhooks


def test_type_patterns_match_exact_types_and_prefixes_only():
    patterns = filters.parse_types(" application.* , unit.approved ")
    assert patterns == ["application.*", "unit.approved"]
    assert filters.type_matches(patterns, "application.paid") and filters.type_matches(patterns, "unit.approved")
    assert not filters.type_matches(patterns, "unit.returned") and not filters.type_matches(patterns, "applications.x")
    assert filters.type_matches(filters.parse_types("*"), "anything.at_all")
    assert filters.parse_types("") is None and filters.type_matches(None, "x.y")
    for bad in ("app%", "a b", "application.*.paid", "*.paid", ",".join(["a.b"] * 21)):
        with pytest.raises(filters.FilterError):
            filters.parse_types(bad)


def test_like_patterns_escape_underscores():
    assert filters.like_of("application.*") == "application.%"
    assert filters.like_of("city_batch.confirmed") == "city\\_batch.confirmed"
    assert filters.like_of("*") is None


def test_a_region_filter_takes_a_county_or_its_city():
    wanted = filters.EventFilter(None, "440700")
    assert wanted.matches("a.b", "440703", "440700") and wanted.matches("a.b", "440700", "440700")
    assert not wanted.matches("a.b", "440103", "440100")
    assert not filters.EventFilter(["unit.*"], "440703").matches("application.paid", "440703", "440700")
    with pytest.raises(filters.FilterError):
        filters.parse_region("44070")


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = b'{"seq":1,"id":"e1"}'
    independent = hmac.new(b"k" * 16, b"1764547200." + body, hashlib.sha256).hexdigest()
    assert webhooks.signature("k" * 16, 1764547200, body) == "sha256=" + independent
    assert webhooks.verify("k" * 16, "1764547200", body, "sha256=" + independent)
    assert not webhooks.verify("k" * 16, "1764547201", body, "sha256=" + independent)
    assert not webhooks.verify("k" * 16, "1764547200", body + b" ", "sha256=" + independent)
    assert not webhooks.verify("k" * 16, "not-a-time", body, "sha256=" + independent)


def test_back_off_doubles_up_to_its_cap_and_stops_after_the_retry_period():
    policy = webhooks.Policy(initial_backoff_seconds=10, max_backoff_seconds=60, retry_period_seconds=300)
    first = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    delays, now, attempts = [], first, 0
    while True:
        attempts += 1
        at = policy.next_attempt(first, attempts, now)
        if at is None:
            break
        delays.append((at - now).total_seconds())
        now = at
    assert delays == [10, 20, 40, 60, 60, 60]
    assert (now - first).total_seconds() <= 300 and attempts == 7


def test_the_policy_is_data_and_the_config_overrides_it():
    assert load_policy() == webhooks.Policy(10, 3600, 86400, 10, 50)
    assert load_policy({"retry_period_seconds": "5", "batch_size": "3"}).retry_period_seconds == 5.0
    assert load_policy({"batch_size": "3"}).batch_size == 3
