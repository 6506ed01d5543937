"""The public objection form is throttled (issue 9 item 10): per client address, per address and
application, per application (numbers from data/objection_limits.yaml); a refusal is 429
objection.too_many_requests with retry_after and stores nothing."""
import pytest
from nameko.exceptions import RemoteError

from publicity_assessment.use_cases.objections import objection_limits
from shared.errors import from_remote
from shared.testing.helpers import scalar

LIMITS = objection_limits()


def refused(desk, *args, **kwargs):
    with pytest.raises(RemoteError) as info:
        desk.call("lodge_objection", *args, anonymous=True, **kwargs)
    return from_remote(info.value.exc_type, info.value.value)


def form(case: dict, n: int) -> dict:
    return {"application_no": case["application_no"], "reason": f"第{n}份异议：申请人情况不实",
            "contact_name": "举报人", "contact_phone": "13912345678"}


def test_one_address_gets_per_ip_application_objections_on_one_application_then_429(desk, tap):
    wang = desk.approve(name="王五")["data"]
    zhao = desk.approve(name="赵六")["data"]
    desk.call("start_publicity", [wang["application_id"], zhao["application_id"]])
    for n in range(LIMITS["per_ip_application"]):
        desk.call("lodge_objection", form(wang, n), "203.0.113.7", anonymous=True)
    before = desk.state()
    error = refused(desk, form(wang, 99), "203.0.113.7")
    assert (error.status, error.code) == (429, "objection.too_many_requests")
    assert "分钟后再试" in error.message
    assert 0 < error.details["retry_after"] <= LIMITS["window_minutes"] * 60
    assert desk.state() == before                       # nothing stored, no event, no audit line
    # another address, and the same address on another application, still get through
    desk.call("lodge_objection", form(wang, 100), "203.0.113.8", anonymous=True)
    desk.call("lodge_objection", form(zhao, 101), "203.0.113.7", anonymous=True)
    # the address is never shown to the county
    page = desk.call("list_objections", {}, 1, 50)
    assert page["total"] == LIMITS["per_ip_application"] + 2
    assert all("client_ip" not in item for item in page["items"])


def test_one_address_gets_per_ip_objections_in_the_window_whatever_the_application(desk):
    count = LIMITS["per_ip"] // LIMITS["per_ip_application"] + 1
    cases = [desk.approve(name=f"申请人{n}")["data"] for n in range(count)]
    desk.call("start_publicity", [c["application_id"] for c in cases])
    lodged = 0
    for case in cases:
        for _ in range(LIMITS["per_ip_application"]):
            if lodged < LIMITS["per_ip"]:
                desk.call("lodge_objection", form(case, lodged), "198.51.100.1", anonymous=True)
                lodged += 1
    error = refused(desk, form(cases[-1], 99), "198.51.100.1")
    assert (error.status, error.code, error.details["limit"]) == (429, "objection.too_many_requests", "per_ip")
    assert scalar(desk.url, "SELECT count(*) FROM objections WHERE client_ip='198.51.100.1'") == LIMITS["per_ip"]
    # an hour later the window has moved on
    desk.move_clock((LIMITS["window_minutes"] + 1) / 1440)
    desk.call("lodge_objection", form(cases[-1], 100), "198.51.100.1", anonymous=True)


def test_one_application_gets_per_application_objections_from_all_addresses(desk):
    wang = desk.approve(name="王五")["data"]
    desk.call("start_publicity", [wang["application_id"]])
    for n in range(LIMITS["per_application"]):
        desk.call("lodge_objection", form(wang, n), f"192.0.2.{n + 1}", anonymous=True)
    error = refused(desk, form(wang, 99), "192.0.2.250")
    assert (error.status, error.code, error.details["limit"]) == (429, "objection.too_many_requests",
                                                                  "per_application")
    assert scalar(desk.url, "SELECT count(*) FROM objections") == LIMITS["per_application"]
