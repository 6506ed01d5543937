"""The fault cases of issue 14, each a function of a running stack and a size, so `make fault`
(tests/fault, FAULT_APPLICATIONS) and `make test` (tests/e2e/test_faults.py, the short form on the e2e
tier's stack) run the same code. Each prints what it did and what it counted and fails on any difference.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

from deploy.stack import Stack, advance_clock, environ, procfile, services
from shared import contracts
from shared.messaging import topology
from shared.messaging.publisher import ConfirmingPublisher, Outgoing
from shared.messaging.subscriber import ATTEMPT_HEADER, ERROR_HEADER
from shared.messaging.topology import dead_letter_queue
from shared.testing import rabbit
from tests.e2e.walk import City, Walk
from tests.fault.deadlines import Deadlines
from tests.fault.flow import Flow, baseline, drained, query, verify

STAGE_EXCHANGES = tuple(f"{s}.events" for s in ("subsidy_review", "publicity_assessment", "org_confirmation",
                                                  "finance_disbursement"))
#: what a caller may be told while the broker is away (all 503): never a hang past the gateway's timeout
BROKER_AWAY_CODES = {"broker_unavailable", "service_timeout", "service_unavailable"}


def say(line: str) -> None:
    print(f"   {line}", flush=True)


# -- kill -9 ----------------------------------------------------------------------------------------
class Killer:
    """Kills the next process of ``victims`` shortly after a stage begins (so it dies mid-stage); the
    launcher restarts it (``make run``'s supervision)."""

    def __init__(self, stack: Stack, victims: list[str], delay: float = 0.5) -> None:
        self.stack, self.victims, self.delay = stack, list(victims), delay
        self.killed: list[tuple[str, str]] = []
        self._timers: list[threading.Timer] = []

    def __call__(self, stage: str) -> None:
        if not self.victims:
            return
        name = self.victims.pop(0)
        timer = threading.Timer(self.delay, self._kill, args=(name, stage))
        timer.start()
        self._timers.append(timer)

    def _kill(self, name: str, after: str) -> None:
        expected = self.stack.expected_restarts  # type: ignore[attr-defined]
        expected[name] = expected.get(name, 0) + 1
        self.stack.signal(name, signal.SIGKILL)
        self.killed.append((name, after))
        say(f"kill -9 {name} (pid group) while the stage after '{after}' runs")

    def join(self) -> None:
        for timer in self._timers:
            timer.join()


def kill_each_process_under_flow(stack: Stack, n: int, *, chunk: int = 50, extra=None) -> Flow:
    """Every process (each service, then the gateway) killed with SIGKILL in turn while ``n`` applications
    flow 1 -> 13; the launcher restarts each; every application completes once and is paid once.
    ``extra(stage, flow)``: further faults of the short form, run after each stage."""
    print(f"\n== kill -9 of each process in turn while {n} applications flow through 13 stages", flush=True)
    flow = Flow(stack, n, chunk=chunk)
    started = time.monotonic()
    graduates = flow.register()
    say(f"{n} graduates registered (before any fault) in {time.monotonic() - started:.0f} s; "
        f"identity's SMS codes: {sms_codes(stack)}")
    restarts_before = {name: state.restarts for name, state in stack.supervised.items()}
    killer = Killer(stack, [name for name, _ in procfile()])

    def between(stage: str) -> None:
        killer(stage)
        if extra is not None:
            extra(stage, flow)
    started = time.monotonic()
    flow.run(graduates, between=between)
    killer.join()
    if extra is not None and hasattr(extra, "join"):
        extra.join()
    drained(stack)
    say(f"flow done in {time.monotonic() - started:.0f} s; killed: {[name for name, _ in killer.killed]}")
    say(f"the driver's retries: {dict(flow.log)}")
    restarted = {name: state.restarts - restarts_before.get(name, 0) for name, state in stack.supervised.items()}
    not_restarted = [name for name, _ in killer.killed if restarted.get(name, 0) < 1]
    assert not not_restarted, f"killed and not restarted by the launcher: {not_restarted}"
    assert len(killer.killed) == len(procfile()), killer.killed
    verify(stack, flow.app_ids, label=f"kill -9 x{len(killer.killed)}, {n} applications", since=flow.since)
    return flow


def sms_codes(stack: Stack) -> str:
    """How many SMS codes identity issued, to how many mobiles (one each unless a request was repeated)."""
    with environ(stack.config.env()):
        row = query("identity", "SELECT count(*) AS codes, count(DISTINCT mobile) AS mobiles FROM sms_codes")[0]
    return f"{row.codes} to {row.mobiles} mobiles"


# -- every stage event three times, in reverse order ---------------------------------------------------
def stage_events(stack: Stack, app_ids: list[str]) -> list[dict]:
    """The stage events about ``app_ids`` as their producers published them (outbox rows), oldest first."""
    wanted, found = set(app_ids), []
    with environ(stack.config.env()):
        for service in services():
            for row in query(service, "SELECT seq, event_type, exchange, routing_key, body, created_at "
                                      "FROM platform_outbox WHERE exchange IN :x ORDER BY seq", x=STAGE_EXCHANGES):
                body = json.loads(row.body)
                data = body.get("data") or {}
                about = {body.get("subject"), data.get("application_id"), *(data.get("application_ids") or [])}
                if about & wanted and contracts.consumers_of(row.event_type):
                    found.append({"at": row.created_at, "seq": row.seq, "exchange": row.exchange,
                                  "routing_key": row.routing_key, "body": body, "raw": row.body})
    return sorted(found, key=lambda e: (e["at"], e["seq"]))


def observed(stack: Stack, flow: Flow, sample: list[str]) -> dict:
    """What redelivered events must not change: timelines of ``sample``, the statistics, and the books."""
    finance = flow.cityrole("city_finance")
    return {"timelines": {a: flow.graduates[a].get(f"/applications/{a}/timeline")["history"] for a in sample},
            "statistics": finance.get("/disbursement-statistics")}


def redeliver_three_times_in_reverse(stack: Stack, flow: Flow, *, sample_size: int = 20) -> None:
    """Every stage event of the flow's applications published again three times, newest first."""
    events = stage_events(stack, flow.app_ids)
    print(f"\n== every stage event of {len(flow.app_ids)} applications delivered three more times in reverse order",
          flush=True)
    sample = flow.app_ids[:sample_size]
    before = observed(stack, flow, sample)
    counts_before = verify(stack, flow.app_ids, label="before the redelivery", since=flow.since)
    published: Counter = Counter()
    copies = [event for _ in range(3) for event in reversed(events)]
    publisher = ConfirmingPublisher(stack.config.amqp_uri, app_id="fault-tier")
    try:
        for start in range(0, len(copies), 500):
            batch = copies[start:start + 500]
            result = publisher.publish_batch([
                Outgoing(key=start + i, exchange=e["exchange"], routing_key=e["routing_key"], body=e["raw"],
                         message_id=e["body"]["id"], type=e["body"]["type"]) for i, e in enumerate(batch)])
            assert len(result.confirmed) == len(batch), f"{len(batch) - len(result.confirmed)} copies not routed"
            published.update(e["body"]["type"] for e in batch)
    finally:
        publisher.close()
    say(f"published {sum(published.values())} copies of {len(events)} events "
        f"({len(published)} types, {len(events) and sum(published.values()) // len(events)} each)")
    drained(stack)
    after = observed(stack, flow, sample)
    counts_after = verify(stack, flow.app_ids, label="after the redelivery", since=flow.since)
    changed = [a for a in sample if before["timelines"][a] != after["timelines"][a]]
    assert not changed, f"timelines changed by redelivered events: {changed}"
    assert after["statistics"] == before["statistics"], (before["statistics"], after["statistics"])
    assert counts_after == counts_before, (counts_before, counts_after)
    say(f"timelines of {len(sample)} applications, the disbursement statistics and every count unchanged")


# -- a poison event ---------------------------------------------------------------------------------
POISON_TABLE, POISON_SERVICE, POISON_EVENT = "cases", "org_confirmation", "application.reported_to_county_org"


def poison_while_good_events_flow(stack: Stack, n: int, *, chunk: int = 50) -> None:
    """One application's hand-off to org_confirmation fails in its handler (a database trigger stands for
    a bug that only its data reaches): dead-lettered after the configured retries while ``n`` good
    applications flow 1 -> 13; after the fix (the trigger dropped) ``platform-dlq replay`` takes it once."""
    print(f"\n== a poison event dead-lettered while {n} good applications flow; replayed after the fix", flush=True)
    city = City(stack.config.gateway_url)
    clock = lambda days: advance_clock(stack.config.clock_file, days)  # noqa: E731
    since = baseline(stack)
    poison = Walk(city)
    for stage in (poison.stage1_submit, poison.stage2_unit_approve, poison.stage3_report, poison.stage4_county_approve):
        stage()
    poison.stage5_publicity(clock)
    poison.stage6_assess()
    queue = contracts.queue_name(POISON_SERVICE, POISON_EVENT)
    dlq = dead_letter_queue(queue)
    vhost = stack.vhost  # type: ignore[attr-defined]
    dead_before = rabbit.queue_depth(vhost, dlq)[0]
    with environ(stack.config.env()):
        _execute(POISON_SERVICE, f"""
            CREATE OR REPLACE FUNCTION fault_poison() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'fault tier: poison application %', NEW.application_id; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER fault_poison BEFORE INSERT ON {POISON_TABLE} FOR EACH ROW
            WHEN (NEW.application_id = '{poison.app_id}') EXECUTE FUNCTION fault_poison();""")
    say(f"trigger on {POISON_SERVICE}.{POISON_TABLE} fails application {poison.app_id}")
    poison.stage7_report_to_org()
    flow = Flow(stack, n, chunk=chunk)
    graduates = flow.register()
    flow.run(graduates)
    deadline = time.monotonic() + 300
    while rabbit.queue_depth(vhost, dlq)[0] == dead_before and time.monotonic() < deadline:
        time.sleep(0.5)
    dead = rabbit.queue_depth(vhost, dlq)[0] - dead_before
    with environ(stack.config.env()):
        handled = len(query(POISON_SERVICE, "SELECT 1 FROM cases WHERE application_id = :a", a=poison.app_id))
    attempts, error = dead_letter_attempts(vhost, dlq)
    delays = topology.retry_delays_ms(stack.config.env())
    say(f"{dead} dead letter(s) in {dlq}, on attempt {attempts} (1 + the {len(delays)} configured retries "
        f"after {','.join(map(str, delays))} ms: {error[:80]}); the poison case in {POISON_SERVICE}: {handled}")
    assert (dead, handled, attempts) == (1, 0, len(delays) + 1), (dead, handled, attempts)
    drained(stack)
    verify(stack, flow.app_ids, label=f"{n} good applications beside the poison", since=since, dead_letters=1)

    with environ(stack.config.env()):
        _execute(POISON_SERVICE, f"DROP TRIGGER fault_poison ON {POISON_TABLE}; DROP FUNCTION fault_poison();")
    replay = subprocess.run([sys.executable, "-m", "shared.messaging.dlq", "replay", queue],
                            env=stack.config.env(), capture_output=True, text=True, timeout=120)
    say(f"after the fix: platform-dlq replay {queue} -> {replay.stdout.strip() or replay.stderr.strip()}")
    assert replay.returncode == 0, replay.stderr
    city.relogin()                       # the flow moved the clock past the tokens' lifetime
    poison.stage8_county_org()          # waits for the case, then takes the application on
    for stage in (poison.stage9_aggregate, poison.stage10_city_org, poison.stage11_release, poison.stage12_pay,
                  poison.stage13_confirm):
        stage()
    drained(stack)
    with environ(stack.config.env()):
        cases = len(query(POISON_SERVICE, "SELECT 1 FROM cases WHERE application_id = :a", a=poison.app_id))
    assert cases == 1 and rabbit.queue_depth(vhost, dlq)[0] == dead_before
    verify(stack, [*flow.app_ids, poison.app_id], label="after the replay (good applications and the poison one)",
           since=since)


def dead_letter_attempts(vhost: str, dlq: str) -> tuple[int, str]:
    """The newest dead letter's attempt count and error (read, then put back in the queue)."""
    conn = rabbit.connection(vhost)
    try:
        channel = conn.channel()
        seen = []
        while (message := channel.basic_get(dlq)) is not None:
            seen.append(message)
        for message in seen:
            channel.basic_reject(message.delivery_tag, requeue=True)
        headers = (seen[-1].headers or {}) if seen else {}
        return int(headers.get(ATTEMPT_HEADER, 0)), str(headers.get(ERROR_HEADER, ""))
    finally:
        conn.close()


def _execute(service: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    from shared.db.engine import database_url
    engine = create_engine(database_url(service))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


# -- the broker away ----------------------------------------------------------------------------------
def caller_sees_503_or_an_answer(stack: Stack, caller) -> tuple[int, str]:
    """One gateway call while the broker is away: a 503 with a broker code, or (reconnected already) an
    answer; never a hang past the gateway's RPC timeout (the HTTP client gives up 10 s after it)."""
    timeout = float(stack.config.env().get("GATEWAY_RPC_TIMEOUT", "30")) + 10
    client = caller.client
    response = client.http.get(f"{client.base}/api/v1/disbursement-statistics", timeout=timeout,
                               headers={"Authorization": f"Bearer {client.token}"})
    code = response.json().get("error", {}).get("code", "") if response.status_code != 200 else ""
    assert response.status_code == 200 or (response.status_code == 503 and code in BROKER_AWAY_CODES), (
        response.status_code, response.text[:300])
    return response.status_code, code


def cut_broker(stack: Stack, flow: Flow, seconds: float = 5.0) -> None:
    """Every process's broker connection cut through its proxy for ``seconds``, with a call meanwhile."""
    proxies = stack.proxies  # type: ignore[attr-defined]
    caller = flow.cityrole("city_finance")
    caller.login()                                   # a fresh token before the cut (the clock may have jumped)
    closed = sum(proxy.cut() for proxy in proxies.broker.values())
    started = time.monotonic()
    try:
        answer = caller_sees_503_or_an_answer(stack, caller)
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    finally:
        for proxy in proxies.broker.values():
            proxy.restore()
    say(f"broker cut for {seconds:g} s ({closed} connections closed); a caller meanwhile got {answer}")
    assert closed >= len(proxies.broker), "some process held no broker connection through its proxy"


def restart_broker(stack: Stack, flow: Flow) -> None:
    """The machine's RabbitMQ application stopped and started again (`make fault` only, FAULT_BROKER_RESTART=1):
    every connection of every process goes away at once; it is left running."""
    ctl = os.environ.get("RABBITMQCTL", "rabbitmqctl")
    caller = flow.cityrole("city_finance")
    caller.login()
    subprocess.run([ctl, "stop_app"], check=True, capture_output=True, timeout=120)
    try:
        answer = caller_sees_503_or_an_answer(stack, caller)
        time.sleep(3)
    finally:
        subprocess.run([ctl, "start_app"], check=True, capture_output=True, timeout=180)
        subprocess.run([ctl, "await_startup"], capture_output=True, timeout=180)
    say(f"RabbitMQ restarted (rabbitmqctl stop_app / start_app); a caller meanwhile got {answer}")


#: a read of each service whose database a case cuts: (county or "city", role), path
PROBES = {"subsidy_review": (("440703", "county"), "/applications"),
          "org_confirmation": (("440703", "county_org"), "/org-reviews"),
          "finance_disbursement": (("city", "city_finance"), "/disbursement-batches")}


def cut_database(stack: Stack, flow: Flow, service: str = "subsidy_review", seconds: float = 5.0) -> None:
    """``service``'s database cut for ``seconds``: its calls answer 503 ``service.db_unavailable``; it is
    not restarted; what it was doing is taken up after."""
    proxy = stack.proxies.db[service]  # type: ignore[attr-defined]
    restarts = stack.supervised[service].restarts
    who, path = PROBES[service]
    actor = flow.cityrole(who[1]) if who[0] == "city" else flow.officer(who[0], who[1])
    actor.login()                                    # a fresh token before the cut (identity keeps its database)
    closed = proxy.cut()
    try:
        client = actor.client
        response = client.http.get(f"{client.base}/api/v1{path}", params={"page_size": 1}, timeout=60,
                                   headers={"Authorization": f"Bearer {client.token}"})
        body = response.json()
        time.sleep(seconds)
    finally:
        proxy.restore()
    say(f"{service}'s database cut for {seconds:g} s ({closed} connections closed): a call answered "
        f"{response.status_code} {body.get('error', {}).get('code')}")
    assert closed >= 1
    assert response.status_code == 503 and body["error"]["code"] == "service.db_unavailable", body
    assert body["error"].get("message"), body
    assert stack.supervised[service].restarts == restarts, "the service was restarted"


def jump_clock(stack: Stack, flow: Flow, days: float = 30) -> None:
    """Every process's clock moved ``days`` on mid-flow (the flow's actors log in again after their 401),
    with every deadline rule set up just before and checked after (:mod:`tests.fault.deadlines`). The
    flow must not move the clock itself meanwhile (its publicity stage does)."""
    probes = Deadlines(stack).before()
    total = advance_clock(stack.config.clock_file, days)
    say(f"clock moved {days:g} days on (now system time + {total:g} days)")
    checked = probes.after()
    say(f"{len(checked)} deadline checks passed after the jump")


def faults_at(plan: dict[str, object], stack: Stack):
    """``extra(stage, flow)`` starting ``plan[stage](stack, flow)`` after that stage, in a thread of its own
    so the next stage runs while the fault lasts; ``extra.join()`` waits for them and re-raises."""
    threads: list[threading.Thread] = []
    failures: list[BaseException] = []

    def run(action, flow: Flow) -> None:
        try:
            action(stack, flow)
        except BaseException as exc:  # noqa: BLE001 - re-raised in join()
            failures.append(exc)

    def extra(stage: str, flow: Flow) -> None:
        action = plan.get(stage)
        if action is not None:
            for earlier in threads:       # one fault at a time
                earlier.join()
            thread = threading.Thread(target=run, args=(action, flow), name=f"fault-{stage}")
            thread.start()
            threads.append(thread)

    def join() -> None:
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]
    extra.join = join  # type: ignore[attr-defined]
    return extra


def fault_flow(stack: Stack, n: int, plan: dict[str, object], *, label: str, chunk: int = 50) -> Flow:
    """``n`` applications 1 -> 13 with ``plan``'s faults after the named stages; then the books."""
    print(f"\n== {label}: {n} applications through 13 stages", flush=True)
    flow = Flow(stack, n, chunk=chunk)
    graduates = flow.register()
    started = time.monotonic()
    extra = faults_at(plan, stack)
    flow.run(graduates, between=lambda stage: extra(stage, flow))
    extra.join()  # type: ignore[attr-defined]
    drained(stack)
    say(f"flow done in {time.monotonic() - started:.0f} s; the driver's retries: {dict(flow.log)}")
    verify(stack, flow.app_ids, label=label, since=flow.since)
    return flow

