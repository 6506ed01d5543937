"""Several events of one queue in one transaction (shared/event_group.py): the same inbox, the same
effects, one commit; a failing event rolls the group back and every event is handled again alone, so
only the failing one fails. Driven without the broker (the subscriber's side is in
test_inbox_and_dead_letters.py: 50 good events and a poison one, published back to back)."""
import types

import pytest
from sample_service import SampleService

from shared.clock import SystemClock
from shared.db.engine import make_engine
from shared.errors import InvalidInput
from shared.event_group import EventGroup, handle_group
from shared.events import Envelope, source_of
from shared.service import Platform, PlatformApi
from shared.testing.helpers import execute, scalar

CONSUMER = "sample.sample.poison"


def event(n: int, poison: bool = False) -> dict:
    return Envelope(type="sample.poison", source=source_of("sample"), subject=str(n), region="440703",
                    data={"n": n, "poison": poison}, actor={"role": "system", "account_id": None}).to_dict()


@pytest.fixture
def api(sample_url):
    provider = Platform.__new__(Platform)  # the provider without a container, as bench/profile_paths does
    provider.engine, provider.clock = make_engine(sample_url, pool_size=2), SystemClock()
    provider.service_name = "sample"
    provider._started, provider.relay = {}, types.SimpleNamespace(wake=lambda: None)
    yield PlatformApi(provider, types.SimpleNamespace(call_id="test", data={}))
    provider.engine.dispose()


def handle(api, bodies):
    return handle_group(api, CONSUMER, "sample.poison", SampleService.on_poison.__wrapped__, SampleService(),
                        EventGroup(bodies))


def test_a_group_commits_its_events_and_their_inbox_rows_in_one_transaction(api, sample_url):
    bodies = [event(n) for n in range(5)]
    assert handle(api, bodies) == [None] * 5
    assert scalar(sample_url, "SELECT count(*) FROM effects WHERE kind='good'") == 5
    assert scalar(sample_url, "SELECT count(*) FROM platform_inbox WHERE consumer=:c", c=CONSUMER) == 5
    # received_at is the transaction's start: one transaction for the five
    assert scalar(sample_url, "SELECT count(DISTINCT received_at) FROM platform_inbox") == 1


def test_a_repeat_in_the_group_or_of_an_earlier_group_has_no_second_effect(api, sample_url):
    first = event(1)
    assert handle(api, [first, event(2)]) == [None, None]
    again = event(3)
    assert handle(api, [first, again, again]) == [None, None, None]
    assert scalar(sample_url, "SELECT count(*) FROM effects") == 3
    assert scalar(sample_url, "SELECT count(*) FROM platform_inbox") == 3


def test_a_failing_event_fails_alone_and_the_others_commit(api, sample_url):
    execute(sample_url, "INSERT INTO switches(name, \"on\") VALUES ('poison_broken', true)")
    bodies = [event(1), event(2, poison=True), event(3), b'{"not": "an envelope"}', event(4)]
    outcomes = handle(api, bodies)
    assert [type(o).__name__ if o else None for o in outcomes] == [None, "RuntimeError", None, "InvalidInput", None]
    assert isinstance(outcomes[3], InvalidInput)
    assert scalar(sample_url, "SELECT string_agg(ref, ',' ORDER BY ref) FROM effects") == "1,3,4"
    assert scalar(sample_url, "SELECT count(*) FROM effects WHERE kind='poison'") == 0
    inbox = scalar(sample_url, "SELECT string_agg(event_id, ',' ORDER BY event_id) FROM platform_inbox")
    assert inbox == ",".join(sorted(bodies[i]["id"] for i in (0, 2, 4)))


def test_events_are_taken_in_subject_order_keeping_one_subjects_order(api, sample_url):
    bodies = [event(n) | {"subject": s} for n, s in ((1, "b"), (2, "m"), (3, "a"), (4, "m"))]
    assert handle(api, bodies) == [None] * 4
    assert scalar(sample_url, "SELECT string_agg(ref, ',' ORDER BY id) FROM effects") == "3,1,2,4"
