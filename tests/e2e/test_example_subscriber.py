"""The integrator's example (examples/subscriber.py, pika alone) against the running platform, as the
README shows it: with an integrator's broker user it gets exactly the events its binding matches,
each once even when one is delivered twice, and nothing of another county."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import broker_users
from shared import contracts
from shared.testing import rabbit
from tests.e2e.walk import City, Walk, until

ROOT = Path(__file__).resolve().parents[2]
PATTERN = "subsidy.*.440703.#"


@pytest.fixture(scope="module")
def city(platform):
    return City(platform.config.gateway_url)


def topic_matches(pattern: str, key: str) -> bool:
    """AMQP topic matching: ``*`` one word, ``#`` zero or more words."""
    def match(p: list[str], k: list[str]) -> bool:
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and p[0] in ("*", k[0]) and match(p[1:], k[1:])
    return match(pattern.split("."), key.split("."))


def test_topic_matching_of_the_check_itself():
    assert topic_matches("subsidy.*.440703.#", "subsidy.440700.440703.application.submitted")
    assert not topic_matches("subsidy.*.440703.#", "subsidy.440700.440704.application.submitted")
    assert not topic_matches("subsidy.*.440703.#", "housing.440700.440703.remittance.approved")


def test_the_example_subscriber_gets_exactly_its_events_once(city, platform, tmp_path):
    uri = broker_users.add_integrator(platform.config.amqp_uri, "example",
                                      prefix=platform.config.broker_user_prefix).replace("pyamqp://", "amqp://", 1)
    tap = rabbit.Tap(platform.vhost, [contracts.INTEGRATION_EXCHANGE])
    subscriber = subprocess.Popen(
        [sys.executable, str(ROOT / "examples" / "subscriber.py"), "--uri", uri, "--name", "example",
         "--bind", PATTERN, "--idle", "5", "--seen-file", str(tmp_path / "seen")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert subscriber.stderr.readline().startswith("# consuming integrator.example.events")
        ours, theirs = Walk(city, "440703"), Walk(city, "440704")
        for walk in (ours, theirs):
            walk.stage1_submit()
            walk.stage2_unit_approve()
            walk.stage3_report()
            walk.stage4_county_approve()
        seen = []
        until(lambda: {(m["body"]["subject"], m["body"]["type"]) for m in seen.extend(tap.drain()) or seen}
              >= {(w.app_id, "application.county_approved") for w in (ours, theirs)},
              timeout=60, message="both approvals on platform.events")
        duplicate = next(m for m in seen if m["body"]["subject"] == ours.app_id)
        rabbit.publish(platform.vhost, contracts.INTEGRATION_EXCHANGE, duplicate["routing_key"], duplicate["body"])
        out, err = subscriber.communicate(timeout=120)
    finally:
        if subscriber.poll() is None:
            subscriber.kill()
    assert subscriber.returncode == 0, err
    seen += tap.drain(wait=1)
    printed = [json.loads(line) for line in out.splitlines()]
    expected = [m["body"]["id"] for m in seen if topic_matches(PATTERN, m["routing_key"])]
    got = [p["envelope"]["id"] for p in printed]
    assert len(got) == len(set(got)), "an envelope printed twice"
    assert sorted(got) == sorted(set(expected))
    our_types = [p["envelope"]["type"] for p in printed if p["envelope"]["subject"] == ours.app_id]
    assert our_types[:4] == ["application.submitted", "application.unit_approved", "application.reported",
                             "application.county_approved"]
    assert not [p for p in printed if p["envelope"]["subject"] == theirs.app_id]
    assert all(p["routing_key"].split(".")[2] == "440703" for p in printed)
    assert len((tmp_path / "seen").read_text().split()) == len(got)
