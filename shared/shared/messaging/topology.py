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

Queue type: ``PLATFORM_QUEUE_TYPE`` (config or env) ``classic`` (default: ``make run``, the tests) or
``quorum`` (docker-compose.yml, deploy/k8s): the work queues - each subscription's ``<consumer>.<type>``
and each service's ``rpc-<service>`` (see ``shared.service.rpc``) - are then replicated quorum queues
that the replicas of a service share, so scaling out needs no redeclaration. Retry and dead-letter
queues stay classic (no consumers compete on them; a quorum queue each would triple the count: on
RabbitMQ 3.10.8 here, a vhost with ~370 quorum queues stopped accepting connections, 250 were fine).
nameko's reply queues (exclusive, auto-delete) stay classic. An existing classic queue cannot be
redeclared quorum (PRECONDITION_FAILED): ``platform-topology --migrate-classic`` moves each one
(see :func:`migrate_classic`).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

import amqp

from shared import contracts
from shared.messaging.amqp import amqp_uri, connect

DEFAULT_RETRY_DELAYS_MS = (1000, 10_000, 60_000)
QUEUE_TYPES = ("classic", "quorum")


def queue_type(config: dict[str, Any] | None = None) -> str:
    """``PLATFORM_QUEUE_TYPE`` from the config or the environment: ``classic`` (default) or ``quorum``."""
    kind = ((config or {}).get("PLATFORM_QUEUE_TYPE") or os.environ.get("PLATFORM_QUEUE_TYPE") or "classic")
    if kind not in QUEUE_TYPES:
        raise ValueError(f"PLATFORM_QUEUE_TYPE must be one of {QUEUE_TYPES}, not {kind!r}")
    return kind


def queue_arguments(arguments: dict[str, Any] | None, kind: str) -> dict[str, Any]:
    """``arguments`` of a work queue declared as ``kind``. A classic queue carries no ``x-queue-type``
    (as before: a queue declared by an older release stays equivalent)."""
    return {**(arguments or {}), "x-queue-type": "quorum"} if kind == "quorum" else dict(arguments or {})


def retry_delays_ms(config: dict[str, Any] | None = None) -> tuple[int, ...]:
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
    arguments: dict[str, Any] | None = None
    exchange: str | None = None
    routing_key: str | None = None
    retry_exchange: str | None = None    # also bound to this direct exchange with its own name

    @property
    def work(self) -> bool:
        """A subscription's queue, which the service's replicas consume (not a retry or dead-letter queue)."""
        return self.exchange is not None

    def arguments_as(self, kind: str) -> dict[str, Any]:
        return queue_arguments(self.arguments, kind if self.work else "classic")


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


def declare_queue_specs(channel: Any, specs: list[QueueSpec], *, foreign_exchanges_passive: bool = False,
                        kind: str = "classic") -> Any:
    """Declare ``specs`` on ``channel``, the work queues as ``kind``. With ``foreign_exchanges_passive``
    the producers' exchanges are only checked (a service's broker user may not declare another
    service's exchange; platform-topology has declared it). A retry queue left by an older topology
    (dead-lettering through the default exchange) is replaced when it is empty. Returns the channel to
    go on with (a refused passive declaration closes the one given)."""
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
        arguments = spec.arguments_as(kind)
        try:
            channel.queue_declare(spec.name, durable=True, auto_delete=False, arguments=arguments)
        except amqp.exceptions.PreconditionFailed:
            if not (spec.arguments and "x-message-ttl" in spec.arguments):
                raise
            channel = channel.connection.channel()
            channel.queue_delete(spec.name, if_empty=True)
            channel.queue_declare(spec.name, durable=True, auto_delete=False, arguments=arguments)
        _bind(channel, spec, spec.name)
    return channel


def _bind(channel: Any, spec: QueueSpec, queue: str, unbind: bool = False) -> None:
    """Bind (or unbind) ``queue`` as ``spec`` says ``spec.name`` is bound."""
    method = channel.queue_unbind if unbind else channel.queue_bind
    if spec.exchange:
        method(queue, spec.exchange, spec.routing_key)
    if spec.retry_exchange:
        method(queue, spec.retry_exchange, spec.name)


def _move(channel: Any, source: str, spec: QueueSpec) -> int:
    """Move every message of ``source`` into the queue bound as ``spec`` on its retry exchange, each
    acked only after the broker confirmed its copy. Returns how many moved."""
    moved = 0
    while (message := channel.basic_get(source)) is not None:
        channel.basic_publish_confirm(amqp.Message(message.body, **message.properties),
                                      exchange=spec.retry_exchange, routing_key=spec.name, mandatory=True)
        channel.basic_ack(message.delivery_tag)
        moved += 1
    return moved


def migrate_classic(uri: str, subscriptions: dict[str, list[str]] | None = None,
                    delays: tuple[int, ...] = DEFAULT_RETRY_DELAYS_MS, rpc_services: tuple[str, ...] = ()
                    ) -> list[str]:
    """Turn every classic work queue of the topology into a quorum queue, keeping its messages: a quorum
    holding queue ``<queue>.migrating`` takes its bindings, the classic queue is unbound, drained into it
    and deleted, the quorum queue is declared and bound, the holding queue unbound, drained into it and
    deleted. A message published in the last step's window can arrive twice (consumers dedupe by
    ``id``); per-application order may change. ``rpc-<service>`` of ``rpc_services`` is deleted when
    classic, idle and empty (the service redeclares it quorum on start: stop it first). Run with the
    consumers of the queues stopped. Returns the queues migrated."""
    topology = plan(subscriptions, delays)
    conn = connect(uri)
    done = []
    try:
        channel = conn.connection.channel()
        for spec in (s for s in topology["queues"] if s.work):
            quorum = spec.arguments_as("quorum")
            try:
                channel.queue_declare(spec.name, durable=True, auto_delete=False, arguments=quorum)
                continue                                # quorum already (or new: created quorum)
            except amqp.exceptions.PreconditionFailed:
                channel = conn.connection.channel()
            holding = f"{spec.name}.migrating"
            channel.queue_declare(holding, durable=True, auto_delete=False, arguments=queue_arguments({}, "quorum"))
            _bind(channel, spec, holding)
            _bind(channel, spec, spec.name, unbind=True)
            _move(channel, spec.name, spec)
            channel.queue_delete(spec.name, if_empty=True)
            channel.queue_declare(spec.name, durable=True, auto_delete=False, arguments=quorum)
            _bind(channel, spec, spec.name)
            _bind(channel, spec, holding, unbind=True)
            channel.close()      # a channel that published to the classic queue must not publish to its
            channel = conn.connection.channel()     # quorum successor (RabbitMQ 3.10 closes the connection)
            _move(channel, holding, spec)
            if channel.queue_declare(holding, passive=True)[1] == 0:  # quorum: no if_empty on delete
                channel.queue_delete(holding)
            done.append(spec.name)
        for service in rpc_services:
            name = f"rpc-{service}"
            try:
                channel.queue_declare(name, passive=True)
                channel.queue_declare(name, durable=True, auto_delete=False, arguments=queue_arguments({}, "quorum"))
            except amqp.exceptions.NotFound:             # not there: its service declares it
                channel = conn.connection.channel()
            except amqp.exceptions.PreconditionFailed:   # classic: drop it when idle and empty
                channel = conn.connection.channel()
                try:
                    channel.queue_delete(name, if_unused=True, if_empty=True)
                except amqp.exceptions.PreconditionFailed as exc:
                    raise RuntimeError(f"{name} is in use or holds requests: stop {service} first ({exc})") from None
                done.append(name)
        channel.close()
    finally:
        conn.release()
    return done


def plan(subscriptions: dict[str, list[str]] | None = None,
         delays: tuple[int, ...] = DEFAULT_RETRY_DELAYS_MS) -> dict[str, Any]:
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
            delays: tuple[int, ...] = DEFAULT_RETRY_DELAYS_MS, kind: str | None = None) -> dict[str, Any]:
    """Declare the whole topology on the broker at ``uri`` with queues of type ``kind`` (default
    :func:`queue_type`); returns the plan it applied."""
    topology = plan(subscriptions, delays)
    conn = connect(uri)
    try:
        channel = conn.connection.channel()
        for name in topology["exchanges"]:
            channel.exchange_declare(name, "topic", durable=True, auto_delete=False)
        channel = declare_queue_specs(channel, topology["queues"], kind=kind or queue_type())
        channel.close()
    finally:
        conn.release()
    return topology


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="platform-topology", description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-uri", default=amqp_uri())
    parser.add_argument("--dry-run", action="store_true", help="print the plan, declare nothing")
    parser.add_argument("--migrate-classic", action="store_true",
                        help="turn existing classic queues into quorum queues, keeping their messages "
                             "(stop the consumers first); then declare the rest")
    args = parser.parse_args(argv)
    delays = retry_delays_ms()
    if args.migrate_classic:
        migrated = migrate_classic(args.amqp_uri, None, delays, tuple(sorted(contracts.SUBSCRIPTIONS)))
        print(f"migrated {len(migrated)} classic queues to quorum: {' '.join(migrated) or '-'}")
        topology = declare(args.amqp_uri, None, delays, "quorum")
        print(f"declared {len(topology['exchanges'])} exchanges and {len(topology['queues'])} queues (quorum)")
        return 0
    if args.dry_run:
        topology = plan(None, delays)
        json.dump({"exchanges": topology["exchanges"], "queues": [q.name for q in topology["queues"]]},
                  sys.stdout, indent=1)
        return 0
    topology = declare(args.amqp_uri, None, delays)
    print(f"declared {len(topology['exchanges'])} exchanges and {len(topology['queues'])} queues ({queue_type()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
