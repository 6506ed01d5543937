"""Least-privilege broker users (issue 9, item 13): the stack of this tier runs every process as its own
broker user (deploy/broker_users.py), so every other e2e test proves they suffice; these prove they
refuse what a process has no business doing."""
import json
import time
import urllib.parse
import uuid

import amqp
import pytest
import requests

from deploy import broker_users
from shared import contracts
from shared.messaging import permissions
from shared.testing import rabbit
from tests.e2e.walk import City, until


def connect(uri: str) -> amqp.Connection:
    parts = urllib.parse.urlsplit(uri)
    conn = amqp.Connection(host=f"{parts.hostname}:{parts.port or 5672}", userid=urllib.parse.unquote(parts.username),
                           password=urllib.parse.unquote(parts.password),
                           virtual_host=urllib.parse.unquote(parts.path[1:]) or "/")
    conn.connect()
    return conn


def forged_event(event_type: str) -> amqp.Message:
    body = {"specversion": "1.0", "id": str(uuid.uuid4()), "type": event_type, "source": "forged",
            "subject": str(uuid.uuid4()), "region": "440703", "time": "2026-07-01T00:00:00+00:00",
            "data": {"application_id": str(uuid.uuid4())}}
    return amqp.Message(json.dumps(body), content_type="application/json", delivery_mode=2)


@pytest.fixture
def as_process(platform):
    """as_process("unit_registry") -> a channel of that process's own broker user (closed afterwards)."""
    opened = []

    def _open(role: str):
        uri = platform.config.process_amqp_uri(role)
        assert uri != platform.config.amqp_uri, f"{role} runs as the administrator"
        conn = connect(uri)
        opened.append(conn)
        return conn.channel()
    yield _open
    for conn in opened:
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - already closed by the broker
            pass


def refused(action) -> str:
    with pytest.raises(amqp.exceptions.AccessRefused) as info:
        action()
    return str(info.value)


def test_every_process_runs_as_its_own_user_with_no_broker_administration(platform):
    users = broker_users.Management(broker_users.management_uri(platform.config.amqp_uri))
    names = set(users.users())
    for role in [*platform.processes, "deploy"]:
        user = urllib.parse.unquote(urllib.parse.urlsplit(platform.config.process_amqp_uri(role)).username)
        assert user == platform.config.broker_user_prefix + role and user in names
    requests.get(platform.config.gateway_url + "/readyz", timeout=30)     # the gateway's RPC pool connects
    wanted = {platform.config.broker_user_prefix + s for s in ("identity", "subsidy_review", "gateway")}

    def connected():
        conns = users._call("GET", "connections").json()     # the management API's view lags a few seconds
        return wanted <= {c["user"] for c in conns if c.get("vhost") == platform.vhost}
    until(connected, timeout=20, interval=1, message="every process connected as its own user")


def test_a_forged_stage_event_from_another_services_user_is_refused(platform, as_process):
    # unit_registry tries to pass an application to publicity on subsidy_review's behalf
    channel = as_process("unit_registry")
    channel.confirm_select()
    message = refused(lambda: channel.basic_publish_confirm(
        forged_event("application.county_approved"), exchange="subsidy_review.events",
        routing_key="application.county_approved"))
    assert "ACCESS_REFUSED" in message and "subsidy_review.events" in message
    # a consumer of that exchange may bind to what it subscribes to, but not publish to it
    channel = as_process("publicity_assessment")
    channel.confirm_select()
    refused(lambda: channel.basic_publish_confirm(forged_event("application.county_approved"),
                                                  exchange="subsidy_review.events",
                                                  routing_key="application.county_approved"))
    # nor put a message straight into a consumer queue through the default exchange
    channel = as_process("unit_registry")
    channel.confirm_select()
    message = refused(lambda: channel.basic_publish_confirm(
        forged_event("application.county_approved"), exchange="",
        routing_key="publicity_assessment.application.county_approved"))
    assert "amq.default" in message
    # nor publish an event type of another service to the integration exchange
    channel = as_process("unit_registry")
    channel.confirm_select()
    refused(lambda: channel.basic_publish_confirm(forged_event("application.county_approved"),
                                                  exchange=contracts.INTEGRATION_EXCHANGE,
                                                  routing_key="subsidy.440700.440703.application.county_approved"))


def test_a_service_reads_only_its_own_queues_and_what_it_subscribes_to(platform, as_process):
    # full 身份证号 and bank numbers travel on unit_registry.events: org_confirmation subscribes to none of it
    channel = as_process("org_confirmation")
    queue = "org_confirmation.snoop"
    channel.queue_declare(queue, durable=False, auto_delete=True)
    refused(lambda: channel.queue_bind(queue, "unit_registry.events", "#"))
    # subsidy_review consumes individual.approved from unit_registry, but cannot widen that to '#'
    channel = as_process("subsidy_review")
    channel.queue_declare("subsidy_review.snoop", durable=False, auto_delete=True)
    message = refused(lambda: channel.queue_bind("subsidy_review.snoop", "unit_registry.events", "#"))
    assert "topic" in message or "unit_registry.events" in message
    # nor read another service's queue, nor listen to the RPC requests (and tokens) sent to another service
    channel = as_process("org_confirmation")
    refused(lambda: channel.basic_get("publicity_assessment.application.county_approved"))
    channel = as_process("org_confirmation")
    channel.queue_declare("org_confirmation.rpc-snoop", durable=False, auto_delete=True)
    refused(lambda: channel.queue_bind("org_confirmation.rpc-snoop", permissions.RPC_EXCHANGE, "identity.*"))
    # the gateway makes RPC calls only: no event exchange at all
    channel = as_process("gateway")
    channel.confirm_select()
    refused(lambda: channel.basic_publish_confirm(forged_event("unit.approved"), exchange="unit_registry.events",
                                                  routing_key="unit.approved"))


def test_an_integrator_binds_to_platform_events_only_and_receives_masked_events(platform):
    uri = broker_users.add_integrator(platform.config.amqp_uri, "acme", prefix=platform.config.broker_user_prefix)
    conn = connect(uri)
    try:
        channel = conn.channel()
        queue = "integrator.acme.events"
        channel.queue_declare(queue, durable=False, auto_delete=False)
        refused(lambda: channel.queue_bind(queue, "unit_registry.events", "#"))
        channel = conn.channel()
        refused(lambda: channel.queue_declare("someone-elses-queue", durable=False))
        channel = conn.channel()
        channel.queue_bind(queue, contracts.INTEGRATION_EXCHANGE, "#")
        channel.confirm_select()
        refused(lambda: channel.basic_publish_confirm(forged_event("unit.approved"),
                                                      exchange=contracts.INTEGRATION_EXCHANGE,
                                                      routing_key="subsidy.440700.440703.unit.approved"))
        channel = conn.channel()
        tap = rabbit.Tap(platform.vhost, ["unit_registry.events"])   # the administrator's view, for comparison
        try:
            City(platform.config.gateway_url).new_graduate("440703")
            full = [m for m in tap.drain(wait=10, until=1) if m["body"]["type"].startswith("individual.")]
        finally:
            tap.close()
        events, deadline = [], time.monotonic() + 15
        while time.monotonic() < deadline and not any(e["type"].startswith("individual.") for e in events):
            message = channel.basic_get(queue, no_ack=True)
            if message is None:
                time.sleep(0.1)
                continue
            events.append(json.loads(message.body))
        individual = [e for e in events if e["type"].startswith("individual.")]
        assert individual, [e["type"] for e in events]
        data = individual[0]["data"]
        assert "*" in data["id_number"] and "bank_account" not in data and "mobile" not in data
        assert full and "*" not in full[0]["body"]["data"]["id_number"]     # the service exchange carries it whole
    finally:
        conn.close()
