"""What a nameko service of the platform is made of: the ``Platform`` dependency and the entrypoint
decorators ``command``, ``query``, ``subscribe`` and ``job``.

A service declares ``platform = Platform()`` and writes its use cases as methods taking a :class:`Tx`
(the unit of work) first::

    class ReviewService(RevocationConsumer):
        name = "subsidy_review"
        platform = Platform()

        @rpc
        @command(roles=[Role.UNIT_ADMIN])
        def approve(self, tx: Tx, application_id, opinion=None):
            ...                          # tx.session, tx.principal, tx.emit(...), tx.audit(...)
            return {...}                 # JSON; stored with the idempotency key

What the decorators guarantee:
- the user's token (forwarded by the gateway in the RPC context) is verified here: signature, expiry,
  revocation; roles are checked before any work (403);
- the command's effect, its outbox events, its audit rows and its idempotency record commit in one
  transaction **inside the entrypoint** (nameko replies before ``worker_result`` runs, so a commit
  there could tell the caller "ok" for a write that never happened);
- after the commit the outbox relay is woken (after-commit publish; the timer sweep catches the rest);
- a repeated idempotency key returns the first answer (an RPC redelivered after a crash, a double
  click), an event already in the inbox is acknowledged and ignored.
"""
from __future__ import annotations

import datetime as dt
import functools
import inspect
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from kombu.exceptions import OperationalError as KombuOperationalError
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc as NamekoRpc
from nameko.rpc import RpcConsumer as NamekoRpcConsumer
from nameko.timer import Timer, timer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from shared import audit, contracts, faults, hardening, idempotency, inbox, logs, metrics
from shared.auth import revocation
from shared.auth.principal import Principal
from shared.auth.tokens import TokenVerifier
from shared.clock import Clock, clock_from_env
from shared.db.engine import database_url, make_engine
from shared.db.outage import is_outage
from shared.errors import InvalidInput, PlatformError, Unavailable
from shared.event_group import EventGroup, handle_group
from shared.events import Envelope, source_of
from shared.jobs import JobRunner
from shared.messaging.amqp import amqp_uri
from shared.messaging.grouped import subscribe_grouped
from shared.messaging.publisher import ConfirmingPublisher
from shared.messaging.relay import OutboxRelay
from shared.messaging.subscriber import EventSubscriber, PermanentError
from shared.messaging.topology import queue_arguments, queue_type
from shared.outbox import write_event, write_events

log = logging.getLogger(__name__)
R = TypeVar("R")
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

CONTEXT_AUTHORIZATION = "authorization"
CONTEXT_IDEMPOTENCY_KEY = "idempotency_key"
CONTEXT_CORRELATION_ID = "correlation_id"
CONTEXT_PURPOSE = "purpose"          # "export": the gateway reads list pages for a download

ANONYMOUS = Principal(account_id="anonymous", role="anonymous")


@dataclass
class Tx:
    """The unit of work handed to a use case: one session in one transaction, plus who and when."""

    session: Session
    principal: Principal
    service: str
    clock: Clock
    correlation_id: str | None = None
    event: Envelope | None = None
    emitted: list[Envelope] = field(default_factory=list)
    read_only: bool = False
    #: set by :func:`shared.jobs.submit`: after the commit the service's job runner is woken
    job_submitted: bool = False
    #: events written with ``emit_many(keep=False)``: how many (their envelopes are not kept)
    unkept: int = 0
    _repositories: dict[type, Any] = field(default_factory=dict, repr=False)

    @property
    def now(self) -> dt.datetime:
        return self.clock.now()

    def repository(self, kind: type[R]) -> R:
        """The repository ``kind`` of this unit of work, built once on its session (``kind(session)``).
        Use cases reach their aggregates through it, so a fake ``Tx`` can hand them in-memory ones."""
        found = self._repositories.get(kind)
        if found is None:
            found = self._repositories[kind] = cast(Callable[[Session], R], kind)(self.session)  # kind(session)
        return found

    def emit(self, event_type: str, *, subject: str, region: str, data: dict[str, Any],
             actor: dict[str, Any] | None = None) -> Envelope:
        """Write an event to the outbox in this transaction (validated against its contract)."""
        envelope = self._envelope(event_type, subject=subject, region=region, data=data, actor=actor)
        write_event(self.session, envelope)
        self.emitted.append(envelope)
        return envelope

    def emit_many(self, events: list[dict[str, Any]], *, keep: bool = True) -> list[Envelope]:
        """:meth:`emit` for many events (each ``{"event_type", "subject", "region", "data"}``) in one
        insert: a batch that produces thousands of per-item events. ``keep=False``: not kept in
        :attr:`emitted` (only counted in :attr:`unkept`, which wakes the relay after the commit as well),
        so a transaction that writes its events slice by slice holds no more than one slice's."""
        now = self.now  # one clock read for the batch (the clock may stat its offset file)
        envelopes = [self._envelope(e["event_type"], subject=e["subject"], region=e["region"], data=e["data"],
                                    now=now) for e in events]
        write_events(self.session, envelopes)
        if keep:
            self.emitted.extend(envelopes)
        else:
            self.unkept += len(envelopes)
        return envelopes

    def _envelope(self, event_type: str, *, subject: str, region: str, data: dict[str, Any],
                  actor: dict[str, Any] | None = None, now: dt.datetime | None = None) -> Envelope:
        if self.read_only:
            raise RuntimeError("a query may not emit events")
        contract = contracts.get(event_type)
        envelope = Envelope(
            type=event_type, source=source_of(self.service), subject=str(subject), region=region, data=data,
            actor=actor or (self.event.actor if self.event else self.principal.as_actor()),
            dataversion=contract.version, time=(now or self.now).isoformat(),
            correlationid=self.correlation_id or (self.event.id if self.event else None),
        )
        return envelope

    def audit(self, action: str, subject_type: str, subject_id: str, *, before: dict[str, Any] | None = None,
              after: dict[str, Any] | None = None, region: str | None = None) -> None:
        """Append an audit row (actor = the principal) in this transaction."""
        audit.record(self.session, action=action, subject_type=subject_type, subject_id=subject_id,
                     actor=self.principal, before=before, after=after, region=region,
                     correlation_id=self.correlation_id, at=self.now)

    def audit_many(self, entries: list[dict[str, Any]]) -> None:
        """:meth:`audit` for many rows at once (``{action, subject_type, subject_id, before?, after?, region?}``)."""
        audit.record_many(self.session, entries, actor=self.principal, correlation_id=self.correlation_id,
                          at=self.now)


class Platform(DependencyProvider):
    """Engine, token verifier, clock and outbox relay of one service container."""

    def setup(self) -> None:
        config = self.container.config
        self.service_name = self.container.service_name
        url = config.get("DATABASE_URL") or database_url(self.service_name)
        workers = int(config.get("max_workers", 10))
        self.engine = make_engine(url, pool_size=workers + 5, application_name=self.service_name)
        self.clock = clock_from_env()
        self._started: dict[str, float] = {}
        self.verifier = TokenVerifier(config.get("JWT_JWKS_FILE"), clock=self.clock)
        self.relay = OutboxRelay(
            self.engine, ConfirmingPublisher(amqp_uri(config), app_id=self.service_name),
            sweep_seconds=float(config.get("OUTBOX_SWEEP_SECONDS") or 1.0),
            max_retry_seconds=float(config.get("OUTBOX_MAX_RETRY_SECONDS") or 5.0), clock=self.clock)

    def start(self) -> None:
        self.container.spawn_managed_thread(self.relay.run, identifier="outbox-relay")
        metrics.serve(int(self.container.config.get("METRICS_PORT") or 0), metrics.BacklogCollector(
            self.service_name, self._outbox_stats, self._dlq_depths))

    # -- timing: one start per worker, for the metrics below and the "done" log line's duration_ms --
    def worker_setup(self, worker_ctx: Any) -> None:
        self._started[worker_ctx.call_id] = time.monotonic()

    def elapsed_ms(self, worker_ctx: Any) -> float | None:
        """Milliseconds since this worker started (None outside a worker)."""
        started = self._started.get(worker_ctx.call_id)
        return None if started is None else round((time.monotonic() - started) * 1000, 1)

    def worker_result(self, worker_ctx: Any, result: Any = None, exc_info: Any = None) -> None:
        started = self._started.pop(worker_ctx.call_id, None)
        if started is None:
            return
        entrypoint = worker_ctx.entrypoint
        kind = "rpc" if isinstance(entrypoint, Rpc) else "event" if isinstance(entrypoint, EventSubscriber) else "other"
        outcome = "ok" if exc_info is None else "refused" if isinstance(exc_info[1], PlatformError) else "error"
        metrics.HANDLER.labels(self.service_name, kind, entrypoint.method_name, outcome).observe(
            time.monotonic() - started)

    def _outbox_stats(self) -> tuple[int, float | None]:
        with self.engine.connect() as conn:
            count, age = conn.exec_driver_sql(
                "SELECT count(*), extract(epoch FROM clock_timestamp() - min(created_at)) "
                "FROM platform_outbox WHERE sent_at IS NULL").one()
        return int(count), float(age) if age is not None else None

    def _dlq_depths(self) -> list[tuple[str, int]]:
        from shared.messaging.amqp import connect
        from shared.messaging.topology import dead_letter_queue
        depths = []
        conn = connect(amqp_uri(self.container.config), timeout=5)
        try:
            channel = conn.connection.channel()
            service = self.service_name
            queues = [contracts.queue_name(service, t) for t in contracts.SUBSCRIPTIONS.get(service, [])]
            if service in contracts.INTEGRATION_SUBSCRIPTIONS:     # the event feed's own queue
                queues.append(contracts.integration_queue_name(service))
            for name in queues:
                queue = dead_letter_queue(name)
                try:
                    _, depth, _ = channel.queue_declare(queue, passive=True)
                    depths.append((queue, depth))
                except Exception:  # noqa: BLE001 - not declared (yet): the broker closed the channel
                    channel = conn.connection.channel()
            if channel.is_open:
                channel.close()
        finally:
            conn.release()
        return depths

    def stop(self) -> None:
        self.relay.stop()
        self.engine.dispose()

    def kill(self) -> None:
        self.relay.stop()

    def get_dependency(self, worker_ctx: Any) -> "PlatformApi":
        return PlatformApi(self, worker_ctx)

    # -- unit of work --------------------------------------------------------------------------
    def new_tx(self, session: Session, principal: Principal, *, correlation_id: str | None = None,
               event: Envelope | None = None, read_only: bool = False) -> Tx:
        return Tx(session=session, principal=principal, service=self.service_name, clock=self.clock,
                  correlation_id=correlation_id, event=event, read_only=read_only)

    def after_commit(self, tx: Tx) -> None:
        faults.crash_point("outbox.after_commit")
        if tx.emitted or tx.unkept:
            self.relay.wake()
        if tx.job_submitted:
            for extension in self.container.extensions:
                if isinstance(extension, JobRunner):
                    extension.wakeup.set()


def _outage_answers_503(method: Callable[..., Any]) -> Callable[..., Any]:
    """A database outage during a call answers 503 ``service.db_unavailable`` (shared/db/outage.py);
    the transaction was rolled back, so nothing is half-written, and the next call reconnects."""
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except DBAPIError as exc:
            if not is_outage(exc):
                raise
            log.warning("database unavailable: %s", exc.orig)
            raise Unavailable("数据库暂不可用，请稍后重试", code="service.db_unavailable") from None
    return wrapper


class PlatformApi:
    """The per-worker face of :class:`Platform` (what ``self.platform`` is inside an entrypoint)."""

    def __init__(self, provider: Platform, worker_ctx: Any) -> None:
        self.provider = provider
        self.worker_ctx = worker_ctx
        self._principal: Principal | None = None

    @property
    def engine(self) -> Engine:
        return self.provider.engine

    @property
    def clock(self) -> Clock:
        return self.provider.clock

    @property
    def context(self) -> dict[str, Any]:
        return self.worker_ctx.data or {}

    def principal(self) -> Principal:
        """The verified caller (signature and expiry; revocation is checked inside the transaction)."""
        if self._principal is None:
            self._principal = self.provider.verifier.verify(self.context.get(CONTEXT_AUTHORIZATION))
        return self._principal

    def _authenticate(self, public: bool) -> Principal:
        if public:
            try:
                return self.principal() if self.context.get(CONTEXT_AUTHORIZATION) else ANONYMOUS
            except PlatformError:
                return ANONYMOUS
        return self.principal()

    @_outage_answers_503
    def authorise_only(self, roles: Iterable[str] | None, public: bool, operation: str = "") -> Principal:
        """The checks of :meth:`run` without the work, in the same order: token (401), revocation
        (401), role (403). The gateway asks this before it answers 400 for a request it refused itself,
        so a caller learns "log in" or "not yours" before "your input is wrong"."""
        principal = self._authenticate(public)
        with Session(self.engine) as session, session.begin():
            _check_access(session, principal, roles, public, (self.provider.service_name, operation))
        return principal

    @_outage_answers_503
    def run(self, name: str, fn: Callable[..., Any], service: Any, args: tuple[Any, ...], kwargs: dict[str, Any], *,
            roles: Iterable[str] | None, public: bool, idempotent: bool, read_only: bool,
            personal: str | None = None, commit_on_error: bool = False) -> Any:
        logs.bind(self.context.get(CONTEXT_CORRELATION_ID))
        principal = self._authenticate(public)
        refusal: PlatformError | None = None
        key = self.context.get(CONTEXT_IDEMPOTENCY_KEY) if idempotent and not public else None
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                _check_access(session, principal, roles, public,
                              (self.provider.service_name, self.worker_ctx.entrypoint.method_name))
                # bad input is 400 only for a caller who may call at all (401 and 403 come first)
                call_args: list[Any] = hardening.clean(list(args))
                kwargs = hardening.clean(kwargs)
                _check_call(fn, call_args, kwargs)
                if key:
                    replay = idempotency.claim(session, principal.account_id, str(key), name,
                                               idempotency.fingerprint(call_args, kwargs))
                    if replay is not None:
                        return replay.result
                tx = self.provider.new_tx(session, principal, read_only=read_only,
                                          correlation_id=self.context.get(CONTEXT_CORRELATION_ID))
                try:
                    result = fn(service, tx, *call_args, **kwargs)
                except PlatformError as exc:
                    if not commit_on_error:
                        raise
                    refusal, result = exc, None  # what the use case wrote stands; the caller gets the error
                if personal:
                    audit.record_read(tx, personal, name, call_args, kwargs, result,
                                      purpose=self.context.get(CONTEXT_PURPOSE))
                if key:
                    idempotency.store(session, principal.account_id, str(key), result)
        self.provider.after_commit(tx)
        if refusal is not None:
            raise refusal
        log.info("rpc %s done", name,
                 extra={"entrypoint": name, "duration_ms": self.provider.elapsed_ms(self.worker_ctx)})
        return result

    def as_system(self, fn: Callable[..., Any], *args: Any, correlation_id: str) -> Any:
        """``fn(tx, *args)`` in a transaction of its own, as the service itself (a timer's work, no
        caller); after the commit the outbox relay is woken."""
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                tx = self.provider.new_tx(session, Principal.system(self.provider.service_name),
                                          correlation_id=correlation_id)
                result = fn(tx, *args)
        self.provider.after_commit(tx)
        return result

    def check_event(self, consumer: str, event_type: str, body: Any) -> Envelope:
        """The envelope of ``body`` if it is a valid ``event_type`` from its producer (else a permanent error)."""
        envelope = Envelope.from_dict(body)
        logs.bind(envelope.correlationid or envelope.id)
        _observe_lag(self.provider.service_name, envelope)
        if envelope.type != event_type:
            raise PermanentError(f"{consumer} received {envelope.type}, expected {event_type}")
        contract = contracts.get(event_type)
        if envelope.service != contract.producer:
            raise PermanentError(f"{event_type} from {envelope.source}, owned by {contract.producer}")
        contract.validate(envelope.data)
        return envelope

    def handle_event(self, consumer: str, event_type: str, fn: Callable[..., Any], service: Any, body: Any) -> Any:
        envelope = self.check_event(consumer, event_type, body)
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                if not inbox.claim(session, consumer, envelope.id, envelope.type):
                    log.info("duplicate event %s for %s ignored", envelope.id, consumer)
                    return None
                tx = self.provider.new_tx(session, Principal.system(self.provider.service_name),
                                          event=envelope, correlation_id=envelope.correlationid or envelope.id)
                result = fn(service, tx, envelope)
        self.provider.after_commit(tx)
        log.info("event %s %s handled by %s", envelope.type, envelope.id, consumer,
                 extra={"event_id": envelope.id, "consumer": consumer,
                                        "duration_ms": self.provider.elapsed_ms(self.worker_ctx)})
        return result


def _observe_lag(service: str, envelope: Envelope) -> None:
    try:
        sent = dt.datetime.fromisoformat(envelope.time)
    except (TypeError, ValueError):
        return
    # the event's time is the producer's (injectable) clock; lag is measured on the wall clock
    lag = (dt.datetime.now(dt.UTC) - sent).total_seconds()
    if 0 <= lag < 86400:
        metrics.INBOX_LAG.labels(service, envelope.type).observe(lag)


def _check_access(session: Session, principal: Principal, roles: Iterable[str] | None, public: bool,
                  operation: tuple[str, str]) -> None:
    """Revocation (401) before the forced password change and the role (403): a revoked token never
    learns which operations exist; an account with an initial password may only change it."""
    if public:
        return
    revocation.check(session, principal)
    principal.require_password_changed(*operation)
    if roles:
        principal.require_role(*roles)


def _check_call(fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> None:
    """A call with the wrong arguments is the caller's error (400), not a crash."""
    try:
        inspect.signature(fn).bind(None, None, *args, **kwargs)
    except TypeError as exc:
        raise InvalidInput(f"调用参数不正确: {exc}", code="invalid_call") from None


def _platform(service: Any) -> PlatformApi:
    api = getattr(service, "platform", None)
    if not isinstance(api, PlatformApi):
        raise RuntimeError(f"{type(service).__name__} needs `platform = Platform()` to use shared entrypoints")
    return api


class RpcConsumer(NamekoRpcConsumer):
    """nameko's consumer of ``rpc-<service>``, declared as ``PLATFORM_QUEUE_TYPE`` says (a quorum queue
    shared by the replicas of the service; see ``messaging/topology``).

    A reply that cannot be published because the broker went away (kombu's OperationalError, an OSError)
    is logged and dropped, and the request acknowledged if the connection still allows it: nameko would let
    the error end the worker's thread and with it the whole container (the process exits; seen under the
    fault tier's broker cut, issue 14). The work is done and committed; the caller times out (503) and
    asks again with its idempotency key, which answers the first result."""

    def setup(self) -> None:
        if self.queue is None:
            super().setup()
            # nameko's setup() has set the queue (mypy still narrows it to None)
            self.queue.queue_arguments = queue_arguments(None, queue_type(self.container.config))  # type: ignore[attr-defined]


    def handle_result(self, message: Any, result: Any, exc_info: Any) -> Any:
        try:
            return super().handle_result(message, result, exc_info)
        except (OSError, KombuOperationalError) as exc:
            log.warning("the reply could not be sent (the broker went away: %s); the caller will time out", exc)
            try:
                self.queue_consumer.ack_message(message)
            except (OSError, KombuOperationalError):
                pass           # the consumer's connection went too: the broker requeues the request
            return result, exc_info


class Rpc(NamekoRpc):
    rpc_consumer = RpcConsumer()


class ConfiguredTimer(Timer):
    """nameko's timer with its interval (seconds) from the container's config or the environment
    (``setting``), ``interval`` when neither sets it: a test or an operator changes it without code."""

    def __init__(self, interval: float, setting: str, eager: bool = False, **kwargs: Any) -> None:
        self.setting = setting
        super().__init__(interval, eager=eager, **kwargs)

    def setup(self) -> None:
        value = self.container.config.get(self.setting) or os.environ.get(self.setting)
        if value:
            self.interval = float(value)


configured_timer = ConfiguredTimer.decorator


def rpc(fn: Callable[..., Any] | None = None, **options: Any) -> Callable[..., Any]:
    """nameko's ``@rpc`` with our errors marked expected (logged as a warning, not a traceback).
    Pass ``sensitive_arguments=("password",)`` to keep secrets out of logs."""
    options.setdefault("expected_exceptions", (PlatformError,))
    decorator: Callable[..., Any] = Rpc.decorator(**options)
    return decorator if fn is None else cast(Callable[..., Any], decorator(fn))


def _guarded(wrapper: Callable[..., Any], roles: Iterable[str] | None, public: bool) -> Callable[..., Any]:
    """Remember who may call an entrypoint, for :meth:`HealthCheck.authorise`."""
    setattr(wrapper, "platform_access", {"roles": sorted(roles or []), "public": public})  # noqa: B010 - mypy types no function attributes
    return wrapper


def command(name: str | None = None, *, roles: Iterable[str] | None = None, public: bool = False,
            idempotent: bool = True, commit_on_error: bool = False) -> Decorator:
    """A state-changing use case: authorised, idempotent, committed in one transaction.

    ``commit_on_error``: a :class:`PlatformError` the use case raises does not roll back what it wrote
    before raising; the transaction commits, then the error reaches the caller. For refusals that must
    leave a trace (a failed login, a wrong SMS code's try counter, a reused refresh token's revocation).
    Such a command is not idempotent (a refusal is no answer to replay)."""
    if commit_on_error and idempotent:
        raise ValueError("commit_on_error needs idempotent=False: a refusal is not replayed")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        cmd = name or fn.__name__

        @functools.wraps(fn)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            return _platform(self).run(cmd, fn, self, args, kwargs, roles=roles, public=public,
                                       idempotent=idempotent, read_only=False, commit_on_error=commit_on_error)
        return _guarded(wrapper, roles, public)
    return decorate


def query(name: str | None = None, *, roles: Iterable[str] | None = None, public: bool = False,
          personal: str | None = None) -> Decorator:
    """A read: authorised; may write audit rows, never events. ``personal="application"`` marks a
    read of personal data: each call is audited (who read which record; an export's pages with the
    ids they held) - see :func:`shared.audit.record_read`."""
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        cmd = name or fn.__name__

        @functools.wraps(fn)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            return _platform(self).run(cmd, fn, self, args, kwargs, roles=roles, public=public,
                                       idempotent=False, read_only=True, personal=personal)
        return _guarded(wrapper, roles, public)
    return decorate


def subscribe(event_type: str) -> Decorator:
    """Handle one event type of the catalogue, at most once per event id (inbox), with retries and a
    dead-letter queue (``EventSubscriber``). The method receives ``(tx, event)``."""
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(self: Any, body: Any) -> Any:
            service = _platform(self).provider.service_name
            consumer = contracts.queue_name(service, event_type)
            if isinstance(body, EventGroup):  # several messages of the queue at once (shared/event_group.py)
                return handle_group(_platform(self), consumer, event_type, fn, self, body)
            return _platform(self).handle_event(consumer, event_type, fn, self, body)
        setattr(wrapper, "subscribed_event_type", event_type)  # noqa: B010 - mypy types no function attributes
        return cast(Callable[..., Any], subscribe_grouped(event_type)(wrapper))
    return decorate


def subscribed_event_types(service_cls: type) -> set[str]:
    """Event types a service class handles (for the catalogue consistency test)."""
    return {member.subscribed_event_type for _, member in inspect.getmembers(service_cls)
            if hasattr(member, "subscribed_event_type")}


class HealthCheck:
    """Mixin: ``health()`` answers when the service runs and its database is reachable (/readyz);
    ``authorise(method)`` answers whether the caller may call ``method`` at all (401/403 or ok)."""

    name: str            # the service class's
    platform: PlatformApi  # its ``platform = Platform()``, as nameko injects it into a worker

    @rpc
    def authorise(self, method: str) -> dict[str, Any]:
        target = getattr(type(self), str(method), None)
        access = getattr(target, "platform_access", None)
        if access is None:
            raise InvalidInput(code="invalid_call")
        principal = self.platform.authorise_only(access["roles"], access["public"], method)
        return {"method": method, "role": principal.role}

    @rpc
    def health(self) -> dict[str, Any]:
        try:
            with self.platform.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            raise Unavailable("数据库不可用", code="service.db_unavailable") from exc
        # how often the local launcher (deploy/stack.py) has restarted this process after it exited
        return {"service": self.name, "database": "ok", "restarts": int(os.environ.get("PLATFORM_RESTARTS", "0"))}


def _revocation_handler(event_type: str) -> Callable[..., Any]:
    @subscribe(event_type)
    def handler(self: Any, tx: Tx, event: Envelope) -> None:
        revocation.apply_event(tx.session, event)
    handler.__name__ = handler.__qualname__ = "on_" + event_type.replace(".", "_")
    return handler


class RevocationConsumer:
    """Mixin: keeps this service's revocation tables in step with identity's events."""

    on_account_deactivated = _revocation_handler("account.deactivated")
    on_account_reactivated = _revocation_handler("account.reactivated")
    on_account_password_changed = _revocation_handler("account.password_changed")
    on_account_sessions_revoked = _revocation_handler("account.sessions_revoked")
    on_session_revoked = _revocation_handler("session.revoked")

    @timer(interval=float(os.environ.get("REVOCATION_PURGE_SECONDS", "3600")))  # type: ignore[untyped-decorator]
    def purge_expired_revocations(self) -> int:
        """Revoked-token rows whose token has expired anyway refuse nothing more: deleted every hour, so
        the table holds only what still matters."""
        api = _platform(self)
        with Session(api.engine) as session, session.begin():
            purged = revocation.purge_expired(session, api.clock.now())
        if purged:
            log.info("purged %d expired revoked-token rows", purged)
        return purged
