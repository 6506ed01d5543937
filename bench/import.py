"""Import benchmark: 职工批量导入 of N employees (default 10,000) through the gateway, on a platform
started exactly as `make run` starts it, beside openpyxl reading the same file alone in the same run.

Prints (never asserts):
- the import through the gateway: wall time from ``POST /api/v1/employees/import`` (upload into the
  attachment store, housing_fund reading the stored file streaming and checking every row, then the
  202 with the job) until its job is done (the rows written in chunks: employees, their history and
  ledger rows, an ``employee.opened`` each, one ``employee.imported``), the time to the 202 apart, and
  the peak RSS of the housing_fund process (VmHWM) beside its RSS before the import;
- the baseline: openpyxl (read-only, values only) reading the same file in a fresh Python process,
  its time and peak RSS;
- the ratios (time, peak memory).

    make bench-import               # N=10000
    .venv/bin/python -m bench.import --employees 2000
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from deploy.stack import Stack, StackConfig, free_port, services  # noqa: E402
from shared import validators  # noqa: E402
from shared.db import admin  # noqa: E402
from shared.db.engine import database_url  # noqa: E402
from shared.testing import rabbit  # noqa: E402

EMPLOYER = "MA5H0001X"  # a demo employer of 440703 (deploy/demo/city.yaml), password Demo2026
HEADER = ["姓名*", "证件类型", "证件号码*", "手机号码*", "级别*", "每月缴费金额（元）", "汇缴开始月份*", "累计缴纳期数",
          "累计缴纳金额（元）", "职务"]
BASELINE = """
import sys, time
from openpyxl import load_workbook
start = time.perf_counter()
book = load_workbook(sys.argv[1], read_only=True, data_only=True)
rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
book.close()
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the parent's peak
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(rows, seconds, peak)
"""


def write_file(path: Path, n: int) -> Path:
    """N valid rows (distinct 身份证 numbers of 440703, born 1966-2000), streamed to disk."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("职工信息")
    ws.append(HEADER)
    for i in range(n):
        year, day, seq = 1966 + i % 35, 1 + (i // 35) % 28, (i // 980) % 1000
        body = f"440703{year:04d}{1 + (i // 980_000) % 12:02d}{day:02d}{seq:03d}"
        ws.append([f"职工{i:05d}", "居民身份证", body + validators.id_check_char(body), f"139{i:08d}",
                   "0" + str(1 + i % 7), None, "202601", 12, "9600", None])
    book.save(path)
    return path


def status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def service_pid(stack: Stack, name: str) -> int:
    """The pid of the service's own Python process (the stack may start it through a wrapper)."""
    proc = stack.processes[name]
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    kids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return kids[0] if kids and "python" in Path(f"/proc/{kids[0]}/cmdline").read_text() else proc.pid


def baseline(path: Path) -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, "-c", BASELINE, str(path)], capture_output=True, text=True, check=True)
    rows, seconds, peak = out.stdout.split()
    return int(rows), float(seconds), float(peak)


def count_logins(prefix: str) -> int:
    from sqlalchemy import create_engine, text
    engine = create_engine(database_url("identity").replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.connect() as conn:
        value = conn.execute(text("SELECT count(*) FROM accounts WHERE role = 'employee'")).scalar_one()
    engine.dispose()
    return int(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", "-n", type=int, default=10_000)
    args = parser.parse_args(argv)

    vhost = rabbit.create_vhost("bench")
    prefix = f"bimp_{uuid.uuid4().hex[:6]}_"
    os.environ["DATABASE_PREFIX"] = prefix
    os.environ.setdefault("GATEWAY_RPC_TIMEOUT", "120")  # the check of every row before the 202
    var = ROOT / "var" / f"bench-{prefix}"
    var.mkdir(parents=True, exist_ok=True)
    path = write_file(var / f"职工{args.employees}.xlsx", args.employees)
    config = StackConfig(amqp_uri=rabbit.uri(vhost), db_prefix=prefix, var_dir=var, gateway_port=free_port(),
                         echo=False)
    stack = Stack(config)
    try:
        print(f"starting the platform (vhost {vhost}, databases {prefix}*) ...", flush=True)
        stack.prepare()
        stack.start(timeout=120)
        base = config.gateway_url
        login = requests.post(f"{base}/api/v1/auth/login", json={"username": EMPLOYER, "password": "Demo2026"},
                              timeout=30)
        login.raise_for_status()
        headers = {"Authorization": "Bearer " + login.json()["access_token"]}
        pid = service_pid(stack, "housing_fund")
        before_rss, before_hwm = status_kib(pid, "VmRSS") / 1024, status_kib(pid, "VmHWM") / 1024

        base_rows, base_seconds, base_peak = baseline(path)

        start = time.perf_counter()
        with path.open("rb") as handle:
            answer = requests.post(f"{base}/api/v1/employees/import", headers=headers, timeout=900,
                                   files={"file": (path.name, handle,
                                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
        checked_seconds = time.perf_counter() - start
        if answer.status_code != 202:
            print(f"import refused: {answer.status_code} {answer.text[:500]}")
            return 1
        result = answer.json()
        job = result["job"]
        while job["status"] != "done":
            time.sleep(0.25)
            job = requests.get(f"{base}/api/v1/jobs/{result['job_id']}", headers=headers, timeout=30).json()
        seconds = time.perf_counter() - start
        after_hwm = status_kib(pid, "VmHWM") / 1024
        after_rss = status_kib(pid, "VmRSS") / 1024
        imported = sum(int((i.get("outcome") or {}).get("imported") or 0) for i in job.get("items", []))
        logins = count_logins(prefix) - 1  # the demo employee zg_demo
    finally:
        stack.stop()
        rabbit.delete_vhost(vhost)
        for service in services():
            admin.drop_database(service, database_url(service))

    size_kib = path.stat().st_size / 1024
    print(f"\n== file: {args.employees} rows, {size_kib:.0f} KiB ({path.name})")
    print(f"== import through the gateway: {imported} employees in {seconds:.2f} s = {imported / seconds:.0f} rows/s "
          f"(job {job['status']}: {job['succeeded']} chunks ok, {job['failed']} failed)")
    print(f"   upload + check of every row until the 202 with the job: {checked_seconds:.2f} s; "
          f"the job's chunks: {seconds - checked_seconds:.2f} s")
    print(f"   housing_fund RSS before {before_rss:.1f} MiB (peak so far {before_hwm:.1f} MiB); "
          f"peak during the import {after_hwm:.1f} MiB (+{after_hwm - before_hwm:.1f}); RSS after {after_rss:.1f} MiB")
    print(f"   employee logins in identity when the job finished: {logins} of {imported} (identity opens them from "
          "each employee.opened, one argon2 hash each, after the import)")
    print(f"== openpyxl alone (read-only, values only, fresh process): {base_rows} rows in {base_seconds:.2f} s, "
          f"peak RSS {base_peak:.1f} MiB")
    print(f"== ratio import / openpyxl read: time {seconds / base_seconds:.2f}x, "
          f"peak memory {after_hwm / base_peak:.2f}x (service process incl. nameko, SQLAlchemy)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
