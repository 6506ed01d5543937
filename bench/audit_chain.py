"""What the audit trail's hash chain costs: audit rows per second written the old way (a plain insert)
and chained (advisory lock + last hash + SHA-256, ``shared.audit.record``), by 1 and by N concurrent
writers each committing one row per transaction, on a throwaway database. Prints figures, asserts
nothing; then verifies the chain it wrote.

    .venv/bin/python -m bench.audit_chain [--rows 2000] [--writers 8]
"""
from __future__ import annotations

import argparse
import threading
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from shared import audit
from shared.auth.principal import Principal
from shared.db.engine import make_engine
from shared.db.tables import audit_log
from shared.testing import db

ACTOR = Principal(account_id=str(uuid.uuid4()), role="county_hrss", region="440703", name="经办人")


def plain(session: Session, i: int) -> None:
    session.execute(insert(audit_log).values(
        action="bench.plain", subject_type="bench", subject_id=str(i), actor_account=ACTOR.account_id,
        actor_role=ACTOR.role, actor_name=ACTOR.name, after={"i": i}, region="440703", at=datetime.now(UTC)))


def chained(session: Session, i: int) -> None:
    audit.record(session, action="bench.chained", subject_type="bench", subject_id=str(i), actor=ACTOR,
                 after={"i": i}, region="440703")


def run(engine, write, rows: int, writers: int) -> float:
    per_writer = rows // writers

    def worker(offset: int) -> None:
        for i in range(per_writer):
            with Session(engine) as session, session.begin():
                write(session, offset + i)

    threads = [threading.Thread(target=worker, args=(w * per_writer,)) for w in range(writers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return per_writer * writers / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--writers", type=int, default=8)
    args = parser.parse_args()
    url = db.fresh_database("bench_audit")
    try:
        db.create_tables(url, audit_log.metadata)
        engine = make_engine(url, pool_size=args.writers + 2, application_name="bench-audit")
        print(f"audit rows/s, one row per transaction, {args.rows} rows per run")
        counts = (1, args.writers)
        plain_rates = {w: run(engine, plain, args.rows, w) for w in counts}  # plain rows first: the
        chained_rates = {w: run(engine, chained, args.rows, w) for w in counts}  # chain follows them
        for w in counts:
            p, c = plain_rates[w], chained_rates[w]
            print(f"  {w} writer(s): plain insert {p:7.0f}/s   hash-chained {c:7.0f}/s   ratio {c / p:.2f}")
        with Session(engine) as session:
            start = time.perf_counter()
            report = audit.verify(session)
            took = time.perf_counter() - start
        print(f"  verify: {report['rows']} rows ({report['chained']} chained) in {took:.2f} s, ok={report['ok']}")
        engine.dispose()
    finally:
        db.drop(url)


if __name__ == "__main__":
    main()
