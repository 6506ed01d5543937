"""The broker permissions generated from the contracts grant each process its own resources and nothing
of the others' (RabbitMQ matches these regexes; Python's re agrees on the subset used)."""
import os
import re
import subprocess
import sys

import pytest

from deploy import broker_users
from deploy.stack import ROOT, services
from shared import contracts
from shared.messaging import permissions, topology

SERVICES = services()
PLAN = permissions.plan(SERVICES)


def allows(regex: str, name: str) -> bool:
    return re.search(regex, name) is not None


def queues_of(consumer: str) -> list[str]:
    return [spec.name for spec in topology.plan({consumer: contracts.SUBSCRIPTIONS.get(consumer, [])})["queues"]]


def test_every_process_of_the_procfile_has_a_role_and_only_deploy_has_everything():
    assert set(PLAN) == set(SERVICES) | {"gateway", "deploy"}
    for role, perms in PLAN.items():
        everything = all(allows(getattr(perms, k), "anything.at.all") for k in ("configure", "write", "read"))
        assert everything == (role == "deploy"), role
        assert not allows(perms.write, "amq.default") or role == "deploy", f"{role} could write into any queue"


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_owns_its_queues_and_exchanges_and_nobody_elses(service):
    perms = PLAN[service]
    own = queues_of(service) + [f"rpc-{service}", f"{service}.events", permissions.retry_exchange(service)]
    for name in own:
        assert allows(perms.configure, name) and allows(perms.write, name) and allows(perms.read, name), name
    for other in SERVICES:
        if other == service:
            continue
        for name in queues_of(other) + [f"rpc-{other}", permissions.retry_exchange(other)]:
            assert not any(allows(getattr(perms, k), name) for k in ("configure", "write", "read")), (service, name)
        assert not allows(perms.write, f"{other}.events") and not allows(perms.configure, f"{other}.events")
        subscribed = f"{other}.events" in permissions.subscribed_by_exchange(service)
        assert allows(perms.read, f"{other}.events") == subscribed, (service, other)
    integration = contracts.INTEGRATION_EXCHANGE
    assert allows(perms.write, integration)
    assert allows(perms.read, integration) == (service in contracts.INTEGRATION_SUBSCRIPTIONS), service


@pytest.mark.parametrize("service", SERVICES)
def test_topic_permissions_limit_bindings_and_publications_to_declared_event_types(service):
    topics = PLAN[service].topics
    rpc = topics[permissions.RPC_EXCHANGE]
    assert allows(rpc["read"], f"{service}.*")
    assert not any(allows(rpc["read"], f"{o}.*") for o in SERVICES if o != service)
    assert allows(rpc["write"], "0b7a9c2e-51a4-4c47-9a4e-0d7c1f3b2a11") and not allows(rpc["write"], "identity.login")
    for exchange, types in permissions.subscribed_by_exchange(service).items():
        if exchange != f"{service}.events":
            assert all(allows(topics[exchange]["read"], t) for t in types)
            assert not allows(topics[exchange]["read"], "#")
    for event_type, contract in contracts.CATALOGUE.items():
        key = f"subsidy.440700.440703.{event_type}"
        mine = contract.producer == service and contract.integration
        assert allows(topics[contracts.INTEGRATION_EXCHANGE]["write"], key) == mine, (service, event_type)


def test_the_gateway_calls_services_and_reads_its_replies_only():
    perms = PLAN["gateway"]
    rpc = perms.topics[permissions.RPC_EXCHANGE]
    assert all(allows(rpc["write"], f"{s}.health") for s in SERVICES) and not allows(rpc["write"], "nobody.health")
    assert allows(perms.read, "rpc.reply-standalone_rpc_proxy-0b7a9c2e-51a4-4c47-9a4e-0d7c1f3b2a11")
    assert not any(allows(perms.read, q) for s in SERVICES for q in queues_of(s) + [f"{s}.events"])


def test_an_integrator_reads_platform_events_through_its_own_queues_only():
    perms = permissions.integrator_permissions("acme")
    assert allows(perms.read, "platform.events") and allows(perms.configure, "integrator.acme.all")
    assert not allows(perms.configure, "integrator.other.all") and not allows(perms.read, "unit_registry.events")
    with pytest.raises(ValueError):
        permissions.integrator_permissions("acme|.*")


def test_exec_gives_a_container_the_uri_of_its_broker_user(tmp_path):
    (tmp_path / "broker").mkdir()
    (tmp_path / "broker" / "identity.uri").write_text("pyamqp://svc:secret@rabbitmq:5672//\n")
    env = dict(os.environ, BROKER_USER="identity", PLATFORM_VAR_DIR=str(tmp_path), AMQP_URI="pyamqp://guest@x//")
    out = subprocess.run([sys.executable, "-m", "deploy.broker_users", "exec", "--", sys.executable, "-c",
                          "import os; print(os.environ['AMQP_URI'])"], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "pyamqp://svc:secret@rabbitmq:5672//"
    uri = broker_users.with_credentials("pyamqp://guest:guest@127.0.0.1:5672/e2e-1", "e2e-1.identity", "p/w@")
    assert uri == "pyamqp://e2e-1.identity:p%2Fw%40@127.0.0.1:5672/e2e-1"
