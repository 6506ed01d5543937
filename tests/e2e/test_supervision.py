"""Supervision under the launcher (issue 16): a service killed with -9 while work waits for it is started
again by the launcher, with back-off; the rest of the platform keeps serving meanwhile; the restarted
service drains what queued up while it was down; the restart count shows in /readyz."""
import json
import os
import signal
import subprocess
import sys

import pytest
import requests

from shared.testing import rabbit
from tests.e2e.walk import City, Walk, eventually, until

QUEUE = "publicity_assessment.application.county_approved"


@pytest.fixture(scope="module")
def city(platform):
    return City(platform.config.gateway_url)


def test_a_killed_service_comes_back_and_drains_its_queue(city, platform):
    walk = Walk(city)
    walk.stage1_submit()
    walk.stage2_unit_approve()
    walk.stage3_report()
    before = requests.get(platform.config.gateway_url + "/readyz", timeout=30).json()["restarts"]
    platform.expected_restarts["publicity_assessment"] = platform.expected_restarts.get("publicity_assessment", 0) + 1
    old_pid = platform.processes["publicity_assessment"].pid
    platform.signal("publicity_assessment", signal.SIGKILL)

    # the others keep serving while it is down: the county approval is taken and its event waits
    walk.stage4_county_approve()
    assert walk.status() == "county_approved"

    until(lambda: platform.processes["publicity_assessment"].pid != old_pid, timeout=20,
          message="the launcher starting publicity_assessment again")
    platform.wait_ready(["publicity_assessment"], timeout=60)
    until(lambda: rabbit.queue_depth(platform.vhost, QUEUE) == (0, 1), timeout=30,
          message="the queued approval consumed after the restart (empty queue, one consumer again)")
    case = eventually(lambda: walk.officer("county").get(f"/publicity-cases/{walk.app_id}"), timeout=30)
    assert case["status"] == "awaiting_publicity"

    ready = requests.get(platform.config.gateway_url + "/readyz", timeout=30).json()
    assert ready["status"] == "ready", ready
    assert ready["restarts"]["publicity_assessment"] == before["publicity_assessment"] + 1
    assert ready["restarts"]["subsidy_review"] == before["subsidy_review"]
    log = (platform.log_dir / "launcher.log").read_text(encoding="utf-8")
    assert "publicity_assessment exited with -9; restart" in log and "publicity_assessment restarted" in log


def test_the_container_health_command_asks_the_service_itself(platform):
    env = {**os.environ, "AMQP_URI": platform.config.process_amqp_uri("gateway")}
    ok = subprocess.run([sys.executable, "-m", "deploy.health", "finance_disbursement"], env=env,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["database"] == "ok"
    gone = subprocess.run([sys.executable, "-m", "deploy.health", "no_such_service", "--timeout", "2"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert gone.returncode == 1 and "no_such_service: unhealthy" in gone.stderr
    gateway = subprocess.run([sys.executable, "-m", "deploy.health", "gateway"], capture_output=True, text=True,
                             env={**env, "GATEWAY_HEALTH_URL": platform.config.gateway_url + "/healthz"}, timeout=60)
    assert gateway.returncode == 0 and json.loads(gateway.stdout) == {"status": "ok"}
