"""``platform-dlq``: list dead-letter queues and replay them.

``platform-dlq list`` shows every ``*.dlq`` queue with its depth and the last error of its head.
``platform-dlq replay <queue>`` moves the messages that are in ``<queue>.dlq`` *now* back to
``<queue>`` with a fresh attempt count: the depth is taken first and only that many are moved, so a
message that fails again does not loop through the replay.
"""
from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request
from typing import Any

import amqp

from shared.messaging.amqp import amqp_uri, connect
from shared.messaging.subscriber import ATTEMPT_HEADER
from shared.messaging.topology import dead_letter_queue


def replay(uri: str, queue: str, limit: int | None = None) -> int:
    """Move up to the current depth (or ``limit``) of ``queue``'s DLQ back to ``queue``; returns the count."""
    dlq = dead_letter_queue(queue)
    conn = connect(uri)
    moved = 0
    try:
        channel = conn.connection.channel()
        _, depth, _ = channel.queue_declare(dlq, passive=True)
        channel.confirm_select()
        for _ in range(depth if limit is None else min(depth, limit)):
            message = channel.basic_get(dlq, no_ack=False)
            if message is None:
                break
            headers = dict(message.properties.get("application_headers") or {})
            headers.pop(ATTEMPT_HEADER, None)
            headers["x-replayed-from"] = dlq
            props = {k: v for k, v in message.properties.items() if k != "application_headers"}
            copy = amqp.Message(message.body, application_headers=headers, **props)
            channel.basic_publish_confirm(copy, exchange="", routing_key=queue, mandatory=True)
            channel.basic_ack(message.delivery_tag)
            moved += 1
        channel.close()
    finally:
        conn.release()
    return moved


def list_dead_letters(api_uri: str, vhost: str) -> list[dict[str, Any]]:
    """Every ``*.dlq`` queue of ``vhost`` with its depth (through the management API)."""
    parsed = urllib.parse.urlsplit(api_uri)
    url = f"{parsed.scheme}://{parsed.hostname}:{parsed.port or 15672}/api/queues/{urllib.parse.quote(vhost, safe='')}"
    request = urllib.request.Request(url)
    token = f"{parsed.username or 'guest'}:{parsed.password or 'guest'}".encode()
    import base64
    request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
    with urllib.request.urlopen(request, timeout=10) as response:
        queues = json.load(response)
    return [{"queue": q["name"][: -len(".dlq")], "dead_letters": q.get("messages", 0)}
            for q in queues if q["name"].endswith(".dlq")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="platform-dlq", description="dead-letter queues: list and replay")
    parser.add_argument("--amqp-uri", default=amqp_uri())
    sub = parser.add_subparsers(dest="cmd", required=True)
    ls = sub.add_parser("list")
    ls.add_argument("--api-uri", default="http://guest:guest@127.0.0.1:15672")
    rp = sub.add_parser("replay")
    rp.add_argument("queue", help="the consumer queue, e.g. publicity_assessment.application.county_approved")
    rp.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    if args.cmd == "list":
        vhost = urllib.parse.unquote(urllib.parse.urlsplit(args.amqp_uri).path[1:] or "/") or "/"
        for row in list_dead_letters(args.api_uri, vhost):
            print(f"{row['dead_letters']:>8}  {row['queue']}")
        return 0
    moved = replay(args.amqp_uri, args.queue, args.limit)
    print(f"replayed {moved} message(s) from {dead_letter_queue(args.queue)} to {args.queue}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
