"""A province's year, sampled: N applications across 100 counties (of several cities) through all 13
stages, on a platform started as `make run` starts it, with the platform's clock compressed.

A province takes about 1,000,000 applications a year. This runs a sample of them and projects:

- the area: the first ``--counties`` counties of a province (广东 440000 by default, the cities in
  between included), each with its county officers (人社局, 组织部, 财政局) and one unit with its clerk,
  each of their cities with its city officers and policy: seeded as the demo city is (identity,
  unit_registry, subsidy_review and publicity_assessment's own seeders, from a generated seed file);
- the year compressed: the clerks work as in bench/pipeline.py and tests/fault/flow.py (whose ``Flow``
  drives it: ticked batches per county and stage, city batches per city), and the one wait of the
  pipeline, the publicity period, passes by moving the platform's injectable clock 15 days once;
  after it the officers log in again and each graduate logs in again when it comes back for stage 13;
- measured: wall time of registering the graduates and of the 13 stages (until every queue has drained),
  CPU seconds of every platform process from /proc (utime + stime, the process and its children) and
  of the PostgreSQL backends serving this run's databases, the databases' growth, the events produced;
  then the books are checked (every application completed and paid once, nothing lost).

Prints (never asserts) applications/hour, CPU per process per application, which process saturates
first, and the projected hours for the full year on this machine.

    .venv/bin/python -m bench.province                          # 10,000 applications (make bench-full)
    .venv/bin/python -m bench.province --quick                  # 100 across 20 counties (make bench)
    .venv/bin/python -m bench.province --applications 1000 --counties 100
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402

from bench.pipeline import cpu_seconds, platform  # noqa: E402
from deploy.broker_users import vhost_of  # noqa: E402
from deploy.stack import Stack, environ, services  # noqa: E402
from shared import regions, validators  # noqa: E402
from shared.db.engine import database_name, database_url  # noqa: E402
from shared.seeding import load_demo  # noqa: E402
from tests.e2e.walk import City  # noqa: E402
from tests.fault.flow import Flow, drained, verify  # noqa: E402

YEAR = 1_000_000          # applications of one province in one year
#: Flow's steps around the officers' logging in again after the clock jump -> the phase mark taken there
RELOGIN = {"5 publicity start": "clock moved", "(log in again after the clock)": "officers logged in again"}
#: names for the uuids of the generated seed (fixed, so a unit and its clerk's account agree)
SEED_NAMESPACE = uuid.UUID("6f1c2a10-0000-4000-8000-00000000f15e")
COUNTY_ROLES = {"county": ("rsj", "county_hrss", "人社局经办人"), "county_org": ("zzb", "county_org", "组织部经办人"),
                "county_finance": ("czj", "county_finance", "财政局经办人")}
CITY_ROLES = {"city_hrss": ("rsj", "city_hrss", "人社局经办人"), "city_org": ("zzb", "city_org", "组织部经办人"),
              "city_finance": ("czj", "city_finance", "财政局经办人")}


# -- the area ------------------------------------------------------------------------------------------
def counties_of_province(province: str, count: int) -> list[str]:
    """The first ``count`` county-level units of ``province``, city by city (cities without counties,
    which are their own county, left out: their county and city officers would be one account)."""
    found = [c.code for city in regions.children(province) for c in regions.counties_of(city.code)
             if regions.city_of(c.code) != c.code]
    if len(found) < count:
        raise SystemExit(f"{province} has {len(found)} counties below its cities, fewer than {count}")
    return found[:count]


def unit_uscc(county: str) -> str:
    """A valid 统一社会信用代码 of the sample's unit in ``county`` (GB 32100, with its GB 11714 part)."""
    org = f"P{county}0"
    org += validators.org_code_check_char(org)
    body = f"91{county}{org}"
    return body + validators.uscc_check_char(body)


def province_seed(counties: list[str]) -> tuple[dict[str, Any], City]:
    """The seed file's content for ``counties`` (the demo city's password, policy and admin), and a
    :class:`City` naming its officers, units and city officers (base URL still empty)."""
    demo = load_demo()
    cities = sorted({regions.city_of(c) or c for c in counties})
    accounts = [a for a in demo["accounts"] if a["role"] == "sys_admin"]
    units, officers, unit_of = [], {}, {}
    for county in counties:
        name = regions.name_of(county) or county
        officers[county] = {"unit": f"dw{county}"}
        for key, (prefix, role, title) in COUNTY_ROLES.items():
            officers[county][key] = f"{prefix}{county}"
            accounts.append({"username": f"{prefix}{county}", "role": role, "region": county, "name": name + title})
        unit_id = str(uuid.uuid5(SEED_NAMESPACE, f"unit:{county}"))
        admin_id = str(uuid.uuid5(SEED_NAMESPACE, f"unit-admin:{county}"))
        unit_of[county] = unit_id
        accounts.append({"id": admin_id, "username": f"dw{county}", "role": "unit_admin", "name": "单位经办人",
                         "unit_id": unit_id, "mobile": f"13700{county}"})
        units.append({"id": unit_id, "name": f"{regions.full_name(county)}压测科技有限公司",
                      "uscc": unit_uscc(county), "region": county, "supervisor_region": county, "leader": "王建国",
                      "leader_phone": f"13800{county}", "admin_account_id": admin_id})
    city_officers = {}
    for city in cities:
        name = regions.name_of(city) or city
        city_officers[city] = {key: f"{prefix}{city}" for key, (prefix, _, _) in CITY_ROLES.items()}
        accounts += [{"username": f"{prefix}{city}", "role": role, "region": city, "name": name + title}
                     for prefix, role, title in CITY_ROLES.values()]
    seed = {"password": demo["password"], "city": cities[0], "counties": counties, "accounts": accounts,
            "units": units, "individuals": [], "policy": {**demo["policy"], "city": cities[0]}}
    return seed, City("", officers=officers, units=unit_of, city_officers=city_officers)


def seed_other_cities(seed: dict[str, Any]) -> Callable[[Stack], None]:
    """The policy of every city after the first (the seeders take one city's ``policy``): each city's own
    seed run of subsidy_review and publicity_assessment."""
    def more(stack: Stack) -> None:
        from publicity_assessment import seed as publicity_seed
        from subsidy_review import seed as review_seed
        cities = sorted({regions.city_of(c) or c for c in seed["counties"]})
        with environ(stack.config.env()):
            for city in cities[1:]:
                one = {"policy": {**seed["policy"], "city": city}}
                review_seed.seed(database_url("subsidy_review"), one)
                publicity_seed.seed(database_url("publicity_assessment"), one)
    return more


# -- measuring -----------------------------------------------------------------------------------------
def server_engine() -> Engine:
    """The PostgreSQL server's maintenance database (pg_stat_activity, pg_database_size)."""
    return create_engine(make_url(database_url("identity")).set(database="postgres"), pool_size=1)


class BackendCpu:
    """CPU seconds of the PostgreSQL backends serving this run's databases (``<prefix>*``), read from
    /proc every ``interval`` seconds. A backend's CPU counts from the first :meth:`mark` (or from its start
    when it started later) to the last time it was seen, so a backend that lived less than ``interval``, and
    the last moments of one that ended between two reads, are missed: a lower bound."""

    def __init__(self, prefix: str, interval: float = 0.5) -> None:
        self.prefix, self.interval = prefix, interval
        self.engine = server_engine()
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = False

    def _read(self) -> None:
        with self.engine.connect() as conn:
            pids = [r.pid for r in conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname LIKE :p"),
                                                {"p": self.prefix + "%"})]
        with self._lock:
            for pid in pids:
                seconds = cpu_seconds(pid)
                if pid not in self.first:
                    # seen first after the sampling started: it started since, so all its CPU is ours
                    self.first[pid] = seconds if not self._started else 0.0
                self.last[pid] = seconds

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._read()
            except Exception:  # noqa: BLE001 - a missed read loses a sample, not the run
                pass

    def start(self) -> None:
        self._read()
        self._started = True
        self._thread.start()

    def total(self) -> float:
        self._read()
        with self._lock:
            return sum(self.last[pid] - self.first[pid] for pid in self.last)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.engine.dispose()


def broker_pid() -> int | None:
    """The RabbitMQ node's process (beam.smp), shared with everyone using the broker."""
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            if stat.read_text().strip() == "beam.smp":
                return int(stat.parent.name)
        except OSError:
            continue
    return None


def database_bytes() -> int:
    """Bytes on disk of every service's database of this run."""
    engine = server_engine()
    try:
        with engine.connect() as conn:
            return sum(conn.execute(text("SELECT pg_database_size(:d)"), {"d": database_name(s)}).scalar_one()
                       for s in services())
    finally:
        engine.dispose()


def count_rows(sql: str) -> int:
    total = 0
    for service in services():
        engine = create_engine(database_url(service))
        try:
            with engine.connect() as conn:
                total += conn.execute(text(sql)).scalar_one()
        finally:
            engine.dispose()
    return total


class Phases:
    """CPU of every process and of the database backends, wall time, at each phase boundary."""

    def __init__(self, stack: Stack, backends: BackendCpu) -> None:
        self.stack, self.backends, self.broker = stack, backends, broker_pid()
        self.marks: list[tuple[str, float, dict[str, float]]] = []

    def mark(self, name: str) -> None:
        cpu = {proc_name: cpu_seconds(proc.pid) for proc_name, proc in self.stack.processes.items()}
        cpu["postgres backends (this run's databases)"] = self.backends.total()
        if self.broker is not None:
            cpu["rabbitmq (whole broker, shared)"] = cpu_seconds(self.broker)
        self.marks.append((name, time.perf_counter(), cpu))

    def between(self, start: str, end: str) -> tuple[float, dict[str, float]]:
        """(wall seconds, CPU seconds per process) from mark ``start`` to mark ``end``."""
        marks = {name: (at, cpu) for name, at, cpu in self.marks}
        (t0, c0), (t1, c1) = marks[start], marks[end]
        return t1 - t0, {k: c1[k] - c0.get(k, 0.0) for k in c1}


# -- the run -------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", "-n", type=int, default=10_000)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--province", default="440000")
    parser.add_argument("--workers", type=int, default=8, help="concurrent clients")
    parser.add_argument("--chunk", type=int, default=100, help="applications per ticked batch")
    parser.add_argument("--quick", action="store_true",
                        help="the quick form: 100 applications across 20 counties (seeding 100 counties' officers "
                             "alone, one argon2 hash each, takes minutes)")
    args = parser.parse_args(argv)
    if args.quick:
        args.applications, args.counties = 100, 20
    n = args.applications

    counties = counties_of_province(args.province, args.counties)
    seed, people = province_seed(counties)
    cities = sorted(people.city_officers)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", encoding="utf-8", delete=False) as fh:
        yaml.safe_dump(seed, fh, allow_unicode=True)
        seed_file = Path(fh.name)
    print(f"province {args.province}: {len(counties)} counties in {len(cities)} cities, "
          f"{len(seed['accounts'])} officer accounts, {len(seed['units'])} units; {n} applications", flush=True)
    started = time.perf_counter()
    try:
        with platform("province", timeout=300, demo_file=seed_file, seed_more=seed_other_cities(seed)) as stack:
            print(f"platform seeded and started in {time.perf_counter() - started:.0f} s", flush=True)
            stack.vhost = vhost_of(stack.config.amqp_uri)  # type: ignore[attr-defined]  # read by the books
            people.base = stack.config.gateway_url
            result = run(stack, people, counties, n, args)
    finally:
        seed_file.unlink(missing_ok=True)
    report(result, n, counties, cities, args)
    return 0 if result["books"] == "balanced" else 1


def run(stack: Stack, people: City, counties: list[str], n: int, args) -> dict[str, Any]:
    prefix = stack.config.db_prefix
    backends = BackendCpu(prefix)
    backends.start()
    phases = Phases(stack, backends)
    steps: dict[str, float] = {}
    last = [time.perf_counter()]

    def on_step(name: str) -> None:
        now = time.perf_counter()
        steps[name] = now - last[0]
        last[0] = now
        if name in RELOGIN:      # the officers' logins after the clock jump: a cost of compressing the clock
            phases.mark(RELOGIN[name])

    flow = Flow(stack, n, chunk=args.chunk, workers=args.workers, counties=tuple(counties), people=people,
                on_step=on_step)
    print("officers log in ...", flush=True)
    # the seeded officers' first login: a one-off, not an application's cost (so before the first mark)
    logins = [lambda c=county, r=role: flow.officer(c, r) for county in counties for role in ("unit", *COUNTY_ROLES)]
    logins += [lambda c=city, r=role: flow.cityrole(r, c) for city in people.city_officers for role in CITY_ROLES]
    with ThreadPoolExecutor(args.workers) as pool:
        list(pool.map(lambda login: login(), logins))
    size_before = database_bytes()
    events_before = count_rows("SELECT count(*) FROM platform_outbox WHERE exchange NOT LIKE 'platform.%'")
    handled_before = count_rows("SELECT count(*) FROM platform_inbox")
    phases.mark("start")
    print(f"registering {n} graduates ...", flush=True)
    graduates = flow.register(mobile=lambda i: f"136{i:08d}")  # unique: SMS codes are limited per mobile
    phases.mark("registered")
    print("13 stages ...", flush=True)
    last[0] = time.perf_counter()
    flow.run(graduates, relogin_graduates=False)
    steps_end = time.perf_counter()
    drained(stack, timeout=600)
    steps["(every queue drained)"] = time.perf_counter() - steps_end
    phases.mark("done")
    backends.stop()
    result: dict[str, Any] = {"phases": phases, "steps": steps, "retries": dict(flow.log),
                              "db_bytes": database_bytes() - size_before,
                              "events": count_rows("SELECT count(*) FROM platform_outbox "
                                                   "WHERE exchange NOT LIKE 'platform.%'") - events_before,
                              "handled": count_rows("SELECT count(*) FROM platform_inbox") - handled_before}
    try:
        verify(stack, flow.app_ids, label=f"the books after {n} applications", since=flow.since)
        result["books"] = "balanced"
    except AssertionError as exc:
        result["books"] = f"DIFFER: {exc}"
    return result


def report(result: dict[str, Any], n: int, counties: list[str], cities: list[str], args) -> None:
    phases: Phases = result["phases"]
    reg_wall, reg_cpu = phases.between("start", "registered")
    run_wall, run_cpu = phases.between("registered", "done")
    relogin_wall, relogin_cpu = phases.between("clock moved", "officers logged in again")
    # per application: registration and the 13 stages without the officers' logging in again (once per
    # clock jump, about 4 per county, whatever the number of applications; in a real year they log in daily)
    run_wall -= relogin_wall
    run_cpu = {k: v - relogin_cpu[k] for k, v in run_cpu.items()}
    all_wall = reg_wall + run_wall
    all_cpu = {k: reg_cpu[k] + run_cpu[k] for k in reg_cpu}
    per_county = n / len(counties)
    print(f"\n== a province's year, sampled: {n} applications across {len(counties)} counties in {len(cities)} "
          f"cities (about {per_county:.0f} per county; {args.workers} concurrent clients; ticked batches of up "
          f"to {args.chunk} per county and stage; the clock moved 15 days once for the publicity period)")
    print(f"   registering the {n} graduates (account, registration, unit approval): {reg_wall:8.1f} s "
          f"= {n / reg_wall * 3600:9.0f} graduates/hour")
    print(f"   13 stages, until every queue drained, without (*):                  {run_wall:8.1f} s "
          f"= {n / run_wall * 3600:9.0f} applications/hour")
    print(f"   both:                                                               {all_wall:8.1f} s "
          f"= {n / all_wall * 3600:9.0f} applications/hour")
    officers = len(counties) * (1 + len(COUNTY_ROLES)) + len(cities) * len(CITY_ROLES)
    print(f"   (*) the {officers} officers logging in again after the clock jump: {relogin_wall:.1f} s, "
          f"{sum(v for k, v in relogin_cpu.items() if not k.startswith('rabbitmq')):.1f} CPU s of the platform "
          f"(a cost of compressing the clock, left out of every figure per application below)")
    print("\n== wall time of each step of the 13 stages (s)")
    for name, seconds in result["steps"].items():
        print(f"   {name:<36} {seconds:8.1f}")
    if result["retries"]:
        print(f"   the driver's retries (404/409 while an event was on its way, 401 after the clock): "
              f"{result['retries']}")

    print("\n== CPU seconds per process (/proc utime+stime, the process and its children), per application; "
          "the officers' logging in again (*) left out")
    print(f"   {'process':<42} {'registration':>12} {'13 stages':>10} {'total':>8} {'CPU ms/app':>11} "
          f"{'busy (13 stages)':>17}")
    platform_ms: dict[str, float] = {}
    for name in sorted(all_cpu, key=lambda k: -all_cpu[k]):
        ms = all_cpu[name] / n * 1000
        shared = name == "rabbitmq (whole broker, shared)"   # everyone's use of it: not per application
        if not shared:
            platform_ms[name] = ms
        per_app = f"{'-':>11}" if shared else f"{ms:11.1f}"
        print(f"   {name:<42} {reg_cpu[name]:12.1f} {run_cpu[name]:10.1f} {all_cpu[name]:8.1f} {per_app} "
              f"{run_cpu[name] / run_wall:16.0%}")
    services_ms = {k: v for k, v in platform_ms.items() if not k.startswith("postgres")}
    total_ms = sum(platform_ms.values())
    first = max(services_ms, key=lambda k: services_ms[k])
    print(f"   platform processes + their database backends: {total_ms:.0f} CPU ms per application "
          f"(the broker not included: it is shared, its line is everyone's use of it)")
    print(f"   saturates first: {first}, {services_ms[first]:.0f} CPU ms per application "
          f"= at most {1000 / services_ms[first]:.1f} applications/s per core it gets "
          f"({run_cpu[first] / run_wall:.0%} of a core during the 13 stages, "
          f"{reg_cpu[first] / reg_wall:.0%} during registration)")

    rate_all = n / all_wall
    print(f"\n== the full year ({YEAR:,} applications) on this machine (2 cores), projected from this sample")
    print(f"   at the measured rate (registration + 13 stages, {rate_all * 3600:.0f} applications/hour): "
          f"{YEAR / rate_all / 3600:9.1f} hours")
    print(f"   CPU bound, both cores busy with the platform alone ({total_ms:.0f} CPU ms per application / 2): "
          f"{YEAR * total_ms / 1000 / 2 / 3600:9.1f} hours")
    print(f"   one replica of {first} on one core ({services_ms[first]:.0f} CPU ms per application): "
          f"{YEAR * services_ms[first] / 1000 / 3600:9.1f} hours")

    print("\n== sizing inputs per application")
    print(f"   events produced (service events, outbox)       {result['events'] / n:8.1f}")
    print(f"   events handled (inbox rows, all consumers)     {result['handled'] / n:8.1f}")
    print(f"   database growth, all services                  {result['db_bytes'] / n / 1024:8.1f} KiB "
          f"(x {YEAR:,} = {result['db_bytes'] / n * YEAR / 2**30:.1f} GiB; pg_database_size, "
          f"tables, indexes and free space)")
    print(f"   the books: {result['books']}")
    need = {name: math.ceil(ms / 1000 * 10 / 0.7) for name, ms in services_ms.items()}
    print("   replicas at 10 applications/s (600/min) and 70 % busy, one core each: "
          + ", ".join(f"{k} {v}" for k, v in sorted(need.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    sys.exit(main())
