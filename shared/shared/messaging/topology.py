"""``platform-topology``: declare every exchange and consumer queue, generated from the contracts.

Run it before any service produces (``make run`` and the deploy jobs do), so an event published while
its consumer's agency is not yet running waits in a durable queue instead of being dropped.

Per subscription ``(consumer, event type)``:
- ``<consumer>.<type>``             durable queue bound to ``<producer>.events`` with key ``<type>``;
- ``<queue>.retry.<delay>ms``       one per retry delay: TTL, then dead-lettered back to the queue;
- ``<queue>.dlq``                   dead letters, kept until an admin replays them.
Plus every producer's ``<service>.events`` exchange and the integration exchange ``platform.events``,
and per consumer of that exchange (``contracts.INTEGRATION_SUBSCRIPTIONS``, the event feed) the queue
``<consumer>.platform.events`` bound with its key, with the same retry queues and DLQ.
Retry and dead-letter copies travel through the consumer's own direct exchange ``<consumer>.retry``
(each of these queues and the consumer queue bound with its own name), never through the default
exchange: a broker user allowed to write to the default exchange could put a message into any queue
(see ``messaging/permissions``).
Declarations are idempotent; arguments never change for an existing name (RabbitMQ would refuse).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass

import amqp

from shared import contracts
from shared.messaging.amqp import amqp_uri, connect

DEFAULT_RETRY_DELAYS_MS = (1000, 10_000, 60_000)


def retry_delays_ms(config: dict | None = None) -> tuple[int, ...]:
    """Back-off delays of the retries, from ``RETRY_DELAYS_MS`` (config or env, e.g. ``"1000,10000"``)."""
    raw = (config or {}).get("RETRY_DELAYS_MS") or os.environ.get("RETRY_DELAYS_MS")
    if not raw:
        return DEFAULT_RETRY_DELAYS_MS
    if isinstance(raw, (list, tuple)):
        return tuple(int(x) for x in raw)
    return tuple(int(x) for x in str(raw).split(",") if x.strip())


def retry_queue(queue: str, delay_ms: int) -> str:
    return f"{queue}.retry.{delay_ms}ms"


def dead_letter_queue(queue: str) -> str:
    return f"{queue}.dlq"


@dataclass(frozen=True)
class QueueSpec:
    name: str
    arguments: dict | None = None
    exchange: str | None = None
    routing_key: str | None = None
    retry_exchange: str | None = None    # also bound to this direct exchange with its own name


def retry_exchange(consumer: str) -> str:
    return f"{consumer}.retry"


def consumer_queue_specs(consumer: str, event_type: str, delays: tuple[int, ...]) -> list[QueueSpec]:
    """The queue of one subscription with its retry queues and dead-letter queue."""
    return subscription_specs(consumer, contracts.queue_name(consumer, event_type),
                              contracts.get(event_type).exchange, event_type, delays)


def integration_queue_specs(consumer: str, delays: tuple[int, ...]) -> list[QueueSpec]:
    """The queue of a consumer of ``platform.events`` itself (``contracts.INTEGRATION_SUBSCRIPTIONS``)."""
    return subscription_specs(consumer, contracts.integration_queue_name(consumer), contracts.INTEGRATION_EXCHANGE,
                              contracts.INTEGRATION_SUBSCRIPTIONS[consumer], delays)


def subscription_specs(consumer: str, queue: str, exchange: str, routing_key: str,
                       delays: tuple[int, ...]) -> list[QueueSpec]:
    """``queue`` bound to ``exchange`` with ``routing_key``, its retry queues and its dead-letter queue."""
    retries = retry_exchange(consumer)
    specs = [QueueSpec(queue, None, exchange, routing_key, retries)]
    for delay in delays:
        specs.append(QueueSpec(retry_queue(queue, delay), {
            "x-message-ttl": int(delay), "x-dead-letter-exchange": retries, "x-dead-letter-routing-key": queue},
            retry_exchange=retries))
    specs.append(QueueSpec(dead_letter_queue(queue), retry_exchange=retries))
    return specs


def declare_queue_specs(channel, specs: list[QueueSpec], *, foreign_exchanges_passive: bool = False):
    """Declare ``specs`` on ``channel``. With ``foreign_exchanges_passive`` the producers' exchanges are
    only checked (a service's broker user may not declare another service's exchange; platform-topology
    has declared it). A retry queue left by an older topology (dead-lettering through the default
    exchange) is replaced when it is empty. Returns the channel to go on with (a refused passive
    declaration closes the one given)."""
    for spec in specs:
        if spec.exchange and foreign_exchanges_passive:
            try:
                channel.exchange_declare(spec.exchange, "topic", passive=True)
            except amqp.exceptions.NotFound:      # no topology yet: declare it if this user may
                channel = channel.connection.channel()
                channel.exchange_declare(spec.exchange, "topic", durable=True, auto_delete=False)
        elif spec.exchange:
            channel.exchange_declare(spec.exchange, "topic", durable=True, auto_delete=False)
        if spec.retry_exchange:
            channel.exchange_declare(spec.retry_exchange, "direct", durable=True, auto_delete=False)
        try:
            channel.queue_declare(spec.name, durable=True, auto_delete=False, arguments=spec.arguments or {})
        except amqp.exceptions.PreconditionFailed:
            if not (spec.arguments and "x-message-ttl" in spec.arguments):
                raise
            channel = channel.connection.channel()
            channel.queue_delete(spec.name, if_empty=True)
            channel.queue_declare(spec.name, durable=True, auto_delete=False, arguments=spec.arguments)
        if spec.exchange:
            channel.queue_bind(spec.name, spec.exchange, spec.routing_key)
        if spec.retry_exchange:
            channel.queue_bind(spec.name, spec.retry_exchange, spec.name)
    return channel


def plan(subscriptions: dict[str, list[str]] | None = None,
         delays: tuple[int, ...] = DEFAULT_RETRY_DELAYS_MS) -> dict:
    """What :func:`declare` declares, as data (for ``--dry-run`` and tests)."""
    default = subscriptions is None
    subscriptions = contracts.SUBSCRIPTIONS if subscriptions is None else subscriptions
    exchanges = contracts.exchanges()
    queues = [spec for consumer, types in sorted(subscriptions.items()) for t in types
              for spec in consumer_queue_specs(consumer, t, delays)]
    if default:
        queues += [spec for consumer in sorted(contracts.INTEGRATION_SUBSCRIPTIONS)
                   for spec in integration_queue_specs(consumer, delays)]
    return {"exchanges": exchanges, "queues": queues}


def declare(uri: str, subscriptions: dict[str, list[str]] | None = None,
            delays: tuple[int, ...] = DEFAULT_RETRY_DELAYS_MS) -> dict:
    """Declare the whole topology on the broker at ``uri``; returns the plan it applied."""
    topology = plan(subscriptions, delays)
    conn = connect(uri)
    try:
        channel = conn.connection.channel()
        for name in topology["exchanges"]:
            channel.exchange_declare(name, "topic", durable=True, auto_delete=False)
        channel = declare_queue_specs(channel, topology["queues"])
        channel.close()
    finally:
        conn.release()
    return topology


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="platform-topology", description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-uri", default=amqp_uri())
    parser.add_argument("--dry-run", action="store_true", help="print the plan, declare nothing")
    args = parser.parse_args(argv)
    delays = retry_delays_ms()
    if args.dry_run:
        topology = plan(None, delays)
        json.dump({"exchanges": topology["exchanges"], "queues": [q.name for q in topology["queues"]]},
                  sys.stdout, indent=1)
        return 0
    topology = declare(args.amqp_uri, None, delays)
    print(f"declared {len(topology['exchanges'])} exchanges and {len(topology['queues'])} queues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
