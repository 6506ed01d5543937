"""One-click approval benchmark (一键审核通过) at 10,000: individuals and applications, through the gateway,
on a platform started exactly as `make run` starts it (own vhost and databases).

The pending records are written by the documented bulk loader (``bench/loader.py``); the clicks are the
real ones: ``POST /api/v1/individuals/bulk-approve`` (unit_registry, one transaction, 500 at a time, synchronous) and
``POST /api/v1/applications/bulk-approve`` (subsidy_review, a job of one item per application, run in
chunks of 500 a transaction; followed with ``GET /api/v1/jobs/<id>``).

Prints (never asserts), each beside the target (< 10 s, flat memory, resumable after kill -9):
- time from the click until every record is approved (the job done);
- the service process's RSS before, its peak while it works (sampled every 50 ms) and after;
- resumability: a second round on the other demo unit is started, the service is killed with SIGKILL
  mid-way and started again; the click is repeated if the first answer was lost (a synchronous call
  dies with the process), and every record is checked: approved exactly once (one approval row in its
  history / timeline, one event in the outbox) and none missing.

    .venv/bin/python -m bench.bulk                      # 10,000 each
    .venv/bin/python -m bench.bulk --records 2000
"""
from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench.loader import load, load_individuals  # noqa: E402
from bench.pipeline import platform  # noqa: E402
from deploy.stack import Stack  # noqa: E402
from shared.db.engine import database_url  # noqa: E402

service_pid = importlib.import_module("bench.import").service_pid
#: how often the job's progress is asked for: as the portal's job.js does (each answer carries a page of 200
#: items; asked 10 times a second it took 15 % of subsidy_review's samples in py-spy, beside the job's 55 %)
POLL_SECONDS = 0.5
UNITS = {"dw_demo": ("6f1c2a10-0000-4000-8000-000000000001", "440703", 1),
         "dw_jianghai": ("6f1c2a10-0000-4000-8000-000000000002", "440704", 2)}  # unit, county, loader seed


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Sampler:
    """RSS of one process every 50 ms while running (the pid may change after a restart: ``follow``)."""

    def __init__(self, pid_of) -> None:
        self.pid_of, self.samples, self.stop = pid_of, [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                self.samples.append((time.perf_counter(), rss_mib(self.pid_of())))
            except Exception:  # noqa: BLE001 - the process is being restarted
                pass
            self.stop.wait(0.05)

    def __enter__(self) -> Sampler:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    def summary(self) -> str:
        values = [v for _, v in self.samples if v]
        if not values:
            return "no samples"
        quarters = [values[min(len(values) - 1, int(len(values) * q))] for q in (0.25, 0.5, 0.75)]
        return (f"RSS first {values[0]:.1f} MiB, at 25/50/75% of the time {quarters[0]:.1f}/{quarters[1]:.1f}/"
                f"{quarters[2]:.1f} MiB, peak {max(values):.1f} MiB, last {values[-1]:.1f} MiB")


def login(base: str, username: str) -> dict[str, str]:
    answer = requests.post(f"{base}/api/v1/auth/login", json={"username": username, "password": "Demo2026"},
                           timeout=60)
    answer.raise_for_status()
    return {"Authorization": "Bearer " + answer.json()["access_token"]}


def scalar(service: str, sql: str, **params) -> int:
    engine = create_engine(database_url(service))
    with engine.connect() as conn:
        value = conn.execute(text(sql), params).scalar_one()
    engine.dispose()
    return int(value)


def approve_individuals(base: str, stack: Stack, user: str, n: int, kill_after: float | None) -> dict:
    unit_id, county, seed = UNITS[user]
    ids = load_individuals(count=n, unit_id=unit_id, county=county, seed=seed)
    headers = login(base, user)
    answers: list = []

    def click() -> None:
        try:
            answers.append(requests.post(f"{base}/api/v1/individuals/bulk-approve", json={}, headers=headers,
                                         timeout=900))
        except requests.RequestException as exc:
            answers.append(exc)

    pending = "SELECT count(*) FROM individuals WHERE unit_id = :u AND status = 'pending'"
    killed = False
    with Sampler(lambda: service_pid(stack, "unit_registry")) as sampler:
        start = time.perf_counter()
        worker = threading.Thread(target=click)
        worker.start()
        if kill_after is not None:
            time.sleep(kill_after)
            if worker.is_alive():
                stack.signal("unit_registry", signal.SIGKILL)
                killed = True
                stack.restart("unit_registry")
        worker.join()
        first = answers[0]
        left_after_kill = scalar("unit_registry", pending, u=unit_id)
        if killed and left_after_kill:
            click()  # the answer was lost with the process: the clerk clicks again
        seconds = time.perf_counter() - start
    last = answers[-1]
    approved = scalar("unit_registry", "SELECT count(*) FROM individuals WHERE unit_id = :u AND status = 'approved' "
                      "AND id = ANY(:ids)", u=unit_id, ids=ids)
    twice = scalar("unit_registry", "SELECT count(*) FROM (SELECT subject_id FROM review_history WHERE "
                   "action = 'approved' AND subject_id = ANY(:ids) GROUP BY subject_id HAVING count(*) > 1) t", ids=ids)
    events = scalar("unit_registry", "SELECT count(*) FROM platform_outbox WHERE event_type = 'individual.approved' "
                    "AND exchange NOT LIKE 'platform.%' AND body::json->>'subject' = ANY(:ids)", ids=ids)
    return {"seconds": seconds, "memory": sampler.summary(), "killed": killed,
            "first": getattr(first, "status_code", repr(first)[:80]), "last": getattr(last, "status_code", None),
            "left_after_kill": left_after_kill, "approved": approved, "twice": twice, "events": events, "n": n}


def approve_applications(base: str, stack: Stack, user: str, n: int, kill_at: float | None) -> dict:
    unit_id, county, seed = UNITS[user]
    load(applications=n, counties=[county], units_per_county=0, city="440700",
                  extra_units={unit_id: county}, long_events=0, mix=[("pending_unit_review", 1)],
                  seed=seed)
    headers = login(base, user)
    killed, done_at_kill = False, None
    with Sampler(lambda: service_pid(stack, "subsidy_review")) as sampler:
        start = time.perf_counter()
        answer = requests.post(f"{base}/api/v1/applications/bulk-approve", json={}, headers=headers, timeout=300)
        click_seconds = time.perf_counter() - start
        if answer.status_code != 202:
            return {"error": f"{answer.status_code} {answer.text[:300]}"}
        job_id = answer.json()["id"]
        job = answer.json()
        while job["status"] != "done":
            time.sleep(POLL_SECONDS)
            try:
                reply = requests.get(f"{base}/api/v1/jobs/{job_id}", headers=headers, timeout=60)
            except requests.RequestException:
                continue
            if reply.status_code != 200:
                continue  # the service is being restarted
            job = reply.json()
            if kill_at is not None and not killed and job["done"] >= kill_at * n:
                done_at_kill = job["done"]
                stack.signal("subsidy_review", signal.SIGKILL)
                killed = True
                stack.restart("subsidy_review")
        seconds = time.perf_counter() - start
    per_app = ("SELECT count(*) FROM (SELECT application_id FROM timeline WHERE event_type = :t AND application_id "
               "IN (SELECT id FROM applications WHERE unit_id = :u) GROUP BY application_id HAVING count(*) {op} 1) x")
    result = {"seconds": seconds, "click_seconds": click_seconds, "memory": sampler.summary(), "killed": killed,
              "done_at_kill": done_at_kill, "succeeded": job["succeeded"],
              "failed": job["failed"], "n": n}
    for event_type in ("application.unit_approved", "application.reported"):
        short = event_type.split(".")[1]
        result[f"{short}_once"] = scalar("subsidy_review", per_app.format(op="="), t=event_type, u=unit_id)
        result[f"{short}_twice"] = scalar("subsidy_review", per_app.format(op=">"), t=event_type, u=unit_id)
    result["pending_county_review"] = scalar(
        "subsidy_review", "SELECT count(*) FROM applications WHERE unit_id = :u AND status = 'pending_county_review'",
        u=unit_id)
    engine = create_engine(database_url("subsidy_review"))
    with engine.connect() as conn:  # the chunks' own time: from one chunk's commit to the next one's
        ends = conn.execute(text("SELECT DISTINCT finished_at FROM platform_job_items WHERE job_id = :j "
                                 "ORDER BY finished_at"), {"j": job_id}).scalars().all()
    engine.dispose()
    spans = sorted((b - a).total_seconds() for a, b in zip(ends, ends[1:], strict=False))
    result["chunk_seconds_p50"] = spans[len(spans) // 2] if spans else float("nan")
    result["events"] = scalar("subsidy_review", "SELECT count(*) FROM platform_outbox WHERE event_type = "
                              "'application.reported' AND exchange NOT LIKE 'platform.%' "
                              "AND body::json->'data'->>'unit_id' = :u", u=unit_id)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", "-n", type=int, default=10_000)
    parser.add_argument("--only", choices=["individuals", "applications"])
    parser.add_argument("--kill-at", type=float, default=0.4,
                        help="kill -9 when this share of the job is done (individuals: after this share of the "
                             "first round's time)")
    args = parser.parse_args(argv)

    with platform("bblk", extra_env={"GATEWAY_RPC_TIMEOUT": "600"}) as stack:
        config = stack.config
        base = config.gateway_url
        ind = ind_kill = app = app_kill = None
        if args.only != "applications":
            print(f"one-click approval of {args.records} individuals ...", flush=True)
            ind = approve_individuals(base, stack, "dw_demo", args.records, None)
            print(f"   {ind}", flush=True)
            print("   again on the other unit, killed with SIGKILL mid-way ...", flush=True)
            ind_kill = approve_individuals(base, stack, "dw_jianghai", args.records, ind["seconds"] * args.kill_at)
            print(f"   {ind_kill}", flush=True)
        if args.only != "individuals":
            print(f"one-click approval of {args.records} applications ...", flush=True)
            app = approve_applications(base, stack, "dw_demo", args.records, None)
            print(f"   {app}", flush=True)
            print(f"   again on the other unit, killed with SIGKILL at {args.kill_at:.0%} ...", flush=True)
            app_kill = approve_applications(base, stack, "dw_jianghai", args.records, args.kill_at)
            print(f"   {app_kill}", flush=True)

    n = args.records
    print(f"\n== one-click approval (一键审核通过) of {n}, through the gateway (the machine is shared with other work)")
    if ind:
        print(f"   individuals (unit_registry, one transaction, 500 at a time):  {ind['seconds']:7.2f} s   target < 10 s   "
              f"HTTP {ind['first']}, approved {ind['approved']}/{n}")
        print(f"      {ind['memory']}")
    if app and "error" in app:
        print(f"   applications: refused {app['error']}")
    elif app:
        print(f"   applications (subsidy_review job, 500 a transaction): {app['seconds']:7.2f} s   target < 10 s   "
              f"(click -> 202 {app['click_seconds']:.2f} s; one chunk of 500 to the next, p50 "
              f"{app['chunk_seconds_p50']:.2f} s) "
              f"succeeded {app['succeeded']}, failed {app['failed']}")
        print(f"      {app['memory']}")
    print("\n== resumability after kill -9 mid-way")
    if ind_kill:
        print(f"   individuals: killed {ind_kill['killed']}; the click's answer: HTTP {ind_kill['first']} (the gateway "
              f"waits: the killed process never acknowledged the RPC, so the broker hands it to the restarted one, "
              f"whose transaction starts over; the idempotency key keeps it one effect); pending when that answer "
              f"came {ind_kill['left_after_kill']} of {n}"
              + (f", clicked again (HTTP {ind_kill['last']})" if ind_kill['left_after_kill'] else "")
              + f"; approved {ind_kill['approved']}/{n}, approved twice {ind_kill['twice']}, individual.approved "
              f"events {ind_kill['events']}; {ind_kill['seconds']:.1f} s from the click")
    if app_kill and "error" in app_kill:
        print(f"   applications: refused {app_kill['error']}")
    elif app_kill:
        print(f"   applications: killed at {app_kill['done_at_kill']}/{n} done; job finished after the restart: "
              f"succeeded {app_kill['succeeded']}, failed {app_kill['failed']}; approved once "
              f"{app_kill['unit_approved_once']}, twice {app_kill['unit_approved_twice']}; reported once "
              f"{app_kill['reported_once']}, twice {app_kill['reported_twice']}; pending_county_review "
              f"{app_kill['pending_county_review']}/{n}; application.reported events {app_kill['events']}; "
              f"{app_kill['seconds']:.1f} s in all")
        print(f"      {app_kill['memory']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
