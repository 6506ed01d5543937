"""Prometheus metrics of every service process (issue 16), served on ``METRICS_PORT`` (0: off).

- ``platform_handler_seconds{service,kind,name,outcome}``: each worker's time, ``kind`` rpc / event /
  other (timers, jobs), ``outcome`` ok / refused (a PlatformError: 4xx for the caller) / error;
- ``platform_inbox_lag_seconds{service,event_type}``: from the event's ``time`` to its handler starting;
- ``platform_event_retries_total{service,event_type,target}``: failed deliveries sent to a retry queue
  (``target="retry"``) or dead-lettered (``target="dlq"``);
- at scrape time, from the service's database and broker: ``platform_outbox_unsent``,
  ``platform_outbox_oldest_unsent_seconds`` and ``platform_dlq_depth{queue}``;
- the client's process metrics (``process_resident_memory_bytes``, CPU, open files).

The gateway serves its own request histogram on ``/metrics`` (gunicorn's workers share it through
``PROMETHEUS_MULTIPROC_DIR``): ``gateway/gateway/api/meta.py``.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import REGISTRY, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
HANDLER = Histogram("platform_handler_seconds", "time of a service worker (RPC, event handler, timer)",
                    ["service", "kind", "name", "outcome"], buckets=BUCKETS)
INBOX_LAG = Histogram("platform_inbox_lag_seconds", "from an event's time to its handler starting",
                      ["service", "event_type"], buckets=BUCKETS)
RETRIES = Counter("platform_event_retries_total", ("failed event deliveries by target: retry, outage (database "
                   "away, no attempt spent), dlq"),
                  ["service", "event_type", "target"])

_served: dict[int, object] = {}
_lock = threading.Lock()


class BacklogCollector:
    """Outbox backlog and dead letters of one service, read when Prometheus scrapes."""

    def __init__(self, service: str, outbox_stats: Callable[[], tuple[int, float | None]],
                 dlq_depths: Callable[[], Iterable[tuple[str, int]]]) -> None:
        self.service, self.outbox_stats, self.dlq_depths = service, outbox_stats, dlq_depths

    def collect(self) -> Iterator[GaugeMetricFamily]:
        unsent = GaugeMetricFamily("platform_outbox_unsent", "events committed but not yet published",
                                   labels=["service"])
        oldest = GaugeMetricFamily("platform_outbox_oldest_unsent_seconds",
                                   "age of the oldest unpublished event (0 when none)", labels=["service"])
        dlq = GaugeMetricFamily("platform_dlq_depth", "messages in a dead-letter queue", labels=["service", "queue"])
        try:
            count, age = self.outbox_stats()
            unsent.add_metric([self.service], count)
            oldest.add_metric([self.service], age or 0.0)
            yield unsent
            yield oldest
        except Exception as exc:  # noqa: BLE001 - a scrape never fails the process
            log.warning("outbox metrics unavailable: %s", exc)
        try:
            for queue, depth in self.dlq_depths():
                dlq.add_metric([self.service, queue], depth)
            yield dlq
        except Exception as exc:  # noqa: BLE001
            log.warning("dead-letter metrics unavailable: %s", exc)


def serve(port: int, collector: BacklogCollector | None = None) -> None:
    """Start the metrics endpoint once per process (``port`` 0: nothing)."""
    if not port:
        return
    with _lock:
        if port in _served:
            return
        if collector is not None:
            REGISTRY.register(collector)
        start_http_server(port)
        _served[port] = collector
        log.info("metrics on :%d/metrics", port, extra={"metrics_port": port})
