"""Plain AMQP connections of our own (py-amqp through kombu), separate from nameko's, so nothing of a
worker's context (a user's token) can travel on them."""
from __future__ import annotations

import os
from typing import Any

import kombu

DEFAULT_AMQP_URI = "pyamqp://guest:guest@127.0.0.1:5672//"


def amqp_uri(config: dict[str, Any] | None = None) -> str:
    return (config or {}).get("AMQP_URI") or os.environ.get("AMQP_URI") or DEFAULT_AMQP_URI


def connect(uri: str, *, heartbeat: int = 0, timeout: float = 10.0) -> kombu.Connection:
    """An open kombu connection; ``conn.connection`` is the raw py-amqp connection."""
    conn = kombu.Connection(uri, heartbeat=heartbeat, connect_timeout=timeout)
    conn.ensure_connection(max_retries=3, interval_start=0.2, interval_step=0.5)
    return conn
