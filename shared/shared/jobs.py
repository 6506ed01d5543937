"""The job runner for long batch work (bulk approvals, imports, exports).

- A command submits a job with :func:`submit` inside its own transaction and returns the job at once
  (HTTP 202 with its id). Submitting the same unfinished job again (same account, kind and items, or
  the same idempotency key) returns the existing job instead of a second one.
- Items run in chunks (``@job(kind, batch=N)``, 1 by default) as nameko workers of the service's
  ``@job(kind)`` method, one transaction per chunk and a savepoint per item: the items' effects, their
  outcome rows and the job's counters commit together, so after a ``kill -9`` the restarted service
  carries on with the items still pending (the interrupted chunk rolled back whole) and no item takes
  effect twice.
- A :class:`PlatformError` fails the item (its effect rolled back via a savepoint) with a Chinese
  message in its outcome; the other items go on. Progress: ``succeeded + failed`` of ``total``.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import eventlet
from nameko.extensions import Entrypoint, ProviderCollector, SharedExtension
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shared import logs
from shared.auth.principal import Principal
from shared.db.engine import affected_rows, database_url, make_engine
from shared.db.tables import job_items, jobs
from shared.errors import InvalidInput, NotFound, PlatformError

if TYPE_CHECKING:  # shared.service imports this module
    from shared.service import PlatformApi, Tx

log = logging.getLogger(__name__)

MAX_ITEMS = 20_000


def _dedupe_key(kind: str, items: list[dict[str, Any]], key: str | None) -> str:
    if key:
        return f"key:{key}"[:100]
    digest = hashlib.sha256(json.dumps([kind, items], sort_keys=True, ensure_ascii=False).encode())
    return "sha256:" + digest.hexdigest()


def submit(tx: Tx, kind: str, items: list[dict[str, Any]], *, params: dict[str, Any] | None = None,
           region: str | None = None, key: str | None = None) -> dict[str, Any]:
    """Create a job in the caller's transaction (or find the same unfinished one); returns it."""
    if not items:
        raise InvalidInput("请至少选择一条记录", code="job.no_items")
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"一次最多处理{MAX_ITEMS}条记录", code="job.too_many_items")
    dedupe = _dedupe_key(kind, items, key)
    account = tx.principal.account_id
    existing = tx.session.execute(select(jobs.c.id).where(
        jobs.c.account_id == account, jobs.c.kind == kind, jobs.c.dedupe_key == dedupe)).scalar()
    if existing:
        return get(tx.session, existing)
    job_id = str(uuid.uuid4())
    inserted = affected_rows(tx.session.execute(pg_insert(jobs).values(
        id=job_id, kind=kind, account_id=account, dedupe_key=dedupe, status="queued", total=len(items),
        params=params, principal=tx.principal.to_dict(), region=region,
        created_at=tx.now, updated_at=tx.now).on_conflict_do_nothing()))
    if not inserted:  # a concurrent twin won the race
        return get(tx.session, tx.session.execute(select(jobs.c.id).where(
            jobs.c.account_id == account, jobs.c.kind == kind, jobs.c.dedupe_key == dedupe)).scalar_one())
    tx.session.execute(insert(job_items), [
        {"job_id": job_id, "seq": i, "payload": item, "status": "pending"} for i, item in enumerate(items)])
    tx.job_submitted = True
    return get(tx.session, job_id)


def get(session: Session, job_id: str, *, account_id: str | None = None, with_items: bool = False,
        page: int = 1, page_size: int = 50) -> dict[str, Any]:
    """A job with its progress (and a page of per-item outcomes); NotFound for another's job."""
    row = session.execute(select(jobs).where(jobs.c.id == job_id)).mappings().first()
    if row is None or (account_id is not None and row["account_id"] != account_id):
        raise NotFound("任务不存在", code="job.not_found")
    done = row["succeeded"] + row["failed"]
    result = {
        "id": row["id"], "kind": row["kind"], "status": row["status"], "total": row["total"],
        "succeeded": row["succeeded"], "failed": row["failed"], "done": done,
        "progress": round(done / row["total"], 4) if row["total"] else 1.0,
        "created_at": row["created_at"].isoformat() if row["created_at"] else None,
        "finished_at": row["finished_at"].isoformat() if row["finished_at"] else None,
    }
    if with_items:
        page_size = max(1, min(int(page_size), 200))
        items = session.execute(select(job_items).where(job_items.c.job_id == job_id).order_by(job_items.c.seq)
                                .offset((max(1, int(page)) - 1) * page_size).limit(page_size)).mappings()
        result["items"] = [{"seq": i["seq"], "payload": i["payload"], "status": i["status"],
                            "outcome": i["outcome"]} for i in items]
        result["page"], result["page_size"] = page, page_size
    return result


class JobRepository:
    """The job table as a service's use cases read it (``tx.repository(JobRepository)``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, job_id: str, *, account_id: str | None = None, with_items: bool = False,
            page_size: int = 50) -> dict[str, Any]:
        """The job with its progress (and a page of its items); 404 when ``account_id`` is not its owner."""
        return get(self.session, job_id, account_id=account_id, with_items=with_items, page_size=page_size)


class JobRunner(SharedExtension, ProviderCollector):
    """Finds jobs with pending items and runs them, one item per worker, until none are left."""

    def setup(self) -> None:
        config = self.container.config
        url = config.get("DATABASE_URL") or database_url(self.container.service_name)
        self.engine = make_engine(url, pool_size=2, application_name=f"{self.container.service_name}-jobs")
        self.poll_seconds = float(config.get("JOB_POLL_SECONDS", 1.0))
        self.wakeup = threading.Event()
        self._stopped = threading.Event()

    def start(self) -> None:
        self.container.spawn_managed_thread(self._loop, identifier="job-runner")

    def stop(self) -> None:
        self._stopped.set()
        self.wakeup.set()
        self.engine.dispose()

    def kill(self) -> None:
        self._stopped.set()
        self.wakeup.set()

    def _open_jobs(self) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            return [(r.id, r.kind) for r in conn.execute(
                select(jobs.c.id, jobs.c.kind).where(jobs.c.status != "done").order_by(jobs.c.created_at))]

    def _loop(self) -> None:
        while not self._stopped.is_set():
            try:
                for job_id, kind in self._open_jobs():
                    provider = next((p for p in self._providers if p.kind == kind), None)
                    if provider is None:
                        continue  # another service (or a newer version) owns this kind
                    while not self._stopped.is_set() and provider.run_step(job_id):
                        pass
            except Exception:  # noqa: BLE001 - database down: try again at the next poll
                log.warning("job runner loop failed", exc_info=True)
            self.wakeup.wait(self.poll_seconds)
            self.wakeup.clear()


class JobEntrypoint(Entrypoint):
    """``@job("applications.bulk_approve")``: the method that processes one item of that kind."""

    runner = JobRunner()

    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(**kwargs)

    def setup(self) -> None:
        self.runner.register_provider(self)

    def stop(self) -> None:
        self.runner.unregister_provider(self)

    def run_step(self, job_id: str) -> bool:
        """Process the next pending item of ``job_id`` in a worker; False when none is left."""
        done = eventlet.event.Event()

        def handle_result(worker_ctx: Any, result: Any, exc_info: Any) -> tuple[Any, Any]:
            done.send((result, exc_info))
            return result, exc_info

        self.container.spawn_worker(self, (job_id,), {}, context_data={}, handle_result=handle_result)
        result, exc_info = done.wait()
        if exc_info is not None:
            raise exc_info[1]
        return bool(result)


def job(kind: str, *, batch: int = 1, chunk: Callable[..., list[Any]] | None = None) -> Callable[..., Any]:
    """Decorate ``method(self, tx, payload) -> dict | None``: process one item of a ``kind`` job.
    ``batch``: how many items one transaction takes (small items, e.g. one application each: 500; items
    that are chunks of work themselves stay at 1). ``chunk(self, tx, payloads) -> [dict | PlatformError]``
    (optional): the same work for a whole batch in a few set-based statements, one outcome per payload in
    order; when it raises, the batch is rolled back and done again item by item with the method."""
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(self: Any, job_id: str) -> bool:
            return _run_item(self.platform, kind, fn, self, job_id, batch, chunk)
        return cast(Callable[..., Any], JobEntrypoint.decorator(kind)(wrapper))
    return decorate


def _failure(exc: PlatformError) -> dict[str, Any]:
    return {"code": exc.code, "message": exc.message}


def _run_chunk(session: Session, tx: Tx, chunk: Callable[..., list[Any]], service: Any,
               items: list[Any]) -> list[tuple[str, dict[str, Any]]] | None:
    """``chunk`` over every item in one savepoint: (status, outcome) per item, or None when it raised
    (rolled back; the caller then goes item by item)."""
    savepoint = session.begin_nested()
    try:
        answers = chunk(service, tx, [item["payload"] for item in items])
        if len(answers) != len(items):
            raise RuntimeError(f"chunk answered {len(answers)} outcomes for {len(items)} items")
        savepoint.commit()
    except Exception:  # noqa: BLE001 - item by item instead, each failure then recorded on its own item
        log.warning("job chunk of %d items failed; item by item instead", len(items), exc_info=True)
        savepoint.rollback()
        tx.emitted.clear()
        return None
    return [("failed", _failure(a)) if isinstance(a, PlatformError) else ("ok", a or {}) for a in answers]


def _run_item(api: PlatformApi, kind: str, fn: Callable[..., Any], service: Any, job_id: str, batch: int,
              chunk: Callable[..., list[Any]] | None = None) -> bool:
    """Process the next pending items of ``job_id`` (at most ``batch``) in one transaction: the chunk
    function over all of them, or each item in its own savepoint; then every item's outcome row and the
    job's counters, committed with the items' effects. After a ``kill -9`` the whole chunk is rolled back
    and done again: no item takes effect twice, none is lost. False when none is left."""
    provider = api.provider
    txs: list[Tx] = []
    with Session(provider.engine, expire_on_commit=False) as session:
        with session.begin():
            items = list(session.execute(select(job_items).where(
                job_items.c.job_id == job_id, job_items.c.status == "pending").order_by(job_items.c.seq)
                .limit(batch).with_for_update(skip_locked=True)).mappings())
            job_row = session.execute(select(jobs).where(jobs.c.id == job_id)).mappings().one()
            if not items:
                remaining = session.execute(select(func.count()).select_from(job_items).where(
                    job_items.c.job_id == job_id, job_items.c.status == "pending")).scalar()
                if remaining == 0:
                    session.execute(update(jobs).where(jobs.c.id == job_id, jobs.c.status != "done")
                                    .values(status="done", finished_at=provider.clock.now(),
                                            updated_at=provider.clock.now()))
                return False
            principal = Principal(**job_row["principal"])
            logs.bind(f"job:{job_id}")
            results: list[tuple[str, dict[str, Any]]] | None = None
            if chunk is not None and len(items) > 1:
                tx = provider.new_tx(session, principal, correlation_id=f"job:{job_id}")
                results = _run_chunk(session, tx, chunk, service, items)
                if results is not None:
                    txs.append(tx)
            if results is None:
                results = []
                for item in items:
                    tx = provider.new_tx(session, principal, correlation_id=f"job:{job_id}")
                    results.append(_run_one(session, tx, fn, service, job_id, item))
                    txs.append(tx)
            now = provider.clock.now()
            _record_outcomes(session, job_id, [(item["seq"], status, outcome)
                                               for item, (status, outcome) in zip(items, results, strict=True)], now)
            failed = sum(1 for status, _ in results if status == "failed")
            session.execute(update(jobs).where(jobs.c.id == job_id).values(
                succeeded=jobs.c.succeeded + len(results) - failed, failed=jobs.c.failed + failed,
                status="running", updated_at=now))
    for tx in txs:
        provider.after_commit(tx)
    return True


def _record_outcomes(session: Session, job_id: str, outcomes: list[tuple[int, str, dict[str, Any]]],
                     now: Any) -> None:
    """Every item's status and outcome in one UPDATE from one JSON parameter: an executemany UPDATE is
    one round trip per row with psycopg2 (each a wait of the worker while the process's other workers
    run), and a VALUES list of bind parameters is compiled anew for every chunk."""
    rows = json.dumps([{"seq": seq, "status": status, "outcome": outcome} for seq, status, outcome in outcomes],
                      ensure_ascii=False, default=str)
    session.execute(_OUTCOMES, {"rows": rows, "job_id": job_id, "now": now})


_OUTCOMES = text(
    "UPDATE platform_job_items AS i SET status = o.status, outcome = o.outcome, finished_at = :now "
    "FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS o(seq integer, status text, outcome jsonb) "
    "WHERE i.job_id = :job_id AND i.seq = o.seq")


def _run_one(session: Session, tx: Tx, fn: Callable[..., Any], service: Any, job_id: str,
             item: Any) -> tuple[str, dict[str, Any]]:
    """One item in its own savepoint: ("ok", outcome) or ("failed", the reason)."""
    savepoint = session.begin_nested()
    try:
        outcome = fn(service, tx, item["payload"]) or {}
        savepoint.commit()
        return "ok", outcome
    except PlatformError as exc:
        savepoint.rollback()
        tx.emitted.clear()
        return "failed", _failure(exc)
    except Exception:  # noqa: BLE001 - a bug must not stall the job: record it and go on
        log.exception("job %s item %s failed", job_id, item["seq"])
        savepoint.rollback()
        tx.emitted.clear()
        return "failed", {"code": "internal_error", "message": "系统内部错误"}
