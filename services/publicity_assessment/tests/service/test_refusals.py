"""What the service refuses, and that a refusal changes nothing; repeated and stale events."""
import uuid

import pytest

from shared.testing.helpers import rows, scalar, wait_for


def test_wrong_role_other_county_wrong_order_and_bad_input_change_nothing(desk, issue):
    case = desk.approve()["data"]
    ids = [case["application_id"]]
    before = desk.state()
    unit_token, _ = issue(role="unit_admin", region=None, unit_id=str(uuid.uuid4()))
    jianghai_token, _ = issue(role="county_hrss", region="440704")
    refusals = [
        (403, "auth.forbidden", "start_publicity", (ids,), {"token": unit_token}),
        (403, "auth.forbidden", "list_cases", (), {"role": "county_org"}),
        (403, "auth.forbidden", "set_policy", ("440700", 7, False), {}),
        (404, "case.not_found", "start_publicity", (ids,), {"token": jianghai_token}),
        (404, "case.not_found", "get_case", (case["application_id"],), {"token": jianghai_token}),
        (404, "case.not_found", "start_publicity", ([str(uuid.uuid4())],), {}),
        (409, "case.illegal_transition", "assessment_pass", (ids,), {}),
        (409, "case.illegal_transition", "report_to_county_org", (ids,), {}),
        (409, "case.illegal_transition", "assessment_fail", (case["application_id"], "不符合条件"), {}),
        (409, "objection.not_in_publicity", "lodge_objection",
         ({"application_id": case["application_id"], "reason": "不应享受补贴的理由", "contact_name": "甲",
           "contact_phone": "13800138000"},), {"anonymous": True}),
        (400, "ids.required", "start_publicity", ([],), {}),
        (400, "ids.required", "start_publicity", ("not-a-list",), {}),
        (400, "objection.reason_length", "lodge_objection",
         ({"application_id": case["application_id"], "reason": "短", "contact_name": "甲",
           "contact_phone": "13800138000"},), {"anonymous": True}),
        (400, "mobile.format", "lodge_objection",
         ({"application_id": case["application_id"], "reason": "不应享受补贴的理由", "contact_name": "甲",
           "contact_phone": "10000000000"},), {"anonymous": True}),
        (400, "filter.status_invalid", "list_cases", ({"status": "nonsense"}, 1, 20), {}),
        (400, "pagination.invalid", "list_cases", ({}, 1, 500), {}),
        (400, "invalid_call", "start_publicity", (), {}),
    ]
    for status, code, method, args, kwargs in refusals:
        assert desk.error(method, *args, **kwargs) == (status, code), method
    assert desk.state() == before
    assert desk.call("todos", role="county_org") == []

    batch = desk.call("start_publicity", ids)
    before = desk.state()
    for status, code, method, args, kwargs in [
        (409, "case.illegal_transition", "start_publicity", (ids,), {}),
        (404, "publicity_batch.not_found", "end_publicity", (batch["id"],), {"token": jianghai_token}),
        (404, "publicity_batch.not_found", "get_batch", (batch["id"],), {"token": jianghai_token}),
        (400, "opinion.required", "assessment_fail", (case["application_id"], " "), {}),
    ]:
        assert desk.error(method, *args, **kwargs) == (status, code), method
    assert desk.state() == before
    objection = desk.call("lodge_objection", {"application_id": case["application_id"], "reason": "材料涉嫌造假",
                                              "contact_name": "乙", "contact_phone": "13800138000"}, anonymous=True)
    before = desk.state()
    for status, code, method, args, kwargs in [
        (400, "opinion.required", "uphold_objection", (objection["id"], ""), {}),
        (404, "objection.not_found", "uphold_objection", (objection["id"], "成立"), {"token": jianghai_token}),
        (403, "auth.forbidden", "dismiss_objection", (objection["id"], "不成立"),
         {"role": "sys_admin", "region": None}),
    ]:
        assert desk.error(method, *args, **kwargs) == (status, code), method
    assert desk.state() == before


@pytest.fixture
def one_at_a_time(publicity_assessment_config):
    """One worker: events are handled strictly in queue order, so a later marker proves the earlier
    copies were handled (and not just still in flight)."""
    publicity_assessment_config["max_workers"] = 1


def test_a_repeated_or_stale_county_approval_has_one_effect(one_at_a_time, desk):
    application_id = str(uuid.uuid4())
    first = desk.event(application_id, name="周八")
    stale = desk.event(application_id, name="周八（旧快照）")  # a new event id, the same round
    marker = desk.event(str(uuid.uuid4()), name="吴九")
    for body in [first, first, stale, marker]:
        desk.publish(body)
    wait_for(lambda: desk.inbox_has(marker["id"]), message="the marker, handled after the copies")

    case = desk.case(application_id)
    assert (case["status"], case["round"], case["applicant_name"]) == ("awaiting_publicity", 1, "周八")
    assert scalar(desk.url, "SELECT count(*) FROM platform_audit_log WHERE action='case.receive' "
                            "AND subject_id=:i", i=application_id) == 1
    # the stale copy was received (its id is in the inbox) and ignored; the duplicate never got that far
    inbox = [r["event_id"] for r in rows(desk.url, "SELECT event_id FROM platform_inbox "
                                                   "WHERE event_type='application.county_approved'")]
    assert sorted(inbox) == sorted([first["id"], stale["id"], marker["id"]])
