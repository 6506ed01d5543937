"""``platform-admin``: the operator's view of the event plumbing of one or more services.

``platform-admin outbox [--service S ...]``
    per service: unsent events, the oldest unsent one's age, rows that failed to publish (attempts > 0)
    and their last error; the sent total. Exit 1 when a service's database does not answer.
``platform-admin republish --service S --since T [--until T] [--type TYPE] [--dry-run]``
    publish again the events ``S`` created in ``[since, until)`` (ISO times, UTC unless they carry an
    offset): each one is added to the outbox once more with the same envelope and ``id``, so the relay
    sends it with its usual confirms; consumers' inboxes and integrators (dedupe by ``id``) take it once.
    The outbox stays append-only: no row is changed.
``platform-admin dlq list|replay ...``
    the dead-letter queues (same as ``platform-dlq``).

Each service's database URL is found as the services find it (``<SERVICE>_DATABASE_URL``, or
``DATABASE_URL`` + ``DATABASE_PREFIX``), so one agency's admin runs it for the services it operates.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from sqlalchemy import and_, func, insert, select

from shared import contracts
from shared.db.engine import database_url, make_engine
from shared.db.tables import outbox


def backlog(service: str) -> dict[str, Any]:
    engine = make_engine(database_url(service), pool_size=1, application_name="platform-admin")
    try:
        with engine.connect() as conn:
            unsent = outbox.c.sent_at.is_(None)
            row = conn.execute(select(
                func.count().filter(unsent), func.min(outbox.c.created_at).filter(unsent),
                func.count().filter(and_(unsent, outbox.c.attempts > 0)), func.count().filter(~unsent),
                func.now())).one()
            error = conn.execute(select(outbox.c.last_error).where(unsent, outbox.c.last_error.is_not(None))
                                 .order_by(outbox.c.seq.desc()).limit(1)).scalar()
    finally:
        engine.dispose()
    unsent_count, oldest, failing, sent, now = row
    return {"service": service, "unsent": unsent_count, "failing": failing, "sent": sent,
            "oldest_unsent_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
            "last_error": error}


def republish(service: str, since: dt.datetime, until: dt.datetime | None = None, event_type: str | None = None,
              *, dry_run: bool = False) -> tuple[int, int]:
    """Add the sent events of ``service`` created in ``[since, until)`` to its outbox again; returns the
    number of events and of outbox rows (an event has a row per exchange: the service's own and the
    masked integration copy on ``platform.events``)."""
    engine = make_engine(database_url(service), pool_size=1, application_name="platform-admin")
    conditions = [outbox.c.created_at >= since, outbox.c.sent_at.is_not(None)]
    if until is not None:
        conditions.append(outbox.c.created_at < until)
    if event_type:
        conditions.append(outbox.c.event_type == event_type)
    columns = [outbox.c.event_id, outbox.c.event_type, outbox.c.exchange, outbox.c.routing_key, outbox.c.body,
               outbox.c.mandatory]
    try:
        with engine.begin() as conn:
            chosen = select(*columns).where(*conditions).order_by(outbox.c.seq)
            rows = chosen.subquery()
            events, count = conn.execute(select(func.count(rows.c.event_id.distinct()), func.count())
                                         .select_from(rows)).one()
            if not dry_run:
                conn.execute(insert(outbox).from_select([c.name for c in columns], chosen))
            return events, count
    finally:
        engine.dispose()


def _time(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="platform-admin", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    ob = sub.add_parser("outbox", help="unsent events per service")
    ob.add_argument("--service", action="append", choices=contracts.PRODUCERS)
    rp = sub.add_parser("republish", help="publish a service's events of a time range again (same ids)")
    rp.add_argument("--service", required=True, choices=contracts.PRODUCERS)
    rp.add_argument("--since", required=True, type=_time)
    rp.add_argument("--until", type=_time)
    rp.add_argument("--type", dest="event_type")
    rp.add_argument("--dry-run", action="store_true")
    dlq = sub.add_parser("dlq", help="dead-letter queues (platform-dlq)", add_help=False)
    dlq.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.cmd == "dlq":
        from shared.messaging import dlq as dlq_cli
        return dlq_cli.main(args.rest)
    if args.cmd == "outbox":
        rc = 0
        print(f"{'service':<22}{'unsent':>8}{'oldest(s)':>11}{'failing':>9}{'sent':>10}  last error")
        for service in args.service or contracts.PRODUCERS:
            try:
                row = backlog(service)
            except Exception as exc:  # noqa: BLE001 - one line per unreachable service, go on
                print(f"{service:<22}  database unavailable: {type(exc).__name__}")
                rc = 1
                continue
            oldest = "-" if row["oldest_unsent_seconds"] is None else f"{row['oldest_unsent_seconds']:g}"
            print(f"{service:<22}{row['unsent']:>8}{oldest:>11}{row['failing']:>9}{row['sent']:>10}  "
                  f"{(row['last_error'] or '')[:60]}")
        return rc
    events, rows = republish(args.service, args.since, args.until, args.event_type, dry_run=args.dry_run)
    verb = "would publish again" if args.dry_run else "queued for publishing again"
    print(f"{args.service}: {events} event(s) {verb} as {rows} outbox row(s) "
          f"(same ids: consumers and integrators take each once)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
