"""Import benchmark (line B, 职工批量导入): a 10,000-row template imported through the gateway into
housing_fund, on a platform started exactly as `make run` starts it; beside it, in the same run,
openpyxl reading the same file alone (read-only mode, in a fresh process). Prints (never asserts):

- the import's wall time through the gateway (upload, every row checked, all rows written);
- housing_fund's resident memory before, and its peak (VmHWM) after the import;
- openpyxl alone: time and peak RSS of a fresh process that only reads the file;
- the ratios (import time / read time; service peak growth / reader peak).

    .venv/bin/python -m bench.import --rows 10000
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from deploy.stack import Stack, StackConfig, free_port, services  # noqa: E402
from shared import validators  # noqa: E402
from shared.db import admin  # noqa: E402
from shared.db.engine import database_url  # noqa: E402
from tests.support import rabbit  # noqa: E402

HEADER = ["姓名*", "证件类型", "证件号码*", "手机号码*", "级别*", "每月缴费金额（元）", "汇缴开始月份*", "累计缴纳期数",
          "累计缴纳金额（元）", "职务"]
READ_ALONE = """
import resource, sys, time
from openpyxl import load_workbook
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
book = load_workbook(sys.argv[1], read_only=True, data_only=True)
rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
book.close()
print(rows, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, before)
"""


def id_number(i: int) -> str:
    born = date(1960, 1, 1) + timedelta(days=i // 1000)
    body = f"440703{born:%Y%m%d}{i % 1000:03d}"
    return body + validators.id_check_char(body)


def write_file(path: Path, rows: int) -> None:
    book = Workbook()  # shared strings, as Excel writes them
    ws = book.active
    ws.title = "职工信息"
    ws.append(HEADER)
    for i in range(1, rows + 1):
        ws.append([f"职工{i}", "居民身份证", id_number(i), f"139{i:08d}", "01", "800", "202401", "12", "9600", None])
    book.save(path)


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", "-n", type=int, default=10_000)
    args = parser.parse_args(argv)

    vhost = rabbit.create_vhost("bench")
    prefix = f"benchimp_{uuid.uuid4().hex[:6]}_"
    os.environ["DATABASE_PREFIX"] = prefix
    var = ROOT / "var" / f"bench-{prefix}"
    var.mkdir(parents=True, exist_ok=True)
    path = var / "import.xlsx"
    write_file(path, args.rows)
    config = StackConfig(amqp_uri=rabbit.uri(vhost), db_prefix=prefix, var_dir=var, gateway_port=free_port(),
                         echo=False, extra_env={"GATEWAY_RPC_TIMEOUT": "900"})
    stack = Stack(config)
    try:
        print(f"starting the platform (vhost {vhost}, databases {prefix}*) ...", flush=True)
        stack.prepare()
        stack.start(timeout=120)
        base = config.gateway_url
        token = requests.post(f"{base}/api/v1/auth/login", json={"username": "MA5H0001X", "password": "Demo2026"},
                              timeout=30).json()["access_token"]
        pid = stack.processes["housing_fund"].pid
        rss_before, hwm_before = status_kib(pid, "VmRSS"), status_kib(pid, "VmHWM")
        start = time.perf_counter()
        with open(path, "rb") as fh:
            answer = requests.post(f"{base}/api/v1/employees/import", headers={"Authorization": f"Bearer {token}"},
                                   files={"file": ("import.xlsx", fh)}, timeout=900)
        elapsed = time.perf_counter() - start
        hwm_after = status_kib(pid, "VmHWM")
        if answer.status_code != 201:
            print(f"import refused: {answer.status_code} {answer.text[:500]}")
            return 1
        alone = subprocess.run([sys.executable, "-c", READ_ALONE, str(path)], capture_output=True, text=True,
                               check=True).stdout.split()
        read_rows, read_s, read_peak_mb, read_base_mb = int(alone[0]) - 1, float(alone[1]), float(alone[2]), \
            float(alone[3])
    finally:
        stack.stop()
        rabbit.delete_vhost(vhost)
        for service in services():
            admin.drop_database(service, database_url(service))

    size_kb = path.stat().st_size / 1024
    imported = answer.json()["imported"]
    growth_mb = (hwm_after - rss_before) / 1024
    print(f"\n== 职工批量导入 of {imported} rows ({size_kb:.0f} KiB .xlsx) through the gateway: {elapsed:.2f} s "
          f"= {imported / elapsed:.0f} rows/s")
    print(f"   housing_fund RSS before {rss_before / 1024:.1f} MiB, peak before {hwm_before / 1024:.1f} MiB, "
          f"peak after {hwm_after / 1024:.1f} MiB (growth {growth_mb:.1f} MiB)")
    read_growth = read_peak_mb - read_base_mb
    print(f"== openpyxl alone (read-only, fresh process) reading the same {read_rows} rows: {read_s:.2f} s, "
          f"peak RSS {read_peak_mb:.1f} MiB ({read_base_mb:.1f} MiB after importing openpyxl: "
          f"growth {read_growth:.1f} MiB)")
    print(f"== ratios: import time / read time = {elapsed / read_s:.1f}x; service peak growth / reader's growth = "
          f"{growth_mb / max(read_growth, 0.1):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
