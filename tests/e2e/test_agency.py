"""One agency deploys alone (issue 16): the organisation department's org_confirmation is stopped in the
running platform and started instead from its own env file (deploy/agencies/org/agency.env, values
pointed at this test's broker vhost and database) with the real commands (`python -m deploy.agency
migrate` then `run`), as its own broker user; it then takes its hand-off (stage 7 -> 8) and hands on."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.stack import environ
from shared.db.engine import database_url
from shared.testing import rabbit
from tests.e2e.walk import City, Walk, until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def city(platform):
    return City(platform.config.gateway_url)


@pytest.fixture
def clock(platform):
    from deploy.stack import advance_clock
    return lambda days: advance_clock(platform.config.clock_file, days)


def agency_env_file(platform, tmp_path) -> Path:
    """The shipped env file with this platform's addresses, as an agency's admin edits it."""
    with environ({"DATABASE_PREFIX": platform.config.db_prefix}):
        db = database_url("org_confirmation").replace("postgresql+psycopg2://", "postgresql://")
    values = {"ORG_CONFIRMATION_AMQP_URI": platform.config.process_amqp_uri("org_confirmation"),
              "ORG_CONFIRMATION_DATABASE_URL": db,
              "JWT_JWKS_FILE": str(platform.config.var_dir / "keys" / "jwks.json")}
    lines = []
    for line in (ROOT / "deploy" / "agencies" / "org" / "agency.env").read_text(encoding="utf-8").splitlines():
        key = line.split("=", 1)[0]
        lines.append(f"{key}={values.pop(key)}" if key in values else line)
    assert not values, f"the shipped env file lacks {values}"
    lines += [f"PLATFORM_VAR_DIR={tmp_path}", f"PLATFORM_CLOCK_FILE={platform.config.clock_file}"]
    path = tmp_path / "agency.env"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_org_agency_runs_alone_from_its_env_file_and_takes_its_hand_off(city, platform, clock, tmp_path):
    env_file = agency_env_file(platform, tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("AMQP_URI", "DATABASE_URL", "DATABASE_PREFIX")}
    plan = subprocess.run([sys.executable, "-m", "deploy.agency", "plan", str(env_file)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert plan.returncode == 0 and f"AMQP as {platform.config.broker_user_prefix}org_confirmation" in plan.stdout
    migrate = subprocess.run([sys.executable, "-m", "deploy.agency", "migrate", str(env_file)], env=env,
                             capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr

    walk = Walk(city)
    platform.stop_one("org_confirmation")
    agency = subprocess.Popen([sys.executable, "-m", "deploy.agency", "run", str(env_file)], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        until(lambda: rabbit.queue_depth(platform.vhost, "rpc-org_confirmation")[1] == 1 or agency.poll() is not None,
              timeout=90, message="the agency's org_confirmation consuming")
        assert agency.poll() is None, agency.stdout.read()
        for stage in ("stage1_submit", "stage2_unit_approve", "stage3_report", "stage4_county_approve"):
            getattr(walk, stage)()
        walk.stage5_publicity(clock)
        walk.stage6_assess()
        walk.stage7_report_to_org()
        walk.stage8_county_org()                                  # answered by the agency's process
        until(lambda: walk.status() == "county_org_confirmed", message="the confirmation back in review")
    finally:
        agency.send_signal(signal.SIGTERM)
        output = agency.communicate(timeout=60)[0]
        platform.restart("org_confirmation")
    assert "agency org: org_confirmation running" in output
    assert (tmp_path / "log" / "org_confirmation.log").stat().st_size > 0
