"""The whole platform for a test session, started exactly as `make run` does (deploy.stack), on its own
broker vhost, database prefix, keys and port: the end-to-end tier's stack and the fault tier's (issue 14).

With ``proxied=True`` every process reaches the broker, and every service its database, through its own
TCP proxy (:mod:`shared.testing.tcp_proxy`), so a test can cut one process's connections (or all of them)
without stopping the machine's RabbitMQ or PostgreSQL.
"""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from deploy.stack import Stack, StackConfig, free_port, procfile, services
from shared.db import admin
from shared.db.engine import DEFAULT_SERVER_URL
from shared.testing import rabbit
from shared.testing.db import templates
from shared.testing.tcp_proxy import TcpProxy
from tests.support.calendar import confirm_coming_years

#: the tests' retry schedule of a failing event handler (``RETRY_DELAYS_MS``, milliseconds): the same three
#: retries as production's 1 s, 10 s, 60 s, short enough that a poison event reaches its dead-letter queue
#: within a test (issue 14). Production's schedule is each service's config.yaml default, unchanged.
SHORT_RETRY_DELAYS_MS = "500,1000,2000"


class Proxies:
    """One broker proxy per process and one database proxy per service."""

    def __init__(self) -> None:
        self.broker: dict[str, TcpProxy] = {}
        self.db: dict[str, TcpProxy] = {}

    @staticmethod
    def _target(url: str, default_port: int) -> tuple[str, int]:
        parts = urlsplit(url.replace("pyamqp://", "amqp://"))
        return parts.hostname or "127.0.0.1", parts.port or default_port

    def route(self, config: StackConfig) -> None:
        """Start the proxies and point each process's AMQP_URI and DATABASE_URL through its own."""
        for name, _ in procfile():
            amqp = config.process_amqp_uri(name)
            self.broker[name] = TcpProxy(*self._target(amqp, 5672)).start()
            env = {"AMQP_URI": self.broker[name].through(amqp)}
            if name != "gateway":
                self.db[name] = TcpProxy(*self._target(config.database_url, 5432)).start()
                env["DATABASE_URL"] = self.db[name].through(config.database_url)
            config.process_env[name] = env

    def stop(self) -> None:
        for proxy in [*self.broker.values(), *self.db.values()]:
            proxy.stop()


@contextlib.contextmanager
def platform_stack(var_dir: Path, label: str, *, proxied: bool = False, supervised: bool = True,
                   extra_env: dict[str, str] | None = None) -> Iterator[Stack]:
    """The platform, supervised as `make run` supervises it (unless ``supervised=False``); on leaving:
    stopped, its vhost, broker users and databases removed. ``stack.expected_restarts`` counts the
    restarts a test caused on purpose; ``stack.proxies`` is the :class:`Proxies` (None unless ``proxied``)."""
    vhost = rabbit.create_vhost(label)
    prefix = f"{label}_{uuid.uuid4().hex[:6]}_"
    config = StackConfig(amqp_uri=rabbit.uri(vhost), db_prefix=prefix, var_dir=var_dir, gateway_port=free_port(),
                         echo=False,
                         # fuzzing registers webhooks as the admin: deliveries stay on this machine
                         extra_env={"WEBHOOK_ALLOWED_HOSTS": "127.0.0.1,localhost", **(extra_env or {})})
    stack = Stack(config)
    stack.vhost = vhost                   # type: ignore[attr-defined]
    stack.expected_restarts = {}          # type: ignore[attr-defined]
    stack.proxies = Proxies() if proxied else None  # type: ignore[attr-defined]
    try:
        with templates():
            stack.prepare()
        if stack.proxies is not None:
            stack.proxies.route(config)
        stack.start(timeout=120)
        if supervised:
            stack.supervise()             # as `make run` does: a process that exits is started again
        confirm_coming_years(config.gateway_url)  # the clock runs ahead into years not shipped
        yield stack
    finally:
        stack.stop()
        if stack.proxies is not None:
            stack.proxies.stop()
        stack.remove_broker_users()
        rabbit.delete_vhost(vhost)
        engine = create_engine(DEFAULT_SERVER_URL.replace("postgresql://", "postgresql+psycopg2://") + "/postgres")
        with engine.connect() as conn:
            names = [r[0] for r in conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                                {"p": prefix + "%"})]
        engine.dispose()
        for name in names:
            admin.drop_database("", f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}")
        _ = services


def unexpected_restarts(stack: Stack) -> dict[str, int]:
    """Processes the launcher restarted more often than the tests meant to."""
    expected = getattr(stack, "expected_restarts", {})
    return {name: state.restarts for name, state in stack.supervised.items()
            if state.restarts > expected.get(name, 0)}
