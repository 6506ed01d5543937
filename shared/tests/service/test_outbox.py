"""Outbox and relay inside a running service: after-commit publish, integration copy, unroutable rows."""
import json

from shared import contracts
from shared.events import Envelope
from shared.messaging import topology
from shared.testing import rabbit
from shared.testing.helpers import rows, rpc_client, scalar, wait_for


def test_command_event_is_published_once_as_a_valid_envelope(sample, sample_config, vhost, issue):
    tap = rabbit.Tap(vhost, ["sample.events"])
    token, claims = issue()
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        thing = svc.create_thing("第一件")
    messages = tap.drain(wait=5, until=1) + tap.drain(wait=0.5)
    assert len(messages) == 1
    envelope = Envelope.from_dict(messages[0]["body"])
    assert envelope.type == "sample.thing_created" and envelope.subject == thing["id"]
    assert envelope.actor == {"role": "county_hrss", "account_id": claims["sub"], "name": "测试用户"}
    assert messages[0]["properties"]["message_id"] == envelope.id
    assert messages[0]["properties"]["delivery_mode"] == 2
    contracts.get(envelope.type).validate(envelope.data)
    url = sample_config["DATABASE_URL"]
    wait_for(lambda: scalar(url, "SELECT sent_at FROM platform_outbox WHERE exchange='sample.events'"),
             message="the row marked sent")
    outbox = rows(url, "SELECT event_id FROM platform_outbox WHERE exchange='sample.events'")
    assert [r["event_id"] for r in outbox] == [envelope.id]


def test_integration_copy_is_masked_and_routed_by_line_city_county(sample, sample_config, vhost, issue):
    city_tap = rabbit.Tap(vhost, [contracts.INTEGRATION_EXCHANGE], "subsidy.440700.#")
    other_county = rabbit.Tap(vhost, [contracts.INTEGRATION_EXCHANGE], "subsidy.*.440704.#")
    token, _ = issue(region="440703")
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        svc.create_thing("公开的")
    [message] = city_tap.drain(wait=5, until=1)
    assert message["routing_key"] == "subsidy.440700.440703.sample.thing_created"
    assert other_county.drain(wait=0.5) == []


def test_unroutable_event_stays_unsent_until_the_topology_exists(sample, sample_config, vhost, issue):
    url = sample_config["DATABASE_URL"]
    token, _ = issue()
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        svc.emit_orphan(7)
    wait_for(lambda: scalar(url, "SELECT attempts FROM platform_outbox WHERE event_type='sample.orphaned'"),
             message="a publish attempt")
    row = rows(url, "SELECT sent_at, last_error FROM platform_outbox WHERE event_type='sample.orphaned'")[0]
    assert row["sent_at"] is None and row["last_error"].startswith("unroutable")

    topology.declare(sample_config["AMQP_URI"], {"sample_late": ["sample.orphaned"]}, (100,))
    wait_for(lambda: scalar(url, "SELECT sent_at FROM platform_outbox WHERE event_type='sample.orphaned'"),
             timeout=10, message="the orphan to be sent")
    depth, _ = rabbit.queue_depth(vhost, "sample_late.sample.orphaned")
    assert depth == 1
    assert scalar(url, "SELECT count(*) FROM platform_outbox WHERE event_type='sample.orphaned'") == 1


def test_topology_plan_covers_every_subscription():
    plan = topology.plan(None, (1000, 10000))
    names = {q.name for q in plan["queues"]}
    for consumer, types in contracts.SUBSCRIPTIONS.items():
        for event_type in types:
            queue = contracts.queue_name(consumer, event_type)
            assert {queue, f"{queue}.retry.1000ms", f"{queue}.retry.10000ms", f"{queue}.dlq"} <= names
    assert set(contracts.exchanges()) == set(plan["exchanges"])
    assert json.dumps([q.arguments for q in plan["queues"]])  # plain data
