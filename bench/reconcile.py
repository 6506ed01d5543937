"""Reconciliation benchmark: N bank-statement lines (default 100,000) against M outstanding payment
notices (default 20,000) through the real upload path (gateway multipart upload -> attachment store
-> housing_fund parses it -> job runner matches it in chunks, booking the ledger and the outbox), on
housing_fund and the gateway started as `make run` starts them.

Prints (never asserts): wall time of the upload call and of the whole match, lines/s, peak RSS of
housing_fund and the gateway during the run, and in the same run the floor: a plain Python dict join
of the same lines (csv parse, memo normalised, dict lookup by code, amount compare) with its time and
peak traced memory, and the ratio.

    make bench-reconcile                           # 100,000 lines, 20,000 notices
    .venv/bin/python -m bench.reconcile --lines 20000 --notices 4000
"""
from __future__ import annotations

import argparse
import csv
import io
import itertools
import os
import random
import sys
import threading
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench.pipeline import rss_mb  # noqa: E402
from deploy.stack import Stack, StackConfig, free_port, services  # noqa: E402
from housing_fund.domain.payment_codes import ALPHABET, read_memo  # noqa: E402
from shared.auth import keys  # noqa: E402
from shared.auth.tokens import TokenSigner  # noqa: E402
from shared.clock import SystemClock  # noqa: E402
from shared.db import admin  # noqa: E402
from shared.db.engine import database_url  # noqa: E402
from shared.testing import rabbit  # noqa: E402


def codes(n: int, rng: random.Random) -> list[str]:
    every = ["".join(c) for c in itertools.product(ALPHABET, repeat=4)]
    return rng.sample(every, n)


def seed_notices(url: str, n: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """n employers (trade codes 10000..), one employee and one approved remittance each."""
    engine = create_engine(url)
    notices = []
    with engine.begin() as conn:
        employers, employees, remits, lines = [], [], [], []
        for i, code in enumerate(codes(n, rng)):
            e, p, r = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
            trade, amount = str(10000 + i), rng.choice([80000, 90000, 100000, 110000, 120000])
            employers.append({"i": e, "n": f"单位{i}", "o": f"B{i:07d}X", "t": trade})
            employees.append({"i": p, "e": e, "n": f"职工{i}", "num": f"B{i:017d}", "m": amount})
            remits.append({"i": r, "e": e, "t": amount, "c": code, "tc": trade, "memo": f"{trade}x{code}o"})
            lines.append({"r": r, "p": p, "a": amount})
            notices.append((trade, code, amount))
        conn.execute(text("INSERT INTO employers (id, name, org_code, region, status, created_at, updated_at, "
                          "trade_code) VALUES (:i, :n, :o, '440703', '01', now(), now(), :t)"), employers)
        conn.execute(text("INSERT INTO employees (id, employer_id, region, name, id_type, id_number, level, "
                          "monthly_fen, source, opened_at, updated_at) VALUES (:i, :e, '440703', :n, 'resident_id', "
                          ":num, '01', :m, 'opened', now(), now())"), employees)
        conn.execute(text("INSERT INTO remittances (id, employer_id, region, mode, month_from, month_to, status, "
                          "total_fen, employee_count, line_count, submitted_by, submitted_at, payment_code, "
                          "trade_code, memo) VALUES (:i, :e, '440703', 'remit', '202611', '202611', 'approved', :t, 1, "
                          "1, :e, now(), :c, :tc, :memo)"), remits)
        conn.execute(text("INSERT INTO remittance_lines (remittance_id, employee_id, month, amount_fen) "
                          "VALUES (:r, :p, '202611', :a)"), lines)
    engine.dispose()
    return notices


def statement(notices: list[tuple[str, str, int]], n_lines: int, rng: random.Random) -> bytes:
    """Every notice paid once exactly; the rest: wrong amounts, second payments, unknown codes,
    codes not at the start, malformed memos, full-width memos."""
    rows = [(t, c, a, f"{t}x{c}o 汇缴款") for t, c, a in notices]
    kinds = itertools.cycle(["wrong_amount", "second", "unknown", "not_at_start", "malformed", "fullwidth"])
    while len(rows) < n_lines:
        t, c, a = rng.choice(notices)
        kind = next(kinds)
        if kind == "wrong_amount":
            rows.append((t, c, a + 1, f"{t}x{c}o"))
        elif kind == "second":
            rows.append((t, c, a, f"{t}x{c}o"))
        elif kind == "unknown":
            rows.append((t, "ZZZZ", a, f"{t}xZZZZo"))
        elif kind == "not_at_start":
            rows.append((t, c, a, f"汇缴{t}x{c}o"))
        elif kind == "malformed":
            rows.append((t, c, a, "汇缴款"))
        else:
            rows.append((t, c, a + 2, "".join(chr(ord(ch) + 0xFEE0) for ch in f"{t}x{c}o")))
    rng.shuffle(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["交易日期", "金额", "付款账号", "付款户名", "摘要", "银行流水号"])
    for i, (t, _, a, memo) in enumerate(rows):
        writer.writerow(["2026-12-01", f"{a / 100:.2f}", f"6222{t}", f"单位{t}", memo, f"BENCH{i:09d}"])
    return out.getvalue().encode()


def dict_join(content: bytes, notices: list[tuple[str, str, int]]) -> tuple[float, float, int, int]:
    """The floor: the same matching as a plain dict join in this process (time, peak MiB, matched, returned)."""
    tracemalloc.start()
    start = time.perf_counter()
    outstanding = {c: (t, a) for t, c, a in notices}
    matched = returned = 0
    reader = csv.reader(io.StringIO(content.decode()))
    next(reader)
    for row in reader:
        fen = int(round(float(row[1]) * 100))
        r = read_memo(row[4])
        hit = outstanding.get(r.payment_code) if not r.reason else None
        if hit is not None and hit[0] == r.trade_code and hit[1] == fen:
            del outstanding[r.payment_code]
            matched += 1
        else:
            returned += 1
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return seconds, peak, matched, returned


class PeakRss:
    def __init__(self, pids: dict[str, int]) -> None:
        self.pids, self.peak, self._stop = pids, {k: 0.0 for k in pids}, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], rss_mb(pid))
            time.sleep(0.2)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--notices", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    vhost = rabbit.create_vhost("benchrec")
    prefix = f"benchrec_{uuid.uuid4().hex[:6]}_"
    os.environ["DATABASE_PREFIX"] = prefix
    var = ROOT / "var" / f"bench-{prefix}"
    config = StackConfig(amqp_uri=rabbit.uri(vhost), db_prefix=prefix, var_dir=var, gateway_port=free_port(),
                         echo=False)
    stack = Stack(config)
    try:
        print(f"starting housing_fund and the gateway (vhost {vhost}, databases {prefix}*) ...", flush=True)
        stack.prepare()
        stack.start(["housing_fund", "gateway"], timeout=120)
        notices = seed_notices(database_url("housing_fund"), args.notices, rng)
        content = statement(notices, args.lines, rng)
        kid, key = keys.private_keys(var / "keys")[0]
        token, _ = TokenSigner(key, kid, clock=SystemClock()).issue(
            account_id=str(uuid.uuid4()), role="housing_bureau", region="440700", unit_id=None, name="bench",
            token_version=1)
        headers = {"Authorization": f"Bearer {token}"}
        api = f"{config.gateway_url}/api/v1"
        pids = {name: proc.pid for name, proc in stack.processes.items()}
        print(f"{args.notices} notices seeded; uploading {args.lines} lines ({len(content) / 1e6:.1f} MB) ...",
              flush=True)
        with PeakRss(pids) as rss:
            start = time.perf_counter()
            response = requests.post(f"{api}/bank-statements", headers=headers, timeout=300,
                                     files={"file": ("statement.csv", content, "text/csv")})
            upload_s = time.perf_counter() - start
            if response.status_code >= 400:
                raise RuntimeError(f"upload refused: {response.status_code} {response.text[:500]}")
            statement_id = response.json()["id"]
            while True:
                s = requests.get(f"{api}/bank-statements/{statement_id}", headers=headers, timeout=60).json()
                if s["status"] == "done":
                    break
                time.sleep(0.5)
            total_s = time.perf_counter() - start
        floor_s, floor_mb, floor_matched, floor_returned = dict_join(content, notices)
    finally:
        stack.stop()
        rabbit.delete_vhost(vhost)
        for service in services():
            admin.drop_database(service, database_url(service))

    print(f"\n== reconciliation: {args.lines} lines against {args.notices} outstanding notices")
    print(f"   upload call (gateway store + parse + queue)   {upload_s:8.2f} s")
    print(f"   whole match, upload to done                    {total_s:8.2f} s = {args.lines / total_s:8.0f} lines/s")
    print(f"   matched {s['matched_count']}, returned {s['returned_count']}, credits {s['credit_count']}; "
          f"matched + returned = credits: {s['matched_count'] + s['returned_count'] == s['credit_count']}")
    print("   peak RSS (MiB): " + ", ".join(f"{k} {v:.1f}" for k, v in rss.peak.items()))
    print("\n== floor: plain Python dict join of the same lines in one process")
    print(f"   time {floor_s:8.2f} s = {args.lines / floor_s:8.0f} lines/s; peak traced memory {floor_mb:.1f} MiB; "
          f"matched {floor_matched}, returned {floor_returned}")
    print(f"\n== ratio: platform / floor time {total_s / floor_s:8.1f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
