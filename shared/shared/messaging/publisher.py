"""A publisher with publisher confirms for batches: publish many, then wait once for all acks.

nameko's Publisher confirms each message (~1.3 ms fsync each); the field notes measured 6-8 k
events/s for batches of ~500 against ~700/s one by one. ``mandatory`` messages that no queue takes
come back as ``basic.return`` before their ack, so the caller learns which ones were unroutable.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import amqp

from shared.messaging.amqp import connect

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    key: object                 # the caller's handle for the outcome (e.g. the outbox seq)
    exchange: str
    routing_key: str
    body: str | bytes
    message_id: str
    mandatory: bool = True
    type: str | None = None
    headers: dict[str, Any] | None = None


@dataclass
class BatchResult:
    confirmed: set[Any] = field(default_factory=set)   # acked and routed
    returned: set[Any] = field(default_factory=set)    # mandatory and unroutable
    nacked: set[Any] = field(default_factory=set)      # the broker refused (rare: internal error)


class ConfirmingPublisher:
    def __init__(self, uri: str, *, app_id: str = "platform", confirm_timeout: float = 15.0) -> None:
        self.uri = uri
        self.app_id = app_id
        self.confirm_timeout = confirm_timeout
        self._conn: Any = None      # kombu's Connection and amqp's Channel (no type information)
        self._channel: Any = None
        self._next_tag = 1
        self._pending: dict[int, object] = {}
        self._result = BatchResult()  # the batch being published (each publish_batch sets its own)
        self._keys_by_return: dict[tuple[str, str], object] = {}
        self._exchanges: set[str] = set()

    # -- connection -----------------------------------------------------------------------------
    def _ensure_channel(self) -> Any:
        if self._channel is not None and self._conn is not None and self._conn.connected:
            return self._channel
        self.close()
        self._conn = connect(self.uri)
        self._exchanges = set()
        return self._open_channel()

    def _open_channel(self) -> Any:
        channel = self._conn.connection.channel()
        channel.confirm_select()
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        channel.events["basic_return"].add(self._on_return)
        self._channel, self._next_tag = channel, 1
        return channel

    def _declare_exchange(self, channel: Any, name: str) -> Any:
        """Make sure ``name`` exists: checked passively (no permission needed, and a service's broker
        user may not declare ``platform.events``), declared only when missing. Returns the channel."""
        try:
            channel.exchange_declare(name, "topic", passive=True)
        except amqp.exceptions.NotFound:
            channel = self._open_channel()
            channel.exchange_declare(name, "topic", durable=True, auto_delete=False)
        self._exchanges.add(name)
        return channel

    def close(self) -> None:
        conn, self._conn, self._channel = self._conn, None, None
        if conn is not None:
            try:
                conn.release()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail any way it likes
                log.debug("closing publisher connection failed", exc_info=True)

    # -- callbacks (run inside drain_events) ----------------------------------------------------
    def _settle(self, tag: int, multiple: bool, bucket: set[Any]) -> None:
        tags = [t for t in self._pending if t <= tag] if multiple else [tag]
        for t in tags:
            key = self._pending.pop(t, None)
            if key is not None:
                bucket.add(key)

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple, self._result.confirmed)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple, self._result.nacked)

    def _on_return(self, exc: Any, exchange: str, routing_key: str, message: Any) -> None:
        key = self._keys_by_return.get((message.properties.get("message_id"), exchange))
        if key is not None:
            self._result.returned.add(key)

    @contextmanager
    def _corked(self) -> Iterator[None]:
        """Collect the frames written inside into one buffer and send it at the end: one socket write
        per batch instead of one per message (py-amqp sends each message's frames at once; under
        eventlet each send is a syscall and a hub switch - a third of the publisher's time). This
        connection is the publisher's own and nothing else writes on it meanwhile; the frames keep
        their order. A failed send raises like any connection error: the rows stay unsent."""
        transport = self._conn.connection.transport
        send = transport._write
        chunks: list[bytes] = []
        transport._write = lambda frame: chunks.append(bytes(frame))  # the frame is a reused buffer
        try:
            yield
        finally:
            transport._write = send
        if chunks:
            transport.write(b"".join(chunks))

    # -- publishing ------------------------------------------------------------------------------
    def publish_batch(self, messages: list[Outgoing]) -> BatchResult:
        """Publish ``messages`` persistently and wait for every confirm. Raises on a connection
        error or timeout (the caller keeps its rows and tries again: delivery is at-least-once)."""
        result = BatchResult()
        if not messages:
            return result
        channel = self._ensure_channel()
        self._result, self._pending, self._keys_by_return = result, {}, {}
        try:
            # Declaring an exchange is idempotent and harmless (same arguments as platform-topology); a
            # missing one would otherwise close the channel and block every other event. Queues are
            # the topology's business: without them a mandatory message comes back as unroutable.
            for exchange in sorted({m.exchange for m in messages} - self._exchanges - {""}):
                channel = self._declare_exchange(channel, exchange)
            with self._corked():
                for m in messages:
                    msg = amqp.Message(
                        m.body, content_type="application/json", content_encoding="utf-8", delivery_mode=2,
                        message_id=m.message_id, type=m.type, app_id=self.app_id,
                        timestamp=int(time.time()), application_headers=m.headers or {},
                    )
                    channel.basic_publish(msg, exchange=m.exchange, routing_key=m.routing_key,
                                          mandatory=m.mandatory)
                    self._pending[self._next_tag] = m.key
                    self._keys_by_return[(m.message_id, m.exchange)] = m.key
                    self._next_tag += 1
            deadline = time.monotonic() + self.confirm_timeout
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{len(self._pending)} publisher confirms missing")
                try:
                    self._conn.drain_events(timeout=remaining)
                except TimeoutError:
                    continue
        except Exception:
            self.close()
            raise
        # a returned message is also acked: it was not delivered anywhere
        result.confirmed -= result.returned
        return result
