"""The outbox relay: publishes outbox rows and marks them sent.

Runs as a background loop in each service process. It wakes after a worker committed outbox rows
(after-commit publish) and every ``sweep_seconds`` anyway (the sweep picks up rows left behind by a
crash between commit and publish). Rows are taken with ``FOR UPDATE SKIP LOCKED`` so replicas and the
two paths never publish the same row at once; delivery stays at-least-once and consumers dedupe by
event id. A mandatory row that no queue takes stays unsent and is tried again with back-off, so an
event published before ``platform-topology`` ran goes out once the queue exists.
"""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from shared.clock import Clock, SystemClock
from shared.db.tables import outbox
from shared.messaging.publisher import ConfirmingPublisher, Outgoing

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(self, engine: Engine, publisher: ConfirmingPublisher, *, batch_size: int = 500,
                 sweep_seconds: float = 1.0, max_retry_seconds: float = 5.0, clock: Clock | None = None) -> None:
        self.engine = engine
        self.publisher = publisher
        self.batch_size = batch_size
        self.sweep_seconds = sweep_seconds
        self.max_retry_seconds = max_retry_seconds
        self.clock = clock or SystemClock()
        self._wake = threading.Event()
        self._stopped = threading.Event()

    def wake(self) -> None:
        """Ask the loop to publish now (called after a worker committed outbox rows)."""
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def run(self) -> None:
        """The loop: drain until nothing is left, then sleep until woken or the sweep interval."""
        failures = 0
        while not self._stopped.is_set():
            try:
                while not self._stopped.is_set() and self.drain_once() >= self.batch_size:
                    pass
                failures = 0
            except Exception:  # noqa: BLE001 - the broker or database is down: keep rows, back off
                failures += 1
                log.warning("outbox relay failed (attempt %s); rows stay unsent", failures, exc_info=True)
                self.publisher.close()
                self._stopped.wait(min(0.5 * 2 ** min(failures, 6), 30))
            self._wake.wait(self.sweep_seconds)
            self._wake.clear()
        self.publisher.close()

    def drain_once(self) -> int:
        """Publish one batch of due rows; returns how many rows were taken."""
        now = self.clock.now()
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(outbox.c.seq, outbox.c.event_id, outbox.c.event_type, outbox.c.exchange,
                       outbox.c.routing_key, outbox.c.body, outbox.c.mandatory, outbox.c.attempts)
                .where(outbox.c.sent_at.is_(None))
                .where((outbox.c.next_attempt_at.is_(None)) | (outbox.c.next_attempt_at <= now))
                .order_by(outbox.c.seq).limit(self.batch_size)
                .with_for_update(skip_locked=True)
            ).all()
            if not rows:
                return 0
            result = self.publisher.publish_batch([
                Outgoing(key=r.seq, exchange=r.exchange, routing_key=r.routing_key, body=r.body,
                         message_id=r.event_id, mandatory=r.mandatory, type=r.event_type) for r in rows])
            if result.confirmed:
                conn.execute(update(outbox).where(outbox.c.seq.in_(result.confirmed))
                             # picked_at: this transaction's start (the SELECT above); sent_at: now,
                             # after the broker's confirms (both read by bench/pipeline.py)
                             .values(picked_at=func.now(), sent_at=func.clock_timestamp(), last_error=None))
            by_seq = {r.seq: r for r in rows}
            for reason, seqs in (("unroutable: no queue bound", result.returned),
                                 ("nacked by broker", result.nacked)):
                for seq in seqs:
                    row = by_seq[seq]
                    delay = min(0.25 * 2 ** row.attempts, self.max_retry_seconds)
                    conn.execute(update(outbox).where(outbox.c.seq == seq).values(
                        attempts=outbox.c.attempts + 1, last_error=reason,
                        next_attempt_at=now + timedelta(seconds=delay)))
                if seqs:
                    log.warning("%d outbox rows %s; kept unsent", len(seqs), reason)
        return len(rows)
