"""Profiles of the event path's two halves, without the rest of the platform (prints, never asserts):

- the subscriber path: ``PlatformApi.handle_event`` (envelope, contract, inbox claim, commit) with an
  empty handler, on a throwaway database: milliseconds per event and where they go (cProfile);
- the relay's publisher: ``ConfirmingPublisher.publish_batch`` (persistent, confirmed) on a throwaway
  vhost: messages/s and batch latency at 80 and 500 messages, and where the time goes.

    .venv/bin/python -m bench.profile_paths --events 500
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "shared" / "tests" / "service" / "sample"))

from bench.pipeline import pct  # noqa: E402
from tests.support import db, rabbit  # noqa: E402


def print_profile(profile: cProfile.Profile, lines: int) -> None:
    pstats.Stats(profile).sort_stats("tottime").print_stats(lines)


def profile_subscriber(events: int, lines: int) -> None:
    import sample_service

    from shared.clock import SystemClock
    from shared.db.engine import make_engine
    from shared.events import Envelope, source_of
    from shared.service import Platform, PlatformApi

    url = db.fresh_database("bench_profile")
    db.create_tables(url, sample_service.metadata)
    provider = Platform.__new__(Platform)  # the provider without a container: engine, clock, a relay stub
    provider.engine, provider.clock, provider.service_name = make_engine(url, pool_size=5), SystemClock(), "sample"
    provider._started, provider.relay = {}, types.SimpleNamespace(wake=lambda: None)
    api = PlatformApi(provider, types.SimpleNamespace(call_id="profile", data={}))
    bodies = [Envelope(type="sample.poison", source=source_of("sample"), subject=str(n), region="440703",
                       data={"n": n, "poison": False}, actor={"role": "system", "account_id": None}).to_dict()
              for n in range(events + 100)]
    try:
        for body in bodies[:100]:  # warm the pool and the statement cache
            api.handle_event("sample.sample.poison", "sample.poison", lambda *_: None, None, body)
        durations = []
        profile = cProfile.Profile()
        profile.enable()
        for body in bodies[100:]:
            start = time.perf_counter()
            api.handle_event("sample.sample.poison", "sample.poison", lambda *_: None, None, body)
            durations.append((time.perf_counter() - start) * 1000)
        profile.disable()
    finally:
        provider.engine.dispose()
        db.drop(url)
    print(f"\n== subscriber path (handle_event, empty handler, one at a time, under cProfile): {events} events, "
          f"p50 {pct(durations, 50):.2f} ms p99 {pct(durations, 99):.2f} ms per event")
    print_profile(profile, lines)


def profile_publisher(messages: int, lines: int) -> None:
    from shared.messaging.publisher import ConfirmingPublisher, Outgoing

    vhost = rabbit.create_vhost("profile")
    body = '{"specversion":"1.0","data":{"x":1}}' * 20
    try:
        conn = rabbit.connection(vhost)
        conn.channel().queue_declare("bench.profile", durable=True)
        conn.close()
        publisher = ConfirmingPublisher(rabbit.uri(vhost))
        print(f"\n== relay's publisher: {messages} persistent messages per batch size, confirmed")
        for size in (80, 500):
            def batch(offset: int, size: int = size) -> list[Outgoing]:
                return [Outgoing(key=i, exchange="", routing_key="bench.profile", body=body, message_id=str(i))
                        for i in range(offset, offset + size)]
            publisher.publish_batch(batch(0))
            latencies = []
            profile = cProfile.Profile()
            start = time.perf_counter()
            for offset in range(0, messages, size):
                sent = time.perf_counter()
                profile.enable()
                publisher.publish_batch(batch(offset))
                profile.disable()
                latencies.append((time.perf_counter() - sent) * 1000)
            rate = messages / (time.perf_counter() - start)
            print(f"   batch {size:>4}: {rate:7.0f} msg/s (under cProfile), batch p50 {pct(latencies, 50):.1f} ms "
                  f"p99 {pct(latencies, 99):.1f} ms")
            if size == 500:
                print_profile(profile, lines)
        publisher.close()
    finally:
        rabbit.delete_vhost(vhost)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=15, help="profile lines to print")
    args = parser.parse_args(argv)
    profile_subscriber(args.events, args.lines)
    profile_publisher(args.messages, args.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
