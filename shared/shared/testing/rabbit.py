"""Broker helpers for tests: throwaway vhosts (management API), queues bound to exchanges, reading."""
from __future__ import annotations

import json
import os
import time
import urllib.parse
import uuid

import amqp
import requests

API = os.environ.get("RABBIT_API_URI", "http://guest:guest@127.0.0.1:15672")
BROKER = os.environ.get("RABBIT_HOSTPORT", "127.0.0.1:5672")


def _api(path: str) -> str:
    parsed = urllib.parse.urlsplit(API)
    return f"{parsed.scheme}://{parsed.hostname}:{parsed.port}/api/{path}"


def _auth():
    parsed = urllib.parse.urlsplit(API)
    return (parsed.username or "guest", parsed.password or "guest")


def create_vhost(prefix: str = "t") -> str:
    vhost = f"{prefix}-{uuid.uuid4().hex[:10]}"
    quoted = urllib.parse.quote(vhost, safe="")
    # a broker shared by several test runs can take tens of seconds to create a vhost (17 s measured)
    requests.put(_api(f"vhosts/{quoted}"), auth=_auth(), timeout=60).raise_for_status()
    requests.put(_api(f"permissions/{quoted}/guest"), auth=_auth(), timeout=60,
                 json={"configure": ".*", "write": ".*", "read": ".*"}).raise_for_status()
    return vhost


def delete_vhost(vhost: str) -> None:
    requests.delete(_api(f"vhosts/{urllib.parse.quote(vhost, safe='')}"), auth=_auth(), timeout=60)


def queue_types(vhost: str, attempts: int = 10) -> dict[str, str]:
    """Queue name -> its type (``classic``, ``quorum``) as the management API reports them. The API
    answers 500 for a moment while a quorum queue of the vhost is being deleted or started (seen under
    load): asked again, a few times, half a second apart."""
    for attempt in range(attempts):
        response = requests.get(_api(f"queues/{urllib.parse.quote(vhost, safe='')}"), auth=_auth(), timeout=60,
                                params={"columns": "name,type"})
        if response.status_code < 500 or attempt == attempts - 1:
            break
        time.sleep(0.5)
    response.raise_for_status()
    return {q["name"]: q["type"] for q in response.json()}


def uri(vhost: str) -> str:
    return f"pyamqp://guest:guest@{BROKER}/{urllib.parse.quote(vhost, safe='')}"


def connection(vhost: str) -> amqp.Connection:
    conn = amqp.Connection(host=BROKER, userid="guest", password="guest", virtual_host=vhost)
    conn.connect()
    return conn


def queue_depth(vhost: str, queue: str) -> tuple[int, int]:
    """(messages ready, consumers) of ``queue`` (0, 0 when it does not exist)."""
    conn = connection(vhost)
    try:
        channel = conn.channel()
        _, messages, consumers = channel.queue_declare(queue, passive=True)
        return messages, consumers
    except amqp.exceptions.NotFound:
        return 0, 0
    finally:
        conn.close()


class Tap:
    """An exclusive queue bound with ``#`` to some exchanges: sees every message published to them."""

    def __init__(self, vhost: str, exchanges: list[str], routing_key: str = "#") -> None:
        self.conn = connection(vhost)
        self.channel = self.conn.channel()
        self.queue, _, _ = self.channel.queue_declare("", exclusive=True)
        for exchange in exchanges:
            self.channel.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
            self.channel.queue_bind(self.queue, exchange, routing_key)

    def drain(self, wait: float = 0.0, until: int | None = None) -> list[dict]:
        """Messages received so far (waiting up to ``wait`` s, or until ``until`` messages)."""
        messages, deadline = [], time.monotonic() + wait
        while True:
            message = self.channel.basic_get(self.queue, no_ack=True)
            if message is not None:
                info = message.delivery_info
                messages.append({"body": json.loads(message.body), "headers": dict(message.headers or {}),
                                 "properties": dict(message.properties), "routing_key": info["routing_key"],
                                 "exchange": info["exchange"]})
                if until is not None and len(messages) >= until:
                    return messages
                continue
            if time.monotonic() >= deadline:
                return messages
            time.sleep(0.05)

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001
            pass


def publish(vhost: str, exchange: str, routing_key: str, body: dict | bytes, headers: dict | None = None) -> None:
    """Publish like a plain integrator or an attacker would (pika), confirmed."""
    import pika

    params = pika.ConnectionParameters(host=BROKER.split(":")[0], port=int(BROKER.split(":")[1]),
                                       virtual_host=vhost, credentials=pika.PlainCredentials("guest", "guest"))
    conn = pika.BlockingConnection(params)
    try:
        channel = conn.channel()
        channel.confirm_delivery()
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        channel.basic_publish(exchange, routing_key, payload, pika.BasicProperties(
            content_type="application/json", delivery_mode=2, headers=headers), mandatory=True)
    finally:
        conn.close()
