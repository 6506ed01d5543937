"""The operator's CLI (``platform-admin``, issue 16) against the running platform: the outbox backlog of
every service, and events of a time range published again with the same ids, taken once by consumers."""
import datetime as dt
import subprocess
import sys

import pytest

from shared.testing import rabbit
from tests.e2e.walk import City, Walk, until


@pytest.fixture(scope="module")
def city(platform):
    return City(platform.config.gateway_url)


def admin(platform, *args):
    return subprocess.run([sys.executable, "-m", "shared.admin_cli", *args], env=platform.config.env(),
                          capture_output=True, text=True, timeout=120)


def test_outbox_backlog_of_every_service(platform):
    result = admin(platform, "outbox")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["service", "unsent", "oldest(s)", "failing", "sent"]
    assert sorted(line.split()[0] for line in lines[1:]) == sorted(
        ["identity", "unit_registry", "subsidy_review", "publicity_assessment", "org_confirmation",
         "finance_disbursement", "housing_fund"])
    assert all(int(line.split()[4]) > 0 for line in lines[1:] if line.split()[0] in ("identity", "unit_registry"))


def test_republish_a_time_range_with_the_same_ids_taken_once(city, platform):
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
    walk = Walk(city)
    walk.stage1_submit()
    timeline = lambda: walk.graduate.get(f"/applications/{walk.app_id}/timeline")["history"]  # noqa: E731
    messages = lambda: walk.graduate.get("/messages")                                         # noqa: E731
    until(lambda: len(timeline()) >= 1, message="the submission on the timeline")
    queue = "identity.application.submitted"            # identity turns it into the graduate's message
    until(lambda: rabbit.queue_depth(platform.vhost, queue)[0] == 0, message="the submission consumed")
    before, messages_before = timeline(), messages()
    tap = rabbit.Tap(platform.vhost, ["subsidy_review.events"], "application.submitted")
    dry = admin(platform, "republish", "--service", "subsidy_review", "--since", since,
                "--type", "application.submitted", "--dry-run")
    assert dry.returncode == 0 and "subsidy_review: 1 event(s) would publish again" in dry.stdout, dry.stdout
    done = admin(platform, "republish", "--service", "subsidy_review", "--since", since,
                 "--type", "application.submitted")
    assert done.returncode == 0 and "1 event(s) queued" in done.stdout, done.stdout + done.stderr
    again = tap.drain(wait=15, until=1)
    assert [m["body"]["subject"] for m in again] == [walk.app_id]
    assert again[0]["body"]["type"] == "application.submitted"
    until(lambda: rabbit.queue_depth(platform.vhost, queue)[0] == 0, message="the copy consumed")
    assert timeline() == before and messages() == messages_before      # the inboxes took it once
    bad = admin(platform, "republish", "--service", "nobody", "--since", since)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
