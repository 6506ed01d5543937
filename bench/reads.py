"""Read benchmark: 100,000 applications behind every list, read through the gateway by 32 concurrent
clients, on a platform started exactly as `make run` starts it (own vhost and databases).

The applications are written by the documented bulk loader (``bench/loader.py``: COPY of exactly the
rows subsidy_review's write paths leave, stages 1-4), not through the API: 100,000 submissions through
the services would take hours on this machine.

Prints (never asserts), each beside the issue's target:
- p50 / p99 / max of the to-do list (county HRSS, city HRSS, unit clerk), the application list (first
  page; a status filter on a page deep in the list; a search), the statistics (county, city) and the
  timeline of one application with 50 events, each by ``--clients`` concurrent clients (threads,
  keep-alive sessions), and p50 / p99 of the same requests by one client alone (the service time
  without queueing);
- the export of every application the city HRSS sees (``/portal/applications/export?format=xlsx``):
  time, rows, size, and the gateway's peak RSS (VmHWM of each gunicorn worker, the master and the
  workers summed) beside the 200 MB target;
- a raw baseline measured in the same run: the gateway's ``/healthz`` (no RPC, no database) at the
  same concurrency, and the ratios;
- the CPU each request cost the platform's processes (gateway workers and services, user + system,
  from /proc; PostgreSQL and RabbitMQ not counted): on a machine busy with other work the latencies
  move with the load, the CPU per request much less, so it is the figure to compare between runs.

    .venv/bin/python -m bench.reads                         # 100,000 applications
    .venv/bin/python -m bench.reads --applications 20000 --requests 10
"""
from __future__ import annotations

import argparse
import re
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.pipeline import cpu_seconds, pct, platform  # noqa: E402
from deploy.stack import Stack  # noqa: E402

PASSWORD = "Demo2026"
COUNTIES = ["440703", "440704", "440705", "440781", "440783"]
DEMO_UNITS = {"6f1c2a10-0000-4000-8000-000000000001": "440703", "6f1c2a10-0000-4000-8000-000000000002": "440704"}


def login(base: str, username: str) -> str:
    response = requests.post(f"{base}/api/v1/auth/login", json={"username": username, "password": PASSWORD},
                             timeout=60)
    response.raise_for_status()
    return response.json()["access_token"]


def hammer(url: str, token: str | None, clients: int, per_client: int) -> tuple[list[float], int]:
    """``clients`` threads, each with its own keep-alive session, GET ``url`` ``per_client`` times
    (after one warm-up each); returns the latencies (ms) and the number of non-200 answers."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client() -> None:
        session = requests.Session()
        if token:
            session.headers["Authorization"] = f"Bearer {token}"
        session.get(url, timeout=60)
        start.wait()
        mine = []
        for _ in range(per_client):
            sent = time.perf_counter()
            response = session.get(url, timeout=60)
            mine.append((time.perf_counter() - sent) * 1000)
            if response.status_code != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)
        session.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def gateway_pids(stack: Stack) -> list[int]:
    """The gunicorn master and its workers."""
    master = stack.processes["gateway"].pid
    pids, todo = [], [master]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            todo += [int(p) for p in children.read_text().split()]
    return pids


def status_mib(pid: int, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sample_rss(pids: list[int], stop: threading.Event, peak: dict[str, float]) -> None:
    """The largest sum of VmRSS over ``pids`` seen every 20 ms (and each process's VmHWM at the end)."""
    while not stop.is_set():
        peak["sum"] = max(peak.get("sum", 0.0), sum(status_mib(p, "VmRSS") for p in pids))
        stop.wait(0.02)


def export(base: str, username: str, stack: Stack) -> dict[str, float]:
    """The portal's xlsx export of every application ``username`` sees, with the gateway's memory."""
    http = requests.Session()
    page = http.get(base + "/", timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    http.post(base + "/", data={"username": username, "password": PASSWORD, "csrf_token": csrf},
              allow_redirects=False, timeout=60)
    pids = gateway_pids(stack)
    before = sum(status_mib(p, "VmRSS") for p in pids)
    peak: dict[str, float] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(pids, stop, peak))
    sampler.start()
    start = time.perf_counter()
    size = 0
    path = ROOT / "var" / f"bench-export-{uuid.uuid4().hex[:6]}.xlsx"
    with http.get(base + "/portal/applications/export?format=xlsx", stream=True, timeout=1800) as response:
        status = response.status_code
        with path.open("wb") as fh:
            for chunk in response.iter_content(1 << 16):
                size += len(chunk)
                fh.write(chunk)
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    from openpyxl import load_workbook
    book = load_workbook(path, read_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1 if status == 200 else 0
    book.close()
    path.unlink()
    worker_hwm = max(status_mib(p, "VmHWM") for p in pids[1:]) if len(pids) > 1 else status_mib(pids[0], "VmHWM")
    return {"status": status, "seconds": seconds, "bytes": size, "rows": rows, "rss_before": before,
            "rss_peak_sum": peak.get("sum", 0.0), "worker_hwm": worker_hwm}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", "-n", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=200, help="units in all, spread over the 5 counties")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=20, help="requests per client per measure")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--vacuum", action="store_true", help="VACUUM after loading, as autovacuum would (the "
                        "shared server has autovacuum off: without it index-only scans visit the table)")
    args = parser.parse_args(argv)

    results: list[tuple[str, str, list[float], int]] = []
    single: list[list[float]] = []  # the same requests by one client alone: service time without queueing
    cpu_ms: list[dict[str, float]] = []  # CPU ms per request of each process, over the concurrent run
    with platform("brd", extra_env={"PORTAL_EXPORT_MAX_ROWS": str(max(args.applications, 5000))}) as stack:
        config = stack.config
        base = config.gateway_url
        from bench.loader import load
        start = time.perf_counter()
        loaded = load(applications=args.applications, counties=COUNTIES, units_per_county=args.units // len(COUNTIES),
                      city="440700", extra_units=DEMO_UNITS, vacuum=args.vacuum)
        print(f"loaded {loaded['applications']} applications, {loaded['timeline']} timeline entries, "
              f"{loaded['units']} units in {time.perf_counter() - start:.1f} s (bench/loader.py, COPY"
              f"{', then VACUUM ANALYZE' if args.vacuum else ', ANALYZE only'})", flush=True)
        tokens = {u: login(base, u) for u in ("rsj440703", "rsj440700", "dw_demo")}
        api = base + "/api/v1"
        deep = max(1, int(args.applications * 0.4 / 20 * 0.9))  # ~90% down the city's pending_county_review list
        measures = [
            ("baseline: /healthz (no RPC)", "-", base + "/healthz", None),
            ("to-do list, county HRSS", "p99 < 50 ms", api + "/todos", "rsj440703"),
            ("to-do list, city HRSS", "p99 < 50 ms", api + "/todos", "rsj440700"),
            ("to-do list, unit clerk", "p99 < 50 ms", api + "/todos", "dw_demo"),
            ("application list, city, page 1", "p99 < 50 ms", api + "/applications?page=1&page_size=20",
             "rsj440700"),
            (f"application list, city, status filter, page {deep}", "p99 < 50 ms",
             api + f"/applications?status=pending_county_review&page={deep}&page_size=20", "rsj440700"),
            ("application list, county, search by name", "p99 < 50 ms",
             api + "/applications?q=%E5%8E%8B%E6%B5%8B00012&page=1&page_size=20", "rsj440703"),
            ("statistics, county HRSS", "p99 < 50 ms", api + "/application-statistics", "rsj440703"),
            ("statistics, city HRSS", "p99 < 50 ms", api + "/application-statistics", "rsj440700"),
            ("timeline, one application with 50 events", "p99 < 20 ms",
             api + f"/applications/{loaded['long_application_id']}/timeline", "rsj440703"),
        ]
        for label, target, url, user in measures:
            before = {name: cpu_seconds(proc.pid) for name, proc in stack.processes.items()}
            latencies, errors = hammer(url, tokens.get(user or ""), args.clients, args.requests)
            spent = {name: cpu_seconds(proc.pid) - before[name] for name, proc in stack.processes.items()}
            calls = args.clients * (args.requests + 1)   # each client's warm-up request included
            cpu_ms.append({name: seconds * 1000 / calls for name, seconds in spent.items()})
            alone, _ = hammer(url, tokens.get(user or ""), 1, args.requests)
            results.append((label, target, latencies, errors))
            single.append(alone)
            print(f"   measured {label}: p99 {pct(latencies, 99):.1f} ms", flush=True)
        exported = None if args.no_export else export(base, "rsj440700", stack)

    print(f"\n== reads through the gateway: {args.applications} applications in PostgreSQL, {args.clients} "
          f"concurrent clients x {args.requests} requests each (the machine is shared with other work)")
    print(f"   {'measure':<56} {'n':>5} {'p50':>8} {'p99':>8} {'max':>8} {'errors':>6}   target      "
          f"{'1 client: p50':>13} {'p99':>7}")
    base_p50 = pct(results[0][2], 50)
    for (label, target, latencies, errors), alone in zip(results, single, strict=True):
        print(f"   {label:<56} {len(latencies):>5} {pct(latencies, 50):8.1f} {pct(latencies, 99):8.1f} "
              f"{max(latencies):8.1f} {errors:>6}   {target:<11} {pct(alone, 50):13.1f} {pct(alone, 99):7.1f}")
    print("\n== ratios: p50 / baseline p50 (/healthz at the same concurrency)")
    for label, _target, latencies, _errors in results[1:]:
        print(f"   {label:<56} {pct(latencies, 50) / base_p50:8.1f} x")
    print("\n== CPU per request (ms, user + system of the platform's processes over the concurrent run; "
          "PostgreSQL and RabbitMQ not counted)")
    for (label, *_), spent in zip(results, cpu_ms, strict=True):
        top = sorted(((v, k) for k, v in spent.items() if v >= 0.05), reverse=True)[:4]
        print(f"   {label:<56} {sum(spent.values()):8.1f}   " + ", ".join(f"{k} {v:.1f}" for v, k in top))
    if exported:
        print(f"\n== export (portal, xlsx) of every application the city HRSS sees: HTTP {exported['status']}, "
              f"{exported['rows']} rows, {exported['bytes'] / 1e6:.1f} MB in {exported['seconds']:.1f} s")
        print(f"   gateway RSS before (master + workers)        {exported['rss_before']:8.1f} MiB")
        print(f"   gateway RSS peak during (sampled every 20 ms) {exported['rss_peak_sum']:8.1f} MiB   target < 200 MB")
        print(f"   largest worker's VmHWM (since it started)     {exported['worker_hwm']:8.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
