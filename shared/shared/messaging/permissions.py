"""Least-privilege broker permissions, generated from the contracts (who produces and who consumes what).

RabbitMQ checks three regexes per (user, vhost) - *configure* (declare, delete), *write* (publish to an
exchange, bind a queue) and *read* (consume a queue, bind from an exchange) - and, on topic exchanges,
*topic permissions*: a regex over the routing key for publishing (write) and for binding (read). The
default exchange is ``amq.default`` for these checks; whoever may write to it may put a message into
any queue, so no process of the platform gets it (retries go through ``<service>.retry``).

Per role:
- **a service** ``S``: declares and consumes only its own queues (``S.<event type>`` with their
  ``.retry.<n>ms`` and ``.dlq``, ``rpc-S``) and its exchanges (``S.events``, ``S.retry``); publishes
  its event types to ``S.events``, their masked copies to ``platform.events`` (routing keys of its own
  types only) and RPC replies (a reply routing key is a uuid) to ``nameko-rpc``; binds to
  ``nameko-rpc`` only with ``S.*`` (its RPC queue, so it cannot read another service's requests and
  the tokens in them) and to another service's exchange only with the event types it subscribes to.
  A consumer of ``platform.events`` itself (``contracts.INTEGRATION_SUBSCRIPTIONS``: the event feed)
  may also bind its queue to that exchange, with its own binding key only.
- **the gateway**: RPC calls only: publishes ``<service>.<method>`` to ``nameko-rpc`` and reads its
  own reply queues (``rpc.reply-standalone_rpc_proxy-<uuid>``, bound with the uuid).
- **an integrator** ``N``: declares ``integrator.N.*`` queues and binds them to ``platform.events`` only.
- **deploy** (``platform-topology``, DLQ replay, readiness checks): everything in its vhost, no
  broker administration.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from shared import contracts

RPC_EXCHANGE = "nameko-rpc"
#: nameko's standalone proxy (the gateway's pooled ClusterRpcProxy) names its reply queues so
GATEWAY_REPLY_QUEUE = r"rpc\.reply-standalone_rpc_proxy-[0-9a-f-]+"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
NOTHING = "^$"          # matches no resource name RabbitMQ would accept (the empty name is amq.default)
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def retry_exchange(service: str) -> str:
    """The direct exchange through which ``service`` moves failed events to its retry queues and DLQs."""
    return f"{service}.retry"


@dataclass(frozen=True)
class Permissions:
    configure: str
    write: str
    read: str
    #: exchange -> {"write": regex, "read": regex} over routing keys (topic exchanges only)
    topics: dict[str, Any] = field(default_factory=dict)
    tags: str = ""

    def as_api(self) -> dict[str, Any]:
        return {"configure": self.configure, "write": self.write, "read": self.read}


def _any_of(names: Iterable[str]) -> str:
    unique = sorted(set(names))
    return "^(" + "|".join(unique) + ")$" if unique else NOTHING


def _esc(name: str) -> str:
    return re.escape(name)


def produced_types(service: str) -> list[str]:
    return sorted(t for t, c in contracts.CATALOGUE.items() if c.producer == service)


def subscribed_by_exchange(service: str) -> dict[str, list[str]]:
    """Exchange -> the event types ``service`` consumes from it."""
    out: dict[str, list[str]] = {}
    for event_type in contracts.SUBSCRIPTIONS.get(service, []):
        out.setdefault(contracts.get(event_type).exchange, []).append(event_type)
    return {k: sorted(v) for k, v in out.items()}


def service_permissions(service: str) -> Permissions:
    if not NAME.match(service):
        raise ValueError(f"not a service name: {service!r}")
    own = rf"{_esc(service)}\..*"                           # S.events, S.retry, S.<type>[.retry.<n>ms|.dlq]
    rpc_queue = _esc(f"rpc-{service}")
    sources = subscribed_by_exchange(service)
    produced = produced_types(service)
    integration = [t for t in produced if contracts.get(t).integration]
    # a consumer of platform.events itself (the event feed) binds its queue with its own key only
    binding = contracts.INTEGRATION_SUBSCRIPTIONS.get(service)
    topics = {
        RPC_EXCHANGE: {"write": f"^{UUID}$", "read": "^" + _esc(f"{service}.*") + "$"},
        contracts.INTEGRATION_EXCHANGE: {
            "write": (r"^[^.]+\.[^.]+\.[^.]+\." + _any_of(_esc(t) for t in integration)[1:]) if integration
            else NOTHING,
            "read": NOTHING if binding is None else f"^{_esc(binding)}$"},
        f"{service}.events": {"write": _any_of(_esc(t) for t in produced), "read": ".*"},
    }
    for exchange, types in sources.items():
        if exchange != f"{service}.events":
            topics[exchange] = {"write": NOTHING, "read": _any_of(_esc(t) for t in types)}
    return Permissions(
        configure=f"^({own}|{rpc_queue}|{_esc(RPC_EXCHANGE)})$",
        write=f"^({own}|{rpc_queue}|{_esc(RPC_EXCHANGE)}|{_esc(contracts.INTEGRATION_EXCHANGE)})$",
        read="^(" + "|".join([own, rpc_queue, _esc(RPC_EXCHANGE)] + [_esc(x) for x in sorted(sources)]
                             + ([_esc(contracts.INTEGRATION_EXCHANGE)] if binding is not None else [])) + ")$",
        topics=topics,
    )


def gateway_permissions(services: list[str]) -> Permissions:
    names = f"^({_esc(RPC_EXCHANGE)}|{GATEWAY_REPLY_QUEUE})$"
    return Permissions(configure=names, write=names, read=names, topics={
        RPC_EXCHANGE: {"write": "^" + _any_of(_esc(s) for s in services)[1:-1] + r"\.[A-Za-z_][A-Za-z0-9_]*$",
                       "read": f"^{UUID}$"},
    })


def integrator_queue_prefix(name: str) -> str:
    return f"integrator.{name}."


def integrator_permissions(name: str) -> Permissions:
    if not NAME.match(name):
        raise ValueError(f"integrator name must match {NAME.pattern}: {name!r}")
    queues = _esc(integrator_queue_prefix(name)) + ".*"
    return Permissions(configure=f"^{queues}$", write=f"^{queues}$",
                       read=f"^({queues}|{_esc(contracts.INTEGRATION_EXCHANGE)})$")


def deploy_permissions() -> Permissions:
    return Permissions(configure=".*", write=".*", read=".*", tags="management")


def plan(services: list[str]) -> dict[str, Permissions]:
    """Role -> permissions for every process of the platform (integrators are added one by one)."""
    roles = {service: service_permissions(service) for service in services}
    roles["gateway"] = gateway_permissions(services)
    roles["deploy"] = deploy_permissions()
    return roles
