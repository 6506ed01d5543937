"""PLATFORM_QUEUE_TYPE=quorum (docker-compose.yml, deploy/k8s): the topology and the service's own
declarations agree on quorum work queues (retry and dead-letter queues stay classic), RPC and events
still flow, retries still come back; and
``migrate_classic`` turns a classic queue holding messages into a quorum queue without losing them."""
import json
import uuid

import amqp
import pytest
import sample_service

from shared.events import Envelope, source_of
from shared.messaging import topology
from shared.testing import rabbit
from shared.testing.helpers import execute, rpc_client, scalar, wait_for

DELAYS = (100, 200, 300)


def envelope(event_type: str, data: dict) -> dict:
    return Envelope(type=event_type, source=source_of("sample"), subject=str(uuid.uuid4()), region="440703",
                    data=data, actor={"role": "system", "account_id": None}).to_dict()


def test_quorum_topology_serves_rpc_events_and_retries(container_factory, sample_config, vhost, issue):
    config = {**sample_config, "PLATFORM_QUEUE_TYPE": "quorum"}
    plan = topology.declare(config["AMQP_URI"], None, DELAYS, "quorum")
    # the service redeclares its queues (consumer, retry, dead-letter, rpc-sample): equivalent, or it would
    # fail to start with PRECONDITION_FAILED
    container = container_factory(sample_service.SampleService, config)
    container.start()
    url = config["DATABASE_URL"]
    token, _ = issue()
    with rpc_client(config["AMQP_URI"], "sample", token) as svc:
        thing = svc.create_thing("法定人数队列")
        types = rabbit.queue_types(vhost)
    wait_for(lambda: scalar(url, "SELECT count(*) FROM effects WHERE kind='thing_created' AND ref=:r",
                            r=thing["id"]) == 1, message="the event consumed from a quorum queue")
    assert {q.name for q in plan["queues"]} <= set(types)
    assert {types[q.name] for q in plan["queues"] if q.work} == {"quorum"}
    assert {types[q.name] for q in plan["queues"] if not q.work} == {"classic"}
    assert "sample.sample.thing_created" in {q.name for q in plan["queues"] if q.work}
    assert types["rpc-sample"] == "quorum"
    replies = [name for name in types if name.startswith("rpc.reply-")]
    assert replies and {types[name] for name in replies} == {"classic"}  # exclusive, auto-delete

    # a failing handler: three retries through quorum TTL queues (dead-lettered at-least-once), then the DLQ
    execute(url, "INSERT INTO switches(name, \"on\") VALUES ('poison_broken', true)")
    rabbit.publish(vhost, "sample.events", "sample.poison", envelope("sample.poison", {"n": 1, "poison": True}))
    wait_for(lambda: rabbit.queue_depth(vhost, "sample.sample.poison.dlq")[0] == 1, timeout=15,
             message="dead letter after the retries")
    conn = rabbit.connection(vhost)
    message = conn.channel().basic_get("sample.sample.poison.dlq", no_ack=True)
    conn.close()
    assert message.headers["x-attempt"] == 4


def test_migrate_classic_keeps_messages_and_bindings(vhost):
    uri = rabbit.uri(vhost)
    subscriptions = {"sample_late": ["sample.orphaned"]}
    topology.declare(uri, subscriptions, (100,), "classic")
    conn = rabbit.connection(vhost)
    conn.channel().queue_declare("rpc-sample_late", durable=True, auto_delete=False)   # as nameko's, classic
    conn.close()
    queue = "sample_late.sample.orphaned"
    for n in range(3):
        rabbit.publish(vhost, "sample.events", "sample.orphaned", envelope("sample.orphaned", {"n": n}))
    assert rabbit.queue_types(vhost)[queue] == "classic"
    # redeclaring it quorum is refused: that is why the migration exists
    with pytest.raises(amqp.exceptions.PreconditionFailed):
        topology.declare(uri, subscriptions, (100,), "quorum")

    migrated = topology.migrate_classic(uri, subscriptions, (100,), ("sample_late", "absent"))
    assert migrated == [queue, "rpc-sample_late"]           # the idle RPC queue dropped: redeclared on start
    types = rabbit.queue_types(vhost)
    assert (types[queue], types[f"{queue}.retry.100ms"], types[f"{queue}.dlq"]) == ("quorum", "classic", "classic")
    assert "rpc-sample_late" not in types and "rpc-absent" not in types
    assert not [name for name in types if name.endswith(".migrating")]
    assert rabbit.queue_depth(vhost, queue)[0] == 3
    rabbit.publish(vhost, "sample.events", "sample.orphaned", envelope("sample.orphaned", {"n": 3}))
    assert rabbit.queue_depth(vhost, queue)[0] == 4               # bound to the producer's exchange again
    topology.declare(uri, subscriptions, (100,), "quorum")        # and equivalent to the quorum topology
    assert topology.migrate_classic(uri, subscriptions, (100,), ("sample_late",)) == []
    conn = rabbit.connection(vhost)
    channel = conn.channel()
    bodies = [channel.basic_get(queue, no_ack=True).body for _ in range(4)]
    conn.close()
    assert sorted(Envelope.from_dict(json.loads(b)).data["n"] for b in bodies) == [0, 1, 2, 3]


def test_platform_topology_migrate_classic_command(vhost, monkeypatch, capsys):
    uri = rabbit.uri(vhost)
    monkeypatch.delenv("PLATFORM_QUEUE_TYPE", raising=False)
    assert topology.main(["--amqp-uri", uri]) == 0                           # classic, as before
    conn = rabbit.connection(vhost)
    channel = conn.channel()
    channel.queue_declare("rpc-identity", durable=True, auto_delete=False)
    channel.basic_consume("rpc-identity", callback=lambda message: None)     # identity still running
    with pytest.raises(RuntimeError, match="stop identity first"):
        topology.main(["--amqp-uri", uri, "--migrate-classic"])
    conn.close()
    assert topology.main(["--amqp-uri", uri, "--migrate-classic"]) == 0
    assert "declared" in capsys.readouterr().out
    work = {q.name for q in topology.plan(None, topology.retry_delays_ms())["queues"] if q.work}
    types = rabbit.queue_types(vhost)
    assert {types[name] for name in work} == {"quorum"} and "rpc-identity" not in types
