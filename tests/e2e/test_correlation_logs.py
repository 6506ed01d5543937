"""JSON log lines with the correlation id (issue 16): one stage-4 approval sent with an X-Request-Id is
found, by that id, in the log lines of the gateway, of subsidy_review that took the command and of the
services that took its event, every line a JSON object."""
import json
import uuid

import pytest

from shared import contracts
from shared.testing import rabbit
from tests.e2e.walk import City, Walk, eventually, until


@pytest.fixture(scope="module")
def city(platform):
    return City(platform.config.gateway_url)


def lines_with(platform, process: str, correlation_id: str) -> list[dict]:
    found = []
    for raw in (platform.log_dir / f"{process}.log").read_text(encoding="utf-8", errors="replace").splitlines():
        if correlation_id in raw:
            found.append(json.loads(raw))          # a line naming the id is a JSON object
    return [entry for entry in found if entry.get("correlation_id") == correlation_id]


def test_one_id_across_the_gateway_the_service_and_the_event_consumers(city, platform):
    walk = Walk(city)
    walk.stage1_submit()
    walk.stage2_unit_approve()
    walk.stage3_report()
    request_id = f"corr-{uuid.uuid4().hex}"
    walk.officer("county").post(f"/applications/{walk.app_id}/approve", {"opinion": "审核通过"},
                                headers={"X-Request-Id": request_id})
    eventually(lambda: walk.officer("county").get(f"/publicity-cases/{walk.app_id}"), timeout=30)
    consumers = contracts.consumers_of("application.county_approved")
    until(lambda: all(rabbit.queue_depth(platform.vhost, contracts.queue_name(c, "application.county_approved"))[0]
                      == 0 for c in consumers), message="every consumer took the approval")

    gateway = until(lambda: lines_with(platform, "gateway", request_id), timeout=10, message="gateway lines")
    assert any(e.get("kind") == "access" and e["status"] == 200 and e["method"] == "POST" for e in gateway)
    review = until(lambda: lines_with(platform, "subsidy_review", request_id), timeout=10,
                   message="subsidy_review lines")
    assert any(e["message"].startswith("rpc ") and e["process"] == "subsidy_review" for e in review)
    handled = {}
    for consumer in consumers:
        entries = until(lambda c=consumer: lines_with(platform, c, request_id), timeout=10,
                        message=f"{consumer} lines")
        handled[consumer] = [e for e in entries if e.get("consumer", "").startswith(consumer)]
        assert handled[consumer], f"{consumer} logged no handled event with the id"
    assert "publicity_assessment" in handled and len({"gateway", "subsidy_review", *handled}) >= 3
    # and every other line of these processes is a JSON object of theirs too
    for process in ("gateway", "subsidy_review", "publicity_assessment"):
        for line in (platform.log_dir / f"{process}.log").read_text(encoding="utf-8").splitlines():
            assert json.loads(line)["process"] == process, line
