"""Inbox (duplicates), bounded retries with back-off, the dead-letter queue and its replay."""
import uuid

from shared.events import Envelope, source_of
from shared.messaging import dlq
from shared.testing import rabbit
from shared.testing.helpers import execute, scalar, wait_for


def poison_event(n: int, poison: bool) -> dict:
    return Envelope(type="sample.poison", source=source_of("sample"), subject=str(n), region="440703",
                    data={"n": n, "poison": poison}, actor={"role": "system", "account_id": None}).to_dict()


def test_same_event_twice_is_acknowledged_once_with_one_effect(sample, sample_config, vhost):
    url = sample_config["DATABASE_URL"]
    thing_id = str(uuid.uuid4())
    event = Envelope(type="sample.thing_created", source=source_of("sample"), subject=thing_id, region="440703",
                     data={"thing_id": thing_id, "name": "x"}, actor={"role": "system", "account_id": None}).to_dict()
    rabbit.publish(vhost, "sample.events", "sample.thing_created", event)
    rabbit.publish(vhost, "sample.events", "sample.thing_created", event)
    wait_for(lambda: rabbit.queue_depth(vhost, "sample.sample.thing_created")[0] == 0
             and scalar(url, "SELECT count(*) FROM platform_inbox") == 1, message="both deliveries handled")
    wait_for(lambda: rabbit.queue_depth(vhost, "sample.sample.thing_created") == (0, 1), message="queue drained")
    assert scalar(url, "SELECT count(*) FROM effects WHERE kind='thing_created' AND ref=:r", r=thing_id) == 1
    assert scalar(url, "SELECT count(*) FROM platform_inbox WHERE event_id=:i", i=event["id"]) == 1
    assert rabbit.queue_depth(vhost, "sample.sample.thing_created.dlq")[0] == 0


def test_failing_handler_dead_letters_after_retries_while_good_events_flow(sample, sample_config, vhost):
    url = sample_config["DATABASE_URL"]
    execute(url, "INSERT INTO switches(name, \"on\") VALUES ('poison_broken', true)")
    rabbit.publish(vhost, "sample.events", "sample.poison", poison_event(0, True))
    for n in range(1, 51):
        rabbit.publish(vhost, "sample.events", "sample.poison", poison_event(n, False))

    wait_for(lambda: scalar(url, "SELECT count(*) FROM effects WHERE kind='good'") == 50, message="50 good events")
    wait_for(lambda: rabbit.queue_depth(vhost, "sample.sample.poison.dlq")[0] == 1, timeout=10, message="dead letter")
    conn = rabbit.connection(vhost)
    message = conn.channel().basic_get("sample.sample.poison.dlq", no_ack=False)
    assert message.headers["x-attempt"] == 4  # the first delivery and three retries (100, 200, 300 ms)
    assert "RuntimeError" in message.headers["x-last-error"]
    conn.close()  # unacked: back to the queue
    assert scalar(url, "SELECT count(*) FROM effects WHERE kind='poison'") == 0
    assert scalar(url, "SELECT count(*) FROM platform_inbox WHERE event_type='sample.poison'") == 50

    execute(url, "UPDATE switches SET \"on\" = false")
    wait_for(lambda: rabbit.queue_depth(vhost, "sample.sample.poison.dlq")[0] == 1, message="dead letter back")
    assert dlq.replay(sample_config["AMQP_URI"], "sample.sample.poison") == 1
    wait_for(lambda: scalar(url, "SELECT count(*) FROM effects WHERE kind='poison'") == 1, message="replayed once")
    assert dlq.replay(sample_config["AMQP_URI"], "sample.sample.poison") == 0
    assert scalar(url, "SELECT count(*) FROM effects WHERE kind='poison'") == 1


def test_malformed_event_goes_to_dead_letters_without_retries(sample, sample_config, vhost):
    rabbit.publish(vhost, "sample.events", "sample.poison", b'{"not": "an envelope"}')
    rabbit.publish(vhost, "sample.events", "sample.poison", poison_event(1, False) | {"data": {"n": "x"}})
    wait_for(lambda: rabbit.queue_depth(vhost, "sample.sample.poison.dlq")[0] == 2, message="both dead-lettered")
    conn = rabbit.connection(vhost)
    channel = conn.channel()
    attempts = [channel.basic_get("sample.sample.poison.dlq", no_ack=True).headers["x-attempt"] for _ in range(2)]
    conn.close()
    assert attempts == [1, 1]
