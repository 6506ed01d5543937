"""The gateway's Prometheus metrics: request latency per route and status, on ``GET /metrics``.

gunicorn runs several worker processes; with ``PROMETHEUS_MULTIPROC_DIR`` set (the launcher does) they
write their samples to files there and ``/metrics`` sums them. ``/metrics`` answers only callers from
``METRICS_ALLOW_FROM`` (comma-separated addresses, default 127.0.0.1 and ::1): 404 for anyone else.
"""
from __future__ import annotations

import os
import time

from flask import Response, abort, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest, multiprocess

REQUESTS = Histogram("gateway_request_seconds", "time of a gateway request, by route template and status",
                     ["method", "route", "status"],
                     buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))


def begin() -> None:
    g.request_started = time.monotonic()


def finish(response):
    started = g.get("request_started")
    if started is not None and request.endpoint != "meta.metrics":
        route = request.url_rule.rule if request.url_rule else "unmatched"
        REQUESTS.labels(request.method, route, str(response.status_code)).observe(time.monotonic() - started)
    return response


def exposition() -> Response:
    allowed = {a.strip() for a in os.environ.get("METRICS_ALLOW_FROM", "127.0.0.1,::1").split(",") if a.strip()}
    if request.remote_addr not in allowed:
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
