"""docker-compose.yml, the Procfile and each service's config agree with the code."""
import importlib
import re
import shlex
from pathlib import Path

import pytest
import yaml

from deploy.stack import procfile

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
PROCESSES = dict(procfile())
SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))


def test_every_service_package_is_a_process_of_the_procfile_and_of_compose():
    assert set(SERVICES) | {"gateway"} == set(PROCESSES)
    assert set(PROCESSES) <= set(COMPOSE["services"])
    assert {"rabbitmq", "postgres", "setup"} <= set(COMPOSE["services"])


@pytest.mark.parametrize("service", SERVICES)
def test_compose_runs_the_same_nameko_service_as_the_procfile(service):
    compose_cmd = COMPOSE["services"][service]["command"]
    local_cmd = shlex.split(PROCESSES[service])
    assert compose_cmd == local_cmd, "compose and `make run` must start the same thing"
    assert compose_cmd[:2] == ["nameko", "run"] and compose_cmd[2:4] == ["--config", f"services/{service}/config.yaml"]
    module, cls = compose_cmd[4].split(":")
    service_cls = getattr(importlib.import_module(module), cls)
    assert service_cls.name == service


@pytest.mark.parametrize("service", SERVICES)
def test_compose_provides_every_variable_the_config_needs(service):
    config = (ROOT / "services" / service / "config.yaml").read_text()
    needed = set(re.findall(r"\$\{([A-Z_]+):?[^}]*\}", config))
    environment = COMPOSE["services"][service]["environment"]
    assert {"AMQP_URI", "DATABASE_URL", "DATABASE_PREFIX", "JWT_JWKS_FILE"} <= set(environment)
    # the rest have safe defaults in config.yaml; the database URL is derived from DATABASE_URL + prefix
    without_default = {v for v in needed if re.search(r"\$\{" + v + r"\}", config)}
    assert without_default <= set(environment)


def test_the_gateway_and_setup_steps_match_the_code():
    gateway = COMPOSE["services"]["gateway"]["command"]
    assert gateway[0] == "gunicorn" and gateway[-1] == "gateway.app:create_app()"
    assert shlex.split(PROCESSES["gateway"])[-1] == "gateway.app:create_app()"
    assert COMPOSE["services"]["setup"]["command"] == ["python", "-m", "deploy.stack", "prepare"]
    for name in list(PROCESSES):
        depends = COMPOSE["services"][name].get("depends_on", {})
        assert depends.get("setup") == {"condition": "service_completed_successfully"}, name


@pytest.mark.parametrize("name", sorted(PROCESSES))
def test_compose_restarts_every_process_and_checks_its_health(name):
    entry = COMPOSE["services"][name]
    assert entry["restart"] == "unless-stopped"
    test = entry["healthcheck"]["test"]
    assert test[-3:] == ["-m", "deploy.health", name]
    if name != "gateway":    # a service's health RPC is asked as the gateway's broker user
        assert "BROKER_USER=gateway" in test and test[test.index("deploy.broker_users") + 1] == "exec"
    assert COMPOSE["services"]["setup"].get("restart") in (None, "no")    # the one-shot step is not restarted


def test_the_gateway_logs_json_lines_in_compose_as_under_make_run():
    local = shlex.split(PROCESSES["gateway"])
    compose = COMPOSE["services"]["gateway"]["command"]
    for argv in (local, compose):
        assert argv[argv.index("--logger-class") + 1] == "gateway.server.JsonLogger"
        assert argv[argv.index("--access-logfile") + 1] == "-"


@pytest.mark.parametrize("service", sorted(p for p in PROCESSES if p != "gateway"))
def test_every_service_logs_json_lines_with_its_name(service):
    config = yaml.safe_load((ROOT / "services" / service / "config.yaml").read_text())
    logging = config["LOGGING"]
    formatter = logging["formatters"][logging["handlers"]["console"]["formatter"]]
    assert formatter == {"()": "shared.logs.JsonFormatter", "process": service}
