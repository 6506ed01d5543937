#!/usr/bin/env python3
"""An integrator's subscriber to the platform's stage-change events, with pika alone (no project code).

    pip install pika
    python examples/subscriber.py --uri 'amqp://platform.integrator.acme:SECRET@127.0.0.1:5672/%2F' \\
        --name acme --bind 'subsidy.440700.#'

What it shows:
- its own **durable queue** ``integrator.<name>.events`` (the only queues an integrator's broker user may
  declare), bound to the topic exchange ``platform.events`` with one or more patterns
  (``<line>.<city>.<county>.<type>``: ``subsidy.440700.#`` a whole city, ``subsidy.*.440703.#`` one
  county, ``housing.#`` all of line B, ``#.application.paid`` one type everywhere);
- **ack after processing**: a message is acknowledged only once it is handled (here: printed as one JSON
  line), so a crash before that means the broker delivers it again;
- **dedupe by ``id``**: delivery is at least once, so the same envelope may come twice (after a
  reconnect, or a producer's redelivery); the ``id`` (uuid) of the envelope says so. A real integrator
  keeps the ids it has handled in its own database, in the same transaction as the effect; this
  example keeps them in a file (``--seen-file``) so a restart does not print one twice.

Guarantees of the platform (README, "Integrators"): at least once; events of one application from one
producing service in the order they happened; across services, order by the envelope's ``time`` (or the
stage in ``type``); payloads are the masked integration view (no full ID numbers, bank accounts or
mobiles).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pika

EXCHANGE = "platform.events"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="print the platform's integration events, once each")
    parser.add_argument("--uri", required=True, help="AMQP URI of your integrator user")
    parser.add_argument("--name", required=True, help="your integrator name (queues integrator.<name>.*)")
    parser.add_argument("--bind", action="append", required=True, help="routing pattern (repeatable)")
    parser.add_argument("--seen-file", type=Path, help="where to keep handled ids (dedupe across restarts)")
    parser.add_argument("--idle", type=float, default=0, help="stop after this many quiet seconds (0: never)")
    args = parser.parse_args(argv)

    seen: set[str] = set()
    if args.seen_file and args.seen_file.exists():
        seen = set(args.seen_file.read_text().split())
    connection = pika.BlockingConnection(pika.URLParameters(args.uri))
    channel = connection.channel()
    queue = f"integrator.{args.name}.events"
    channel.queue_declare(queue, durable=True)
    for pattern in args.bind:
        channel.queue_bind(queue, EXCHANGE, routing_key=pattern)
    channel.basic_qos(prefetch_count=50)
    print(f"# consuming {queue} bound to {EXCHANGE} with {args.bind}", file=sys.stderr, flush=True)

    quiet_since = time.monotonic()
    try:
        # inactivity_timeout yields (None, None, None) when nothing came for a second
        for method, _properties, body in channel.consume(queue, inactivity_timeout=1):
            if method is None:
                if args.idle and time.monotonic() - quiet_since >= args.idle:
                    break
                continue
            quiet_since = time.monotonic()
            envelope = json.loads(body)
            if envelope["id"] not in seen:
                print(json.dumps({"routing_key": method.routing_key, "envelope": envelope}, ensure_ascii=False),
                      flush=True)
                seen.add(envelope["id"])
                if args.seen_file:
                    with args.seen_file.open("a") as fh:
                        fh.write(envelope["id"] + "\n")
            channel.basic_ack(method.delivery_tag)      # only after it is handled
    except KeyboardInterrupt:
        pass
    finally:
        channel.cancel()
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
