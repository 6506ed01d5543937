"""Login benchmark: password logins per second through the gateway and identity at 16 concurrent
clients, with argon2id at its production cost (identity.passwords: OWASP's parameters, printed below),
beside the cost of one hash and one verification measured in the same run on the same machine, at those
parameters and at argon2-cffi's default (RFC 9106 low-memory), which the platform used before.

Prints (never asserts). Starts identity and the gateway as `make run` does, on its own vhost and
databases:

    make bench-login
    .venv/bin/python -m bench.login --clients 16 --seconds 20
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import yaml  # noqa: E402

from deploy.stack import Stack, StackConfig, free_port, services  # noqa: E402
from shared.db import admin  # noqa: E402
from shared.db.engine import database_url  # noqa: E402
from shared.testing import rabbit  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))] if ordered else float("nan")


def hash_cost(hasher=None, rounds: int = 20) -> dict:
    """Median wall and CPU time of one hash and one verification with ``hasher``: identity's own by default
    (outside nameko ``passwords`` calls it directly, so this is its cost), or another (the comparison row)."""
    from identity import passwords

    hasher = hasher or passwords._hasher  # noqa: SLF001 - the parameters in use are what we report
    hashes, verifies, cpu = [], [], []
    for i in range(rounds):
        start = time.perf_counter()
        stored = hasher.hash(f"Bench2026-{i}")
        hashes.append(time.perf_counter() - start)
        start, cpu_start = time.perf_counter(), time.process_time()
        hasher.verify(stored, f"Bench2026-{i}")
        verifies.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return {"hash_ms": statistics.median(hashes) * 1000, "verify_ms": statistics.median(verifies) * 1000,
            "verify_cpu_ms": statistics.median(cpu) * 1000,
            "params": f"argon2id time_cost={hasher.time_cost} memory_cost={hasher.memory_cost} KiB "
                      f"parallelism={hasher.parallelism}"}


def drive(base: str, usernames: list[str], password: str, clients: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(i: int) -> None:
        session = requests.Session()
        username = usernames[i % len(usernames)]
        while time.perf_counter() < stop:
            start = time.perf_counter()
            response = session.post(base + "/api/v1/auth/login", json={"username": username, "password": password},
                                    timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                if response.status_code == 200:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args(argv)

    from argon2 import PasswordHasher
    cost = hash_cost()
    before = hash_cost(PasswordHasher())  # argon2-cffi's default, RFC 9106 low-memory: the parameters until 2026-12
    vhost = rabbit.create_vhost("benchlogin")
    prefix = f"benchlogin_{uuid.uuid4().hex[:6]}_"
    os.environ["DATABASE_PREFIX"] = prefix
    config = StackConfig(amqp_uri=rabbit.uri(vhost), db_prefix=prefix, var_dir=ROOT / "var" / f"bench-{prefix}",
                         gateway_port=free_port(), echo=False)
    demo = yaml.safe_load(config.demo_file.read_text(encoding="utf-8"))
    usernames = [a["username"] for a in demo["accounts"]]
    stack = Stack(config)
    try:
        print(f"starting identity and the gateway (vhost {vhost}, databases {prefix}*) ...", flush=True)
        stack.prepare()
        stack.start(["identity", "gateway"], timeout=120)
        drive(config.gateway_url, usernames, demo["password"], args.clients, 3)  # warm-up
        start = time.perf_counter()
        latencies, errors = drive(config.gateway_url, usernames, demo["password"], args.clients, args.seconds)
        wall = time.perf_counter() - start
    finally:
        stack.stop()
        rabbit.delete_vhost(vhost)
        for service in services():
            admin.drop_database(service, database_url(service))

    rate = len(latencies) / wall
    ms = [v * 1000 for v in latencies]
    print(f"\n== password logins over HTTP: {args.clients} concurrent clients, {wall:.1f} s, {os.cpu_count()} CPUs")
    print(f"   logins/s {rate:8.1f}   ({len(latencies)} ok, {errors} refused)")
    print(f"   latency  p50 {pct(ms, 50):7.1f} ms   p99 {pct(ms, 99):7.1f} ms")
    print(f"\n== one password hash, same run ({cost['params']})")
    print(f"   hash   (median of 20) {cost['hash_ms']:7.1f} ms")
    print(f"   verify (median of 20) {cost['verify_ms']:7.1f} ms   CPU {cost['verify_cpu_ms']:7.1f} ms")
    print(f"\n== baseline, same run: argon2-cffi's default ({before['params']})")
    print(f"   hash   (median of 20) {before['hash_ms']:7.1f} ms")
    print(f"   verify (median of 20) {before['verify_ms']:7.1f} ms   CPU {before['verify_cpu_ms']:7.1f} ms")
    ceiling = (os.cpu_count() or 1) * 1000 / cost["verify_ms"]
    print("\n== ratios")
    print(f"   login p50 / one verification           {pct(ms, 50) / cost['verify_ms']:7.1f} x")
    print(f"   one verification, default / in use     {before['verify_ms'] / cost['verify_ms']:7.1f} x wall, "
          f"{before['verify_cpu_ms'] / cost['verify_cpu_ms']:.1f} x CPU")
    print(f"   logins/s / (CPUs / one verification)   {rate / ceiling:7.2f}  "
          f"(the verification alone would allow {ceiling:.0f}/s on {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
