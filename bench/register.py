"""Registration benchmark: N graduates registered with K concurrent clients, as the benchmarks and the
end-to-end walk register them (``tests.e2e.walk.City.new_graduate``): an SMS code for the mobile, 个人注册
(identity account + unit_registry registration) with the 用户须知 in force, the unit clerk approves,
the graduate's session, then the graduate asks /applicant-profile until subsidy_review knows it (events).

Prints (never asserts) graduates/min, the latency of each step (p50/p99), CPU per process per graduate
(/proc utime+stime, the process and its children; the PostgreSQL backends of this run's databases sampled
as bench/province.py does, a lower bound), beside baselines measured in the same run: one argon2 hash and
one verification at identity's parameters, a nameko RPC round trip, the gateway's /healthz; and the load.

    .venv/bin/python -m bench.register                          # 300 graduates, 16 clients
    .venv/bin/python -m bench.register --graduates 100 --clients 8
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.login import hash_cost  # noqa: E402
from bench.pipeline import baseline_rpc, cpu_seconds, pct, platform  # noqa: E402
from bench.province import BackendCpu  # noqa: E402
from tests.e2e.walk import PASSWORD, ApiError, City, Client, new_id_number, new_mobile, sms_code, terms_version  # noqa: E402

STEPS = ("SMS code (ask + dev inbox)", "用户须知 version", "register (account + registration)",
         "graduate's session", "unit approves", "known to review (polled)")
#: how the graduate's session opens after registering
SESSIONS = {"tokens": "with the registration's tokens, as the portal does (City.new_graduate)",
            "login": "a password login right after registering (the walk before, one more argon2)"}
PROFILE_POLL = 0.1  # seconds between two /applicant-profile asks, as walk.until polls


def register_one(city: City, county: str, times: dict[str, list[float]], lock: threading.Lock,
                 session: str = "tokens") -> None:
    """One graduate, City.new_graduate's steps, each timed."""
    mine: dict[str, float] = {}

    def step(name, fn):
        start = time.perf_counter()
        result = fn()
        mine[name] = time.perf_counter() - start
        return result

    username, mobile = f"g{uuid.uuid4().hex[:10]}", new_mobile()
    code = step(STEPS[0], lambda: sms_code(city.base, mobile, log=city.log))
    terms = step(STEPS[1], lambda: terms_version(city.base))
    registration = {
        "name": "测试毕业生", "id_type": "resident_id", "id_number": new_id_number(county), "degree": "bachelor",
        "graduated_on": "2025-06-30", "mobile": mobile, "terms_version": terms,
        "bank_account": {"holder": "测试毕业生", "bank": "中国工商银行江门分行",
                         "number": "62220200" + str(uuid.uuid4().int % 10**11).zfill(11)}}

    def register() -> dict:
        response = requests.post(f"{city.base}/api/v1/registrations/individual", timeout=60, json={
            "account": {"username": username, "password": PASSWORD, "name": "测试毕业生", "mobile": mobile,
                        "sms_code": code}, "unit_id": city.units[county], "registration": registration})
        if response.status_code != 201:
            raise ApiError(response)
        return response.json()

    registered = step(STEPS[2], register)
    graduate = step(STEPS[3], lambda: Client(city.base, username, tokens=registered if session == "tokens" else None))
    step(STEPS[4], lambda: city.officer(county, "unit").post(
        f"/individuals/{registered['individual']['id']}/approve", {}))

    def known() -> None:
        while not graduate.get("/applicant-profile").get("registered"):
            time.sleep(PROFILE_POLL)

    step(STEPS[5], known)
    with lock:
        for name, seconds in mine.items():
            times.setdefault(name, []).append(seconds)


def main_thread_cpu(pid: int) -> float:
    """CPU seconds of a process's main thread: a nameko service's eventlet hub, where all its Python runs
    (argon2 runs in other threads, identity.passwords)."""
    try:
        fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def baseline_healthz(base: str, count: int = 100) -> list[float]:
    session, durations = requests.Session(), []
    for _ in range(count):
        start = time.perf_counter()
        session.get(f"{base}/healthz", timeout=10)
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graduates", "-n", type=int, default=300)
    parser.add_argument("--clients", "-k", type=int, default=16, help="concurrent clients")
    parser.add_argument("--county", default="440703", help="the demo county whose unit the graduates join")
    parser.add_argument("--session", choices=sorted(SESSIONS), default="tokens",
                        help="how the graduate's session opens: " + "; ".join(f"{k}: {v}" for k, v in SESSIONS.items()))
    args = parser.parse_args(argv)

    cost = hash_cost()
    with platform("benchreg", timeout=180) as stack:
        city = City(stack.config.gateway_url)
        city.officer(args.county, "unit")  # the clerk's session, once, before the clock starts
        health = baseline_healthz(city.base)
        rpc = baseline_rpc(stack.config.amqp_uri, count=100)
        backends = BackendCpu(os.environ["DATABASE_PREFIX"])
        backends.start()
        load_before = loadavg()
        times: dict[str, list[float]] = {}
        lock = threading.Lock()
        failures: list[str] = []

        def one(_: int) -> None:
            try:
                register_one(city, args.county, times, lock, args.session)
            except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
                with lock:
                    failures.append(f"{type(exc).__name__}: {exc}"[:200])

        cpu_before = {name: cpu_seconds(proc.pid) for name, proc in stack.processes.items()}
        hub_before = {name: main_thread_cpu(proc.pid) for name, proc in stack.processes.items() if name != "gateway"}
        db_before = backends.total()
        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(one, range(args.graduates)))
        wall = time.perf_counter() - start
        cpu = {name: cpu_seconds(proc.pid) - cpu_before[name] for name, proc in stack.processes.items()}
        hub = {name: main_thread_cpu(stack.processes[name].pid) - hub_before[name] for name in hub_before}
        cpu["postgres backends (lower bound)"] = backends.total() - db_before
        load_after = loadavg()
        backends.stop()

    n = args.graduates - len(failures)
    print(f"\n== registering graduates: {n} in {wall:.1f} s = {n / wall * 60:.1f} graduates/min "
          f"({args.clients} concurrent clients, {os.cpu_count()} CPUs; load average {load_before} before, "
          f"{load_after} after)")
    print(f"   the graduate's session: {SESSIONS[args.session]}")
    if failures:
        print(f"   {len(failures)} failed, first: {failures[0]}")
    for note, count in city.log.items():
        print(f"   {note}: {count}")
    print(f"\n== each step of one graduate (ms)   {'p50':>8} {'p99':>8} {'mean':>8}")
    total_mean = 0.0
    for name in STEPS:
        ms = [s * 1000 for s in times.get(name, [])]
        mean = sum(ms) / len(ms) if ms else float("nan")
        total_mean += mean
        print(f"   {name:<34} {pct(ms, 50):8.1f} {pct(ms, 99):8.1f} {mean:8.1f}")
    print(f"   {'all steps (sum of means)':<34} {'':>8} {'':>8} {total_mean:8.1f}")
    print(f"\n== CPU per process ({wall:.0f} s wall; /proc utime+stime, the process and its children)")
    print(f"   {'process':<34} {'CPU s':>8} {'of one core':>12} {'CPU ms / graduate':>18} {'main thread':>12}")
    for name, seconds in sorted(cpu.items(), key=lambda kv: -kv[1]):
        main_ms = f"{hub[name] / max(n, 1) * 1000:12.1f}" if name in hub else f"{'':>12}"
        print(f"   {name:<34} {seconds:8.1f} {seconds / wall:12.0%} {seconds / max(n, 1) * 1000:18.1f} {main_ms}")
    everything = sum(cpu.values())
    print("   (main thread: a service's eventlet hub, where its Python runs, CPU ms per graduate; identity's "
          "argon2 runs in other threads)")
    print(f"   {'all of the above':<34} {everything:8.1f} {everything / wall:12.0%} "
          f"{everything / max(n, 1) * 1000:18.1f}")
    print(f"\n== baselines, same run ({cost['params']})")
    print(f"   one argon2 hash (median of 20)      {cost['hash_ms']:8.1f} ms")
    print(f"   one argon2 verification             {cost['verify_ms']:8.1f} ms   CPU {cost['verify_cpu_ms']:.1f} ms")
    print(f"   nameko RPC round trip               p50 {pct(rpc, 50):.2f} ms  p99 {pct(rpc, 99):.2f} ms")
    print(f"   gateway GET /healthz                p50 {pct(health, 50):.2f} ms  p99 {pct(health, 99):.2f} ms")
    identity = cpu.get("identity", 0.0) / max(n, 1) * 1000
    print("\n== ratios")
    print(f"   identity CPU per graduate / one argon2 verification CPU  {identity / cost['verify_cpu_ms']:6.1f} x")
    print(f"   all CPU per graduate / one argon2 verification CPU       "
          f"{everything / max(n, 1) * 1000 / cost['verify_cpu_ms']:6.1f} x")
    print(f"   CPU-bound ceiling on {os.cpu_count()} CPUs                              "
          f"{(os.cpu_count() or 1) * 60 / (everything / max(n, 1)):6.0f} graduates/min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
