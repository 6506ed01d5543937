"""The event subscriber entrypoint: one durable queue per (service, event type), bounded retries with
back-off, then a dead-letter queue. Nothing is acked and dropped.

nameko's ``@event_handler`` acks and loses a message whose handler raised (or, with
``requeue_on_error``, redelivers it in a hot loop). Here a failed message is republished - confirmed
and persistent - to ``<queue>.retry.<delay>ms`` (TTL, then dead-lettered back to the queue) with an
``x-attempt`` header; after the last delay, or at once for a permanent error (a malformed event),
it goes to ``<queue>.dlq`` with the error. The original is acked only after the copy is confirmed;
if the copy cannot be published the original is requeued.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import amqp
from kombu import Exchange, Queue
from nameko.extensions import SharedExtension
from nameko.messaging import Consumer

from shared import contracts, metrics
from shared.db.outage import is_outage
from shared.errors import InvalidInput, Unavailable
from shared.messaging.amqp import amqp_uri, connect
from shared.messaging.publisher import ConfirmingPublisher, Outgoing
from shared.messaging.topology import (
    QueueSpec,
    consumer_queue_specs,
    dead_letter_queue,
    declare_queue_specs,
    integration_queue_specs,
    queue_arguments,
    queue_type,
    retry_delays_ms,
    retry_exchange,
    retry_queue,
)

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "x-attempt"
ERROR_HEADER = "x-last-error"


class PermanentError(Exception):
    """An event that can never succeed (malformed, breaks its contract): dead-lettered at once."""


def is_permanent(exc: BaseException) -> bool:
    return isinstance(exc, (PermanentError, InvalidInput))


def is_transient_outage(exc: BaseException) -> bool:
    """The service's database is away: not the event's fault, so it retries without spending an attempt
    (an outage longer than the back-off must not dead-letter good events)."""
    return isinstance(exc, Unavailable) or is_outage(exc)


class RetryForwarder(SharedExtension):
    """One confirming publisher per container for retry and dead-letter copies."""

    # nameko sets extensions up in no fixed order: the subscribers may use this before its setup()
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._declared: set[str] = set()
        self._publisher: ConfirmingPublisher | None = None

    @property
    def uri(self) -> str:
        return amqp_uri(self.container.config)

    @property
    def publisher(self) -> ConfirmingPublisher:
        if self._publisher is None:
            self._publisher = ConfirmingPublisher(self.uri, app_id=self.container.service_name)
        return self._publisher

    @property
    def kind(self) -> str:
        return queue_type(self.container.config)

    def declare(self, specs: list[QueueSpec]) -> None:
        with self._lock:
            todo = [s for s in specs if s.name not in self._declared]
            if not todo:
                return
            conn = connect(self.uri)
            try:
                channel = conn.connection.channel()
                channel = declare_queue_specs(channel, todo, foreign_exchanges_passive=True, kind=self.kind)
                channel.close()
            finally:
                conn.release()
            self._declared.update(s.name for s in todo)

    def forward(self, message: Any, queue: str, headers: dict[str, Any]) -> None:
        """Publish a copy of ``message`` to ``queue`` (through the service's own retry exchange, never
        the default exchange, see ``messaging/permissions``) and wait for its confirm."""
        props = message.properties
        out = Outgoing(key=1, exchange=retry_exchange(self.container.service_name), routing_key=queue,
                       body=message.body,
                       message_id=props.get("message_id") or "", mandatory=True, type=props.get("type"),
                       headers=headers)
        with self._lock:
            result = self.publisher.publish_batch([out])
        if 1 not in result.confirmed:
            raise RuntimeError(f"copy to {queue} not confirmed (returned={bool(result.returned)})")

    def stop(self) -> None:
        if self._publisher is not None:
            self._publisher.close()

    kill = stop


class EventSubscriber(Consumer):
    """``@subscribe("application.county_approved")``: consume one event type of the catalogue."""

    forwarder = RetryForwarder()

    def __init__(self, event_type: str, **kwargs: Any) -> None:
        self.event_type = event_type
        super().__init__(queue=None, requeue_on_error=False, **kwargs)

    def setup(self) -> None:
        service = self.container.service_name
        self._consume(contracts.queue_name(service, self.event_type), contracts.get(self.event_type).exchange,
                      self.event_type, lambda delays: consumer_queue_specs(service, self.event_type, delays))

    def _consume(self, queue: str, exchange_name: str, routing_key: str,
                 specs: Callable[[tuple[int, ...]], list[QueueSpec]]) -> None:
        """Consume ``queue`` (bound to ``exchange_name`` with ``routing_key``), declared with its retry and
        dead-letter queues (``specs(delays)``) as ``PLATFORM_QUEUE_TYPE`` says."""
        self.queue_name = queue
        self.delays = retry_delays_ms(self.container.config)
        # passive: declared by platform-topology or the forwarder just before; a service's broker user
        # may bind to another service's exchange but not declare it
        exchange = Exchange(exchange_name, type="topic", durable=True, passive=True)
        self.queue = Queue(queue, exchange=exchange, routing_key=routing_key, durable=True,
                           queue_arguments=queue_arguments(None, self.forwarder.kind))
        self.forwarder.declare(specs(self.delays))
        Consumer.setup(self)

    def unpack_message_headers(self, message: Any) -> dict[str, Any]:
        # Broker headers are not authenticated and would become worker context re-sent on every
        # downstream call: take none of them.
        return {}

    def handle_result(self, message: Any, worker_ctx: Any, result: Any = None, exc_info: Any = None
                      ) -> tuple[Any, Any]:
        self.settle(message, exc_info)
        return result, exc_info

    def settle(self, message: Any, exc_info: Any) -> None:
        """Ack ``message`` when its handler succeeded (``exc_info`` None); else move a copy to its retry or
        dead-letter queue, then ack (requeue it when the copy cannot be published).

        The connection may go between the handler's commit and the ack (a broker cut or restart): nameko's
        ``ack_message`` passes over py-amqp's ``ConnectionError`` but not the socket's own (``BrokenPipeError``),
        which would end the worker with an error and so the whole service. The message is then left unacked
        on a dead channel: the broker hands it out again after the reconnect, and the inbox keeps it once."""
        try:
            self._settle(message, exc_info)
        except (OSError, amqp.exceptions.ConnectionError) as exc:
            log.warning("event %s: the connection went while settling (%s); the broker delivers it again",
                        self.event_type, exc)

    def _settle(self, message: Any, exc_info: Any) -> None:
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        exc = exc_info[1]
        spent = int((message.headers or {}).get(ATTEMPT_HEADER, 0))
        outage = is_transient_outage(exc)
        attempt = spent if outage else spent + 1
        if outage:
            target = retry_queue(self.queue_name, self.delays[0])
        elif is_permanent(exc) or attempt > len(self.delays):
            target = dead_letter_queue(self.queue_name)
        else:
            target = retry_queue(self.queue_name, self.delays[attempt - 1])
        headers = {ATTEMPT_HEADER: attempt, ERROR_HEADER: f"{type(exc).__name__}: {exc}"[:1000],
                   "x-original-queue": self.queue_name}
        try:
            self.forwarder.forward(message, target, headers)
        except Exception:  # noqa: BLE001 - keep the message: requeue rather than lose it
            log.exception("could not move failed event to %s; requeued", target)
            self.queue_consumer.requeue_message(message)
            return
        log.warning("event %s failed on attempt %d (%s); moved to %s", self.event_type, attempt, exc, target)
        outcome = "dlq" if target == dead_letter_queue(self.queue_name) else "outage" if outage else "retry"
        metrics.RETRIES.labels(self.container.service_name, self.event_type, outcome).inc()
        self.queue_consumer.ack_message(message)


class IntegrationSubscriber(EventSubscriber):
    """``@subscribe_integration()``: every masked event on ``platform.events`` that the service's
    binding (``contracts.INTEGRATION_SUBSCRIPTIONS``) matches, in one queue, with the same retries and
    dead-letter queue as :class:`EventSubscriber`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(contracts.INTEGRATION_EXCHANGE, **kwargs)

    def setup(self) -> None:
        service = self.container.service_name
        self._consume(contracts.integration_queue_name(service), contracts.INTEGRATION_EXCHANGE,
                      contracts.INTEGRATION_SUBSCRIPTIONS[service],
                      lambda delays: integration_queue_specs(service, delays))


subscribe_entrypoint = EventSubscriber.decorator
subscribe_integration = IntegrationSubscriber.decorator
