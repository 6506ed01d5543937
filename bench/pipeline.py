"""Pipeline benchmark: N applications driven through all 13 stages over the gateway, as clerks work
(ticked batches per stage), on a platform started exactly as `make run` starts it.

Prints (never asserts):
- applications per minute through the whole pipeline, and the wall time of each stage;
- p50 / p99 / max of each leg of a hand-off (producer commit -> relay picks up -> broker confirmed ->
  consumer's transaction starts -> consumer commits; see ``LEGS``), apart for events of single-application
  transactions and of batches; and per event type and consumer, broker confirmed -> consumer's commit;
- resident memory (RSS) of every process;
- raw baselines measured in the same run: publishing with batched publisher confirms (our relay's
  publisher) and with a confirm per message (pika), and a nameko RPC round trip; and the ratios.

    make bench                # N=40
    .venv/bin/python -m bench.pipeline --applications 100
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from deploy.broker_users import vhost_of  # noqa: E402
from deploy.stack import DEMO_FILE, Stack, StackConfig, advance_clock, free_port, services  # noqa: E402
from shared.db import admin  # noqa: E402
from shared.db.engine import database_url  # noqa: E402
from shared.testing import rabbit  # noqa: E402
from tests.e2e.walk import City, Walk, end_publicity, eventually, until  # noqa: E402


@contextmanager
def platform(name: str, *, extra_env: dict | None = None, timeout: float = 180, demo_file: Path | None = None,
             seed_more: Callable[[Stack], None] | None = None) -> Iterator[Stack]:
    """The platform started as `make run` starts it, on its own vhost and databases (``<name>_<hex>_``,
    also set as DATABASE_PREFIX for this process's own queries); stopped and dropped on the way out.
    ``demo_file``: the seed data instead of the demo city; ``seed_more(stack)``: runs after seeding,
    before the processes start."""
    vhost = rabbit.create_vhost("bench")
    prefix = f"{name}_{uuid.uuid4().hex[:6]}_"
    os.environ["DATABASE_PREFIX"] = prefix
    config = StackConfig(amqp_uri=rabbit.uri(vhost), db_prefix=prefix, var_dir=ROOT / "var" / f"bench-{prefix}",
                         gateway_port=free_port(), echo=False, extra_env=extra_env or {},
                         demo_file=demo_file or DEMO_FILE)
    stack = Stack(config)
    try:
        print(f"starting the platform (vhost {vhost}, databases {prefix}*) ...", flush=True)
        stack.prepare()
        if seed_more is not None:
            seed_more(stack)
        stack.start(timeout=timeout)
        yield stack
    finally:
        stack.stop()
        stack.remove_broker_users()
        rabbit.delete_vhost(vhost)
        for service in services():
            admin.drop_database(service, database_url(service))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def with_children(pid: int) -> list[int]:
    """The process and its children (gunicorn workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid] + ([int(p) for p in children.read_text().split()] if children.exists() else [])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn workers), in MiB."""
    total = 0
    for p in with_children(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (gunicorn workers), in seconds."""
    total = 0.0
    for p in with_children(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


#: the most ids one ticked request takes (the API's limit on ``application_ids``)
BATCH_MAX = 500


def run_pipeline(city: City, n: int, clock_file: Path, workers: int) -> dict[str, float]:
    """Drive ``n`` applications 1 -> 13; returns the wall time of each stage."""
    timings: dict[str, float] = {}

    def timed(name, fn):
        start = time.perf_counter()
        result = fn()
        timings[name] = time.perf_counter() - start
        return result

    pool = ThreadPoolExecutor(workers)
    graduates = timed("setup: graduates registered", lambda: list(pool.map(lambda _: city.new_graduate(), range(n))))
    walks = [Walk(city, graduate=g) for g in graduates]
    timed("1 submit", lambda: list(pool.map(lambda w: w.stage1_submit(), walks)))
    timed("2 unit approve", lambda: list(pool.map(lambda w: w.stage2_unit_approve(), walks)))
    # a ticked list takes at most 500 ids (the API's limit): a run of more sends its ticks 500 at a time,
    # as a clerk would, and so has one publicity batch, city batch and county transfer per 500
    chunks = [walks[i:i + BATCH_MAX] for i in range(0, len(walks), BATCH_MAX)]
    ids = [[w.app_id for w in chunk] for chunk in chunks]
    unit, county = walks[0].officer("unit"), walks[0].officer("county")

    def each(fn) -> list:
        return [fn(chunk) for chunk in ids]
    timed("3 report", lambda: each(lambda c: unit.post("/applications/report", {"application_ids": c})))
    timed("4 county approve", lambda: list(pool.map(lambda w: w.stage4_county_approve(), walks)))
    batches = timed("5 publicity start", lambda: each(lambda c: eventually(lambda: county.post(
        "/publicity-batches", {"application_ids": c}, expect=(200, 201)), timeout=120)))
    advance_clock(clock_file, 15)  # beyond the publicity period, holidays included
    # every client logs in again, one after the other (argon2 each): part of the total, not a stage
    timed("   (log in again after the clock)", city.relogin)
    county = walks[0].officer("county")
    # or the timer ended them first
    timed("5 publicity end", lambda: [end_publicity(county, batch["id"]) for batch in batches])
    timed("6 assessment", lambda: each(lambda c: county.post("/assessments/pass", {"application_ids": c})))
    timed("7 report to county org", lambda: each(lambda c: county.post("/assessments/report",
                                                                        {"application_ids": c})))
    org = walks[0].officer("county_org")
    timed("8 county org confirm", lambda: each(lambda c: eventually(
        lambda: org.post("/org-reviews/confirm", {"application_ids": c}), timeout=120)))
    city_batches = timed("9 city aggregate", lambda: each(lambda c: city.city("city_hrss").post(
        "/city-batches", {"application_ids": c}, expect=(200, 201))))
    timed("10 city org confirm", lambda: [city.city("city_org").post(f"/city-batches/{b['id']}/confirm")
                                          for b in city_batches])
    def release(batch_id: str):
        return eventually(lambda: city.city("city_finance").post(
            f"/disbursement-batches/{batch_id}/release", {"county": "440703"}), timeout=120)
    timed("11 city finance release", lambda: [release(b["id"]) for b in city_batches])
    for chunk, city_batch in zip(chunks, city_batches, strict=True):
        for w in chunk:
            w.city_batch = city_batch
    transfers = timed("12 county finance pay (find)",
                      lambda: [until(chunk[0]._my_transfer, timeout=120) for chunk in chunks])
    finance = walks[0].officer("county_finance")
    timed("12 county finance confirm arrival", lambda: [finance.post(f"/county-transfers/{t['id']}/confirm-arrival")
                                                        for t in transfers])
    timed("12 county finance pay", lambda: [finance.post(f"/county-transfers/{t['id']}/pay") for t in transfers])
    timed("13 receipt confirmed", lambda: list(pool.map(lambda w: w.stage13_confirm(), walks)))
    timed("mirror settled", lambda: until(lambda: all(w.status() == "receipt_confirmed" for w in walks),
                                          timeout=120))
    pool.shutdown()
    return timings


#: the legs of one hand-off, in order; each is (label, from column, to column) and is measured on
#: PostgreSQL's clock (``clock_timestamp()`` at commit or after the confirm, see platform_v3), so
#: moving the platform's clock for the publicity period does not skew them
LEGS = (
    ("producer txn start -> producer commit", "created_at", "committed_at"),
    ("producer commit -> relay picks up", "committed_at", "picked_at"),
    ("relay picks up -> broker confirmed", "picked_at", "sent_at"),
    ("broker confirmed -> consumer txn starts", "sent_at", "received_at"),
    ("consumer txn starts -> consumer commit", "received_at", "handled_at"),
    ("producer commit -> broker confirmed (relay lag)", "committed_at", "sent_at"),
    ("broker confirmed -> consumer commit (hand-off)", "sent_at", "handled_at"),
    ("producer commit -> consumer commit (end to end)", "committed_at", "handled_at"),
)


def handoff_rows(since: float) -> list[dict]:
    """One dict per (event, consumer) of events written after ``since`` (the demo seed's events wait for
    their service to start and would say nothing about the relay), with the outbox row's times, the
    inbox row's times, and ``kind``: "single" when the producing transaction emitted events about one
    subject (one application's command or event handler), "batch" when about several (a ticked batch).
    Events nobody consumes get one dict with ``consumer`` None (they still measure the relay)."""
    outbox: dict[str, dict] = {}
    subjects: dict[tuple[str, object], set] = {}
    inbox: list[dict] = []
    for service in services():
        engine = create_engine(database_url(service))
        with engine.connect() as conn:
            for row in conn.execute(text(
                    "SELECT event_id, event_type, body::json->>'subject' AS subject, created_at, committed_at, "
                    "picked_at, sent_at FROM platform_outbox WHERE exchange NOT LIKE 'platform.%' "
                    "AND sent_at IS NOT NULL AND created_at >= to_timestamp(:since)"), {"since": since}):
                txn = (service, row.created_at)  # now() is one value per transaction
                subjects.setdefault(txn, set()).add(row.subject)
                outbox[row.event_id] = {"event_id": row.event_id, "event_type": row.event_type, "txn": txn,
                                        "created_at": row.created_at, "committed_at": row.committed_at,
                                        "picked_at": row.picked_at, "sent_at": row.sent_at}
            for row in conn.execute(text("SELECT consumer, event_id, received_at, handled_at FROM platform_inbox")):
                inbox.append({"consumer": row.consumer.split(".", 1)[0], "event_id": row.event_id,
                              "received_at": row.received_at, "handled_at": row.handled_at})
        engine.dispose()
    rows, consumed = [], set()
    for entry in inbox:
        produced = outbox.get(entry["event_id"])
        if produced is not None:
            consumed.add(entry["event_id"])
            rows.append({**produced, **entry})
    rows += [{**produced, "consumer": None, "received_at": None, "handled_at": None}
             for event_id, produced in outbox.items() if event_id not in consumed]
    for row in rows:
        row["kind"] = "single" if len(subjects[row["txn"]]) == 1 else "batch"
    return rows


def leg_ms(rows: list[dict], start: str, end: str, *, per_event: bool = False) -> list[float]:
    """Milliseconds from column ``start`` to ``end`` over ``rows`` that have both; ``per_event`` counts
    each event once (the producer-side legs do not depend on how many consumers it has)."""
    seen, values = set(), []
    for row in rows:
        if row[start] is None or row[end] is None:
            continue
        if per_event:
            if row["event_id"] in seen:
                continue
            seen.add(row["event_id"])
        values.append((row[end] - row[start]).total_seconds() * 1000)
    return values


def print_by_producer(rows: list[dict]) -> None:
    """Relay lag and consumer side per producing service (a busy process delays its own relay)."""
    print(f"   {'producer':<22} {'events':>6} {'relay lag p50':>14} {'p99':>8} {'consumers':>10} "
          f"{'confirmed->commit p50':>22} {'p99':>8}")
    for service in sorted({r["txn"][0] for r in rows}):
        mine = [r for r in rows if r["txn"][0] == service]
        lag = leg_ms(mine, "committed_at", "sent_at", per_event=True)
        handoff = leg_ms([r for r in mine if r["consumer"] is not None], "sent_at", "handled_at")
        print(f"   {service:<22} {len(lag):>6} {pct(lag, 50):14.1f} {pct(lag, 99):8.1f} {len(handoff):>10} "
              f"{pct(handoff, 50):22.1f} {pct(handoff, 99):8.1f}")


def print_legs(rows: list[dict]) -> None:
    consumer_side = {"received_at", "handled_at"}
    print(f"   {'leg':<50} {'kind':<7} {'n':>5} {'p50':>8} {'p99':>8} {'max':>8}")
    for label, start, end in LEGS:
        for kind in ("single", "batch", "all"):
            chosen = [r for r in rows if kind == "all" or r["kind"] == kind]
            per_event = not ({start, end} & consumer_side)
            if not per_event:
                chosen = [r for r in chosen if r["consumer"] is not None]
            values = leg_ms(chosen, start, end, per_event=per_event)
            if values:
                print(f"   {label:<50} {kind:<7} {len(values):>5} {pct(values, 50):8.1f} {pct(values, 99):8.1f} "
                      f"{max(values):8.1f}")


def baseline_publish(vhost: str, count: int = 5000) -> dict[str, float]:
    """Messages/s with batched confirms (our publisher) and with a confirm per message (pika)."""
    import pika

    from shared.messaging.publisher import ConfirmingPublisher, Outgoing
    conn = rabbit.connection(vhost)
    channel = conn.channel()
    channel.queue_declare("bench.baseline", durable=True)
    conn.close()
    body = '{"specversion":"1.0","data":{"x":1}}'
    publisher = ConfirmingPublisher(rabbit.uri(vhost))
    start = time.perf_counter()
    for offset in range(0, count, 500):
        publisher.publish_batch([Outgoing(key=i, exchange="", routing_key="bench.baseline", body=body,
                                          message_id=str(i)) for i in range(offset, min(count, offset + 500))])
    batched = count / (time.perf_counter() - start)
    publisher.close()
    params = pika.ConnectionParameters(host="127.0.0.1", virtual_host=vhost,
                                       credentials=pika.PlainCredentials("guest", "guest"))
    pconn = pika.BlockingConnection(params)
    pchannel = pconn.channel()
    pchannel.confirm_delivery()
    single_count = min(count, 1000)
    latencies = []
    start = time.perf_counter()
    for _ in range(single_count):
        sent = time.perf_counter()
        pchannel.basic_publish("", "bench.baseline", body, pika.BasicProperties(delivery_mode=2))
        latencies.append((time.perf_counter() - sent) * 1000)
    single = single_count / (time.perf_counter() - start)
    pchannel.queue_purge("bench.baseline")
    pconn.close()
    return {"batched_confirms_per_s": batched, "per_message_confirm_per_s": single,
            "confirm_latency_p50_ms": pct(latencies, 50), "confirm_latency_p99_ms": pct(latencies, 99)}


def baseline_pika_batched(vhost: str, count: int = 5000, batch: int = 500) -> float:
    """Messages/s with pika (asynchronous SelectConnection): publish a batch, wait for all its confirms."""
    import pika

    body = '{"specversion":"1.0","data":{"x":1}}'
    props = pika.BasicProperties(delivery_mode=2, content_type="application/json")
    state = {"sent": 0, "outstanding": set(), "channel": None, "next_tag": 1}

    def publish_batch():
        channel = state["channel"]
        for _ in range(min(batch, count - state["sent"])):
            channel.basic_publish("", "bench.baseline", body, props)
            state["outstanding"].add(state["next_tag"])
            state["next_tag"] += 1
            state["sent"] += 1

    def on_confirm(frame):
        tag, multiple = frame.method.delivery_tag, frame.method.multiple
        state["outstanding"] = {t for t in state["outstanding"] if t > tag} if multiple \
            else state["outstanding"] - {tag}
        if not state["outstanding"]:
            if state["sent"] >= count:
                connection.close()
            else:
                publish_batch()

    def on_channel(channel):
        state["channel"] = channel
        channel.confirm_delivery(ack_nack_callback=on_confirm, callback=lambda _: publish_batch())

    params = pika.ConnectionParameters(host="127.0.0.1", virtual_host=vhost,
                                       credentials=pika.PlainCredentials("guest", "guest"))
    connection = pika.SelectConnection(params, on_open_callback=lambda c: c.channel(on_open_callback=on_channel),
                                       on_close_callback=lambda *_: connection.ioloop.stop())
    start = time.perf_counter()
    connection.ioloop.start()
    elapsed = time.perf_counter() - start
    purge = rabbit.connection(vhost)
    purge.channel().queue_purge("bench.baseline")
    purge.close()
    return state["sent"] / elapsed


def baseline_rpc(amqp_uri: str, count: int = 300) -> list[float]:
    """Round trips of an empty nameko RPC (identity.health) through a standalone proxy, in ms."""
    from nameko.standalone.rpc import ClusterRpcProxy
    durations = []
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10) as rpc:
        rpc.identity.health()
        for _ in range(count):
            start = time.perf_counter()
            rpc.identity.health()
            durations.append((time.perf_counter() - start) * 1000)
    return durations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", "-n", type=int, default=40)
    parser.add_argument("--workers", type=int, default=8, help="concurrent clients per stage")
    args = parser.parse_args(argv)

    # everything below (the stack, the latency queries, the clean-up) works on these databases only
    with platform("bench", timeout=120) as stack:
        config = stack.config
        vhost = vhost_of(config.amqp_uri)
        city = City(config.gateway_url)
        cpu_before = {name: cpu_seconds(proc.pid) for name, proc in stack.processes.items()}
        start, started_at = time.perf_counter(), time.time()
        timings = run_pipeline(city, args.applications, config.clock_file, args.workers)
        total = time.perf_counter() - start
        cpu = {name: cpu_seconds(proc.pid) - cpu_before[name] for name, proc in stack.processes.items()}
        rows = handoff_rows(started_at)
        memory = {name: rss_mb(proc.pid) for name, proc in stack.processes.items()}
        publish = baseline_publish(vhost)
        publish["pika_batched_confirms_per_s"] = baseline_pika_batched(vhost)
        rpc = baseline_rpc(config.amqp_uri)

    n = args.applications
    setup = timings.get("setup: graduates registered", 0.0)
    print(f"\n== pipeline: {n} applications through 13 stages in {total - setup:.1f} s "
          f"= {n / (total - setup) * 60:.1f} applications/min ({args.workers} concurrent clients per stage); "
          f"with registering the {n} graduates first: {total:.1f} s = {n / total * 60:.1f}/min")
    for name, seconds in timings.items():
        print(f"   {name:<32} {seconds:7.2f} s")
    print("\n== each leg of a hand-off (ms, PostgreSQL clock); single = the producing transaction is about one "
          "application, batch = about several (a ticked batch is one transaction)")
    print_legs(rows)
    print("\n== per producing service: relay lag (producer commit -> broker confirmed) and hand-off "
          "(broker confirmed -> consumer commit), ms")
    print_by_producer(rows)
    print("\n== hand-offs: broker confirmed (outbox sent_at) -> consumer's commit (inbox handled_at), ms")
    print(f"   {'event -> consumer':<64} {'n':>5} {'p50':>8} {'p99':>8}")
    handoff_p50 = []
    by_handoff: dict[str, list[float]] = {}
    for row in rows:
        if row["consumer"] is not None and row["handled_at"] is not None:
            by_handoff.setdefault(f"{row['event_type']} -> {row['consumer']}", []).append(
                (row["handled_at"] - row["sent_at"]).total_seconds() * 1000)
    for key in sorted(by_handoff):
        values = by_handoff[key]
        handoff_p50.append(pct(values, 50))
        print(f"   {key:<64} {len(values):>5} {pct(values, 50):8.1f} {pct(values, 99):8.1f}")
    print(f"\n== CPU per process over the whole run ({total:.0f} s wall, registering the graduates included; "
          f"/proc utime+stime, the process and its children)")
    print(f"   {'process':<24} {'CPU s':>8} {'share of wall':>14} {'CPU ms / application':>21}")
    for name, seconds in sorted(cpu.items(), key=lambda kv: -kv[1]):
        print(f"   {name:<24} {seconds:8.1f} {seconds / total:13.0%} {seconds / n * 1000:21.1f}")
    busiest = max(cpu, key=lambda k: cpu[k])
    print(f"   saturates first: {busiest} ({cpu[busiest] / total:.0%} of one core over the run); all processes "
          f"{sum(cpu.values()):.1f} CPU s = {sum(cpu.values()) / n * 1000:.0f} CPU ms per application")
    print("\n== memory (RSS, MiB)")
    for name, mb in memory.items():
        print(f"   {name:<24} {mb:8.1f}")
    print("\n== baselines (same machine, same run)")
    print(f"   pika publish, batched confirms (500)   {publish['pika_batched_confirms_per_s']:9.0f} msg/s")
    print(f"   relay's publisher, batched (500)       {publish['batched_confirms_per_s']:9.0f} msg/s")
    print(f"   publish, confirm per message (pika)    {publish['per_message_confirm_per_s']:9.0f} msg/s")
    print(f"   one persistent publish -> its confirm (pika) p50 {publish['confirm_latency_p50_ms']:.2f} ms  "
          f"p99 {publish['confirm_latency_p99_ms']:.2f} ms")
    print(f"   nameko RPC round trip                  p50 {pct(rpc, 50):.2f} ms  p99 {pct(rpc, 99):.2f} ms")
    print("\n== ratios")
    relay_lag = leg_ms(rows, "committed_at", "sent_at", per_event=True)
    if relay_lag:
        print(f"   relay lag p99 / one publish+confirm p99 (pika)  "
              f"{pct(relay_lag, 99) / publish['confirm_latency_p99_ms']:8.1f} x")
    handoff = [(r["handled_at"] - r["sent_at"]).total_seconds() * 1000 for r in rows
               if r["consumer"] is not None and r["handled_at"] is not None]
    if handoff:
        print(f"   hand-off p99 / RPC round trip p99              {pct(handoff, 99) / pct(rpc, 99):8.1f} x")
    if handoff_p50:
        median_handoff = statistics.median(handoff_p50)
        print(f"   median hand-off p50 / RPC round trip p50      {median_handoff / pct(rpc, 50):8.1f} x")
    per_app_ms = (total - setup) / n * 1000
    print(f"   pipeline time per application / RPC round trip {per_app_ms / pct(rpc, 50):8.1f} x")
    print(f"   pika batched / per-message confirm throughput  "
          f"{publish['pika_batched_confirms_per_s'] / publish['per_message_confirm_per_s']:8.1f} x")
    print(f"   relay's publisher / pika batched throughput    "
          f"{publish['batched_confirms_per_s'] / publish['pika_batched_confirms_per_s']:8.1f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
