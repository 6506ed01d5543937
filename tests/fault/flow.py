"""Applications through all 13 stages while faults happen (issue 14), and the books checked afterwards.

The driver works as a clerk does when the system hiccups: every command carries an ``Idempotency-Key``
that it keeps across its retries, and a command that got no answer (connection refused or dropped, 502,
503, 504) is sent again with the same key, so one that did commit answers its first result and is never
done twice. 404/409 are retried too while another service's copy is on its way (as ``walk.eventually``).
A 429 is waited out for its ``retry_after`` (when that ends before the command's deadline) and sent again.
After a clock jump the actors log in again (401).

``verify`` reads every service's database directly and counts: applications, their statuses, payments,
county transfers (released = paid per batch and county), outbox rows and inbox rows per consumer.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from sqlalchemy import create_engine, text

from deploy.stack import Stack, advance_clock, services
from shared import contracts, regions
from shared.db.engine import database_url
from shared.testing import rabbit
from tests.e2e.walk import ApiError, City, Client, retry_after

TRANSIENT = (502, 503, 504)
FINAL = "receipt_confirmed"
COUNTIES = ("440703", "440704")


def persist(action, *, timeout: float = 300.0, retry_on: tuple[int, ...] = (404, 409), relogin=None,
            log: Counter | None = None):
    """``action()`` until it answers: transient failures and the codes ``retry_on`` are tried again."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return action()
        except ApiError as exc:
            wait = retry_after(exc)
            if exc.status == 401 and relogin is not None:
                _quietly(relogin)
            elif wait is not None and time.monotonic() + wait <= deadline:
                time.sleep(wait)
            elif exc.status not in TRANSIENT + retry_on or time.monotonic() > deadline:
                raise
            if log is not None:
                log[f"retried after {exc.status} {exc.error.get('code', '')}".strip()] += 1
        except requests.RequestException as exc:
            if time.monotonic() > deadline:
                raise
            if log is not None:
                log[f"retried after {type(exc).__name__}"] += 1
        time.sleep(0.3)


def _quietly(action) -> None:
    try:
        action()
    except (ApiError, requests.RequestException):
        pass


class Steady:
    """An actor whose commands survive faults: each command keeps one Idempotency-Key across its retries."""

    def __init__(self, base: str, username: str, log: Counter) -> None:
        self.log = log
        self.client: Client = persist(lambda: Client(base, username), log=log)

    def post(self, path: str, json: dict | None = None, *, expect=(200, 201, 202), timeout: float = 300.0,
             retry_on=(404, 409)):
        key = {"Idempotency-Key": f"fault-{uuid.uuid4().hex}"}
        return persist(lambda: self.client.post(path, json, headers=key, expect=expect), timeout=timeout,
                       retry_on=retry_on, relogin=self.client.login, log=self.log)

    def get(self, path: str, **kw):
        return persist(lambda: self.client.get(path, **kw), relogin=self.client.login, log=self.log)

    def login(self) -> None:
        persist(self.client.login, log=self.log)


@dataclass
class Flow:
    """``n`` applications of both demo counties through the 13 stages, ``chunk`` at a time per batch.
    Another seeded area: ``counties`` and ``people`` (a :class:`City` naming its officers and units)."""

    stack: Stack
    n: int
    chunk: int = 50
    workers: int = 8
    counties: tuple[str, ...] = COUNTIES
    people: City | None = None
    on_step: Callable[[str], None] | None = None   # told each step's name as it ends (timing)
    log: Counter = field(default_factory=Counter)
    app_ids: list[str] = field(default_factory=list)
    stages_done: list[str] = field(default_factory=list)
    since: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.since = baseline(self.stack)
        self.base = self.stack.config.gateway_url
        self.city: City = self.people or City(self.base)
        self.city.log = self.log          # the waits a refusal asked for, counted with the flow's retries
        self._actors: dict[str, Steady] = {}
        self._lock = threading.Lock()
        self.graduates: dict[str, Steady] = {}        # application id -> its graduate
        self.county_of: dict[str, str] = {}

    # -- actors -----------------------------------------------------------------------------------
    def actor(self, username: str) -> Steady:
        with self._lock:
            if username not in self._actors:
                self._actors[username] = Steady(self.base, username, self.log)
            return self._actors[username]

    def officer(self, county: str, role: str) -> Steady:
        return self.actor(self.city.officers[county][role])

    def cityrole(self, role: str, city: str | None = None) -> Steady:
        """The officer of ``role`` of ``city`` (the only city when None)."""
        return self.actor(self.city.city_officers[city or next(iter(self.city.city_officers))][role])

    def relogin(self, *, graduates: bool = False, pool: ThreadPoolExecutor | None = None) -> None:
        """The offices' actors log in again (after the flow moved the clock), one after the other or on
        ``pool``; the graduates too when ``graduates`` (by default each logs in again when it next acts, on
        its 401 in :func:`persist`, in the pool: logging 1,000 in here one after another took 9 minutes)."""
        actors = list(self._actors.values()) + (list(self.graduates.values()) if graduates else [])
        list((pool.map if pool else map)(lambda actor: actor.login(), actors))

    # -- setup (before any fault): graduates registered and known to subsidy_review ---------------
    def register(self, mobile=None) -> list[tuple[Client, str]]:
        """``n`` graduates, each county in turn, as (client, county); ``mobile(i)``: the i-th graduate's
        mobile, unused so far (a new one of this run when None). The units' clerks who approve them log
        in again when their token has expired (1,000 registrations outlast its 30 minutes)."""
        def clerks_login() -> None:
            for county in self.counties:
                self.city.officer(county, "unit").login()

        def one(i: int) -> tuple[Client, str]:
            county = self.counties[i % len(self.counties)]
            number = mobile(i) if mobile else None
            return persist(lambda: self.city.new_graduate(county, mobile=number), retry_on=(),
                           relogin=clerks_login, log=self.log), county
        with ThreadPoolExecutor(self.workers) as pool:
            return list(pool.map(one, range(self.n)))

    # -- the 13 stages ----------------------------------------------------------------------------
    def run(self, graduates: list[tuple[Client, str]], *, between=None, relogin_graduates: bool = False) -> None:
        """Every application through all stages; ``between(stage)`` runs after each stage (a fault). After
        the clock jump the offices' actors log in again, the graduates too when ``relogin_graduates`` (by
        default each logs in again when it comes back for stage 13, its old token refused)."""
        between = between or (lambda stage: None)
        pool = ThreadPoolExecutor(self.workers)
        walks = []
        for graduate, county in graduates:
            steady = Steady.__new__(Steady)
            steady.log, steady.client = self.log, graduate
            walks.append((steady, county))

        def submit(pair):
            steady, county = pair
            app = steady.post("/applications", {"degree": "bachelor", "months": 12, "start_date": "2026-07-01"},
                              expect=201, retry_on=(404,))
            with self._lock:
                self.graduates[app["id"]] = steady
                self.county_of[app["id"]] = county
            return app["id"]
        self.app_ids = list(pool.map(submit, walks))
        self._done("1 submit", between)
        list(pool.map(lambda a: self.officer(self.county_of[a], "unit").post(
            f"/applications/{a}/approve", {"opinion": "情况属实"}), self.app_ids))
        self._done("2 unit approve", between)
        self._per_county_chunk(pool, lambda county, ids: self.officer(county, "unit").post(
            "/applications/report", {"application_ids": ids}))
        self._done("3 report", between)
        list(pool.map(lambda a: self.officer(self.county_of[a], "county").post(
            f"/applications/{a}/approve", {"opinion": "审核通过"}), self.app_ids))
        self._done("4 county approve", between)
        batches = self._per_county_chunk(pool, lambda county, ids: self.officer(county, "county").post(
            "/publicity-batches", {"application_ids": ids}, expect=(200, 201)))
        self._step("5 publicity start")
        advance_clock(self.stack.config.clock_file, 15)       # past the publicity period
        self.relogin(graduates=relogin_graduates, pool=pool)
        self._step("(log in again after the clock)")
        list(pool.map(lambda cb: self._end_publicity(cb[0][0], cb[1]["id"]), batches))
        self._done("5 publicity", between)
        self._per_county_chunk(pool, lambda county, ids: self.officer(county, "county").post(
            "/assessments/pass", {"application_ids": ids}))
        self._done("6 assessment", between)
        self._per_county_chunk(pool, lambda county, ids: self.officer(county, "county").post(
            "/assessments/report", {"application_ids": ids}))
        self._done("7 report to county org", between)
        self._per_county_chunk(pool, lambda county, ids: self.officer(county, "county_org").post(
            "/org-reviews/confirm", {"application_ids": ids}))
        self._done("8 county org confirm", between)
        by_city: dict[str, list[str]] = {}
        for a in self.app_ids:
            by_city.setdefault(regions.city_of(self.county_of[a]) or "", []).append(a)
        chunks = [(city, ids[i:i + self.chunk]) for city, ids in by_city.items()
                  for i in range(0, len(ids), self.chunk)]
        city_batches = list(pool.map(lambda c: self.cityrole("city_hrss", c[0]).post(
            "/city-batches", {"application_ids": c[1]}, expect=(200, 201)), chunks))
        self._done("9 city aggregate", between)
        list(pool.map(lambda bc: self.cityrole("city_org", bc[1][0]).post(f"/city-batches/{bc[0]['id']}/confirm",
                                                                           {}), zip(city_batches, chunks, strict=True)))
        self._done("10 city org confirm", between)
        releases = [(b["id"], county, city) for b, (city, ids) in zip(city_batches, chunks, strict=True)
                    for county in sorted({self.county_of[a] for a in ids})]
        list(pool.map(lambda bc: self.cityrole("city_finance", bc[2]).post(
            f"/disbursement-batches/{bc[0]}/release", {"county": bc[1]}), releases))
        self._done("11 release", between)
        list(pool.map(lambda bc: self._pay(bc[0], bc[1]), releases))
        self._done("12 pay", between)
        list(pool.map(self._confirm_receipt, self.app_ids))
        self._done("13 confirm receipt", between)
        pool.shutdown()

    def _done(self, stage: str, between) -> None:
        self.stages_done.append(stage)
        self._step(stage)
        between(stage)

    def _step(self, name: str) -> None:
        if self.on_step is not None:
            self.on_step(name)

    def _per_county_chunk(self, pool, command) -> list:
        groups = []
        for county in self.counties:
            mine = [a for a in self.app_ids if self.county_of[a] == county]
            groups += [(county, mine[i:i + self.chunk]) for i in range(0, len(mine), self.chunk)]
        return list(zip(groups, pool.map(lambda g: command(*g), groups), strict=True))

    def _end_publicity(self, county: str, batch_id: str) -> None:
        county_clerk = self.officer(county, "county")
        try:
            county_clerk.post(f"/publicity-batches/{batch_id}/end", retry_on=(404,))
        except ApiError as exc:        # the timer ended it first
            if exc.error.get("code") != "publicity_batch.illegal_transition":
                raise
        assert county_clerk.get(f"/publicity-batches/{batch_id}")["status"] == "ended"

    def _pay(self, batch_id: str, county: str) -> None:
        """到账确认 of the county's transfer (when still only released), then 支付到个人."""
        finance = self.officer(county, "county_finance")

        def transfer():
            page = finance.get("/county-transfers", params={"page_size": 200})
            found = [t for t in page["items"] if t.get("batch_id") == batch_id and t.get("county") == county]
            if not found:
                raise ApiError(_fake(404))
            return found[0]
        found = persist(transfer, log=self.log)
        if found["status"] == "released":
            finance.post(f"/county-transfers/{found['id']}/confirm-arrival")
        finance.post(f"/county-transfers/{found['id']}/pay")

    def _confirm_receipt(self, app_id: str) -> None:
        graduate = self.graduates[app_id]

        def payment():
            body = graduate.get("/payments")
            items = body["items"] if isinstance(body, dict) else body
            found = [p for p in items if p.get("application_id") == app_id]
            if not found:
                raise ApiError(_fake(404))
            return found[0]
        paid = persist(payment, log=self.log)
        graduate.post(f"/payments/{paid['id']}/confirm-receipt")


def _fake(status: int) -> requests.Response:
    """A response standing for "not there yet" (what the driver polls for is read from a list)."""
    response = requests.Response()
    response.status_code = status
    response._content = b'{"error": {"code": "fault.not_yet"}}'
    response.request = requests.Request("GET", "http://fault/").prepare()
    response.url = "http://fault/"
    return response


# -- the books ----------------------------------------------------------------------------------------
def query(service: str, sql: str, **params) -> list:
    engine = create_engine(database_url(service))
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def baseline(stack: Stack) -> dict:
    """Where the books stood before a case: each service's last outbox row and each dead-letter queue's
    depth (the e2e stack has served other tests before)."""
    from deploy.stack import environ
    with environ(stack.config.env()):
        seqs = {s: query(s, "SELECT coalesce(max(seq), 0) AS m FROM platform_outbox")[0].m for s in services()}
    return {"seq": seqs, "dead": _queue_depths(stack, ".dlq")}


def verify(stack: Stack, app_ids: list[str], *, label: str, since: dict, dead_letters: int = 0) -> dict:
    """Count everything since ``since`` (:func:`baseline`) and return the counts; raises AssertionError
    (after printing) on any difference. ``dead_letters``: how many new dead letters the case meant."""
    from deploy.stack import environ
    problems: list[str] = []
    with environ(stack.config.env()):
        ids = tuple(app_ids)
        statuses = Counter(r.status for r in query(
            "subsidy_review", "SELECT status FROM applications WHERE id IN :ids", ids=ids)
            ) if ids else Counter()
        per_applicant = query("subsidy_review", "SELECT individual_id FROM applications WHERE individual_id IN "
                              "(SELECT individual_id FROM applications WHERE id IN :ids) "
                              "GROUP BY individual_id HAVING count(*) > 1", ids=ids) if ids else []
        payments = query("finance_disbursement", "SELECT application_id, count(*) AS n, sum(amount_fen) AS fen "
                         "FROM payments GROUP BY application_id")
        paid_twice = [r.application_id for r in payments if r.n > 1]
        transfers = query("finance_disbursement", """
            SELECT t.batch_id, t.county, t.count, t.amount_fen, t.status,
                   (SELECT count(*) FROM payments p WHERE p.transfer_id = t.id) AS paid_count,
                   (SELECT coalesce(sum(p.amount_fen), 0) FROM payments p WHERE p.transfer_id = t.id) AS paid_fen
            FROM county_transfers t""")
        expected_fen = sum(r.amount_fen for r in query(
            "subsidy_review", "SELECT amount_fen FROM applications WHERE id IN :ids", ids=ids)) if ids else 0
        mine_paid_fen = sum(r.fen for r in payments if r.application_id in set(app_ids))
        unbalanced = [(r.batch_id, r.county, r.amount_fen, r.paid_fen) for r in transfers
                      if r.count != r.paid_count or r.amount_fen != r.paid_fen]
        unsent, outbox_types = {}, Counter()
        produced: dict[str, set[str]] = {}
        for service in services():
            for row in query(service, "SELECT event_type, event_id, sent_at FROM platform_outbox "
                                      "WHERE exchange NOT LIKE 'platform.%' AND seq > :s", s=since["seq"][service]):
                if row.sent_at is None:
                    unsent[service] = unsent.get(service, 0) + 1
                produced.setdefault(row.event_type, set()).add(row.event_id)
                outbox_types[row.event_type] += 1
        inbox_missing: Counter = Counter()
        handled = 0
        for service in services():
            seen: dict[str, set[str]] = {}
            for row in query(service, "SELECT event_id, event_type FROM platform_inbox"):
                seen.setdefault(row.event_type, set()).add(row.event_id)
            for event_type, events in produced.items():
                if service not in contracts.consumers_of(event_type):
                    continue
                taken = events & seen.get(event_type, set())
                handled += len(taken)
                if len(taken) != len(events):
                    inbox_missing[f"{event_type} -> {service}"] = len(events) - len(taken)
        dead = {q: d - since["dead"].get(q, 0) for q, d in _queue_depths(stack, ".dlq").items()
                if d != since["dead"].get(q, 0)}
        waiting = {q: d for q, d in _queue_depths(stack, "").items() if d and _work_queue(q)}
    counts = {"applications": len(app_ids), "statuses": dict(statuses), "payments": sum(r.n for r in payments),
              "applications paid": len(payments), "paid fen (these applications)": mine_paid_fen,
              "expected fen": expected_fen, "county transfers": len(transfers),
              "released fen": sum(r.amount_fen for r in transfers), "paid fen": sum(r.paid_fen for r in transfers),
              "events produced": sum(outbox_types.values()), "(event, consumer) hand-offs taken": handled,
              "new dead letters": sum(dead.values())}
    if statuses.get(FINAL, 0) != len(app_ids):
        problems.append(f"not every application completed: {dict(statuses)}")
    if per_applicant:
        problems.append(f"applicants with two applications: {len(per_applicant)}")
    if paid_twice:
        problems.append(f"applications paid twice: {paid_twice[:5]}")
    if mine_paid_fen != expected_fen:
        problems.append(f"paid {mine_paid_fen} fen for these applications, approved {expected_fen} fen")
    if unbalanced:
        problems.append(f"batch/county released != paid: {unbalanced[:5]}")
    if unsent:
        problems.append(f"outbox rows never sent: {unsent}")
    if sum(inbox_missing.values()) != dead_letters:   # a dead letter waits in its DLQ: not lost
        problems.append(f"events lost (produced, not in the consumer's inbox, not dead-lettered): "
                        f"{dict(inbox_missing)}")
    if sum(dead.values()) != dead_letters:
        problems.append(f"dead letters: {dead}")
    if waiting:
        problems.append(f"events still queued: {waiting}")
    print(f"\n== {label}: counted")
    for key, value in counts.items():
        print(f"   {key:<32} {value}")
    for problem in problems:
        print(f"   DIFFERENCE: {problem}")
    assert not problems, problems
    return counts


def _work_queue(name: str) -> bool:
    """A platform service's own event queue (``<service>.<event type>``): not its dead letters or retry
    queues, not an RPC queue, and not an integrator's queue, which another test of the same stack may have
    bound to ``platform.events`` and left unread (seen: ``integrator.acme.events`` in the e2e tier)."""
    return (name.split(".", 1)[0] in services() and not name.endswith(".dlq") and ".retry." not in name
            and not name.startswith(("rpc-", "rpc.")))


def _queue_depths(stack: Stack, suffix: str) -> dict[str, int]:
    """Ready messages of every queue whose name ends with ``suffix`` (asked over AMQP: the management API's
    counts lag by its statistics interval)."""
    vhost = stack.vhost  # type: ignore[attr-defined]
    return {name: rabbit.queue_depth(vhost, name)[0] for name in rabbit.queue_types(vhost)
            if name.endswith(suffix) and not name.startswith("amq.")}


def drained(stack: Stack, timeout: float = 180) -> None:
    """Until no consumer queue holds a message and every outbox is sent (the flow's tail has settled), or
    nothing has moved for ``timeout`` seconds: while the queues shrink it waits on (36,000 redelivered copies
    of 1,000 applications' events still held 25,197 deliveries 180 s after they were published, on a busy
    2-core machine); ``verify`` then names what is left."""
    from deploy.stack import environ
    deadline, least = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        queued = sum(d for q, d in _queue_depths(stack, "").items() if d and _work_queue(q))
        with environ(stack.config.env()):
            unsent = sum(query(s, "SELECT count(*) AS n FROM platform_outbox WHERE sent_at IS NULL")[0].n
                         for s in services())
        if not queued and not unsent:
            return
        if least is None or queued + unsent < least:
            least, deadline = queued + unsent, time.monotonic() + timeout
        time.sleep(1)
