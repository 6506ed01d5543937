"""Stages 5-7 on a fake unit of work: a county approval opens a case, publicity runs in batches with
objections, then assessment and the report to the county organisation department."""
from __future__ import annotations

from datetime import date

import pytest

from publicity_assessment import use_cases
from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound, RateLimited

from .conftest import JIANGHAI, county_approved

OBJECTION = {"reason": "该申请人并非本单位员工", "contact_name": "李四", "contact_phone": "13800000009"}


def started(world, count: int = 1) -> tuple[str, list[str]]:
    """``count`` received applications put in one publicity batch: (batch id, application ids)."""
    ids = [world.arrived() for _ in range(count)]
    batch = use_cases.start_publicity(world.tx("county_hrss"), ids)
    return batch["id"], ids


def lodged(world, application_id: str, ip: str | None = "10.0.0.1", **tx_kwargs) -> str:
    return use_cases.lodge_objection(world.tx("public", **tx_kwargs), {**OBJECTION, "application_id": application_id},
                                     ip)["id"]


def after_publicity(world, batch_id: str) -> int:
    """Days from the FakeTx's time to the first day after the batch's last day."""
    return (world.batches.find(batch_id)["ends_on"] - date(2026, 11, 25)).days + 1


def test_a_county_approval_opens_a_case_once_and_a_new_round_restarts_a_waiting_one(world):
    event = county_approved()
    application_id = event.data["application_id"]
    tx = world.tx("system")
    assert use_cases.receive_county_approval(tx, event) == "create"
    case = world.cases.find(application_id)
    assert (case["status"], case["round"], case["batch_id"]) == ("awaiting_publicity", 1, None)
    assert tx.audit_actions() == ["case.receive"] and tx.event_types() == []
    assert use_cases.receive_county_approval(world.tx("system"), event) == "ignore"      # the broker repeats it
    use_cases.start_publicity(world.tx("county_hrss"), [application_id])
    again = county_approved(application_id, round_=2)
    assert use_cases.receive_county_approval(world.tx("system"), again) == "ignore"      # in publicity: not now
    world.cases.patch(application_id, {"status": "objection_upheld"})
    tx = world.tx("system")
    assert use_cases.receive_county_approval(tx, again) == "new_round"
    case = world.cases.find(application_id)
    assert (case["status"], case["round"], case["batch_id"]) == ("awaiting_publicity", 2, None)
    assert tx.audit_actions() == ["case.new_round"]


def test_publicity_starts_for_the_ticked_cases_as_one_numbered_batch(world):
    ids = [world.arrived(), world.arrived()]
    tx = world.tx("county_hrss")
    batch = use_cases.start_publicity(tx, ids)
    assert batch["batch_no"] == "GS440703-20261125-01" and batch["status"] == "open"
    assert batch["starts_on"] == "2026-11-25" and batch["ends_on"] > batch["starts_on"]
    assert batch["case_count"] == 2 and batch["pending_objections"] == 0
    assert {c["status"] for c in batch["cases"]} == {"in_publicity"}
    assert tx.event_types() == ["publicity_batch.started"] + ["application.publicity_started"] * 2
    assert tx.emitted[0].data["application_ids"] == ids
    assert tx.audit_actions() == ["case.start_publicity"] * 2 + ["publicity_batch.start"]
    second = use_cases.start_publicity(world.tx("county_hrss"), [world.arrived()])
    assert second["batch_no"] == "GS440703-20261125-02"


def test_publicity_refuses_a_case_outside_the_county_or_in_the_wrong_stage_and_changes_nothing(world):
    mine, theirs = world.arrived(), world.arrived(county=JIANGHAI)
    tx = world.tx("county_hrss")
    with pytest.raises(NotFound) as info:
        use_cases.start_publicity(tx, [mine, theirs])
    assert info.value.code == "case.not_found" and info.value.details == {"application_id": theirs}
    assert world.cases.find(mine)["status"] == "awaiting_publicity" and world.batches.rows == {}
    assert tx.emitted == [] and tx.audited == []
    use_cases.start_publicity(world.tx("county_hrss"), [mine])
    with pytest.raises(IllegalTransition) as info:
        use_cases.start_publicity(world.tx("county_hrss"), [mine])
    assert info.value.status == 409 and info.value.details["application_id"] == mine
    with pytest.raises(InvalidInput):
        use_cases.start_publicity(world.tx("county_hrss"), [])


def test_a_batch_ends_only_after_its_last_day_and_with_every_objection_settled(world):
    batch_id, ids = started(world, 2)
    with pytest.raises(Conflict) as info:
        use_cases.end_publicity(world.tx("county_hrss"), batch_id)
    assert info.value.code == "publicity.not_ended"
    objection_id = lodged(world, ids[0])
    later = after_publicity(world, batch_id)
    with pytest.raises(Conflict) as info:
        use_cases.end_publicity(world.tx("county_hrss", days=later), batch_id)
    assert info.value.code == "publicity.objections_pending" and info.value.details == {"pending": 1}
    assert use_cases.due_batch_ids(world.tx("system", days=later)) == []
    use_cases.dismiss_objection(world.tx("county_hrss"), objection_id, "经核查，异议不成立")
    assert use_cases.due_batch_ids(world.tx("system", days=later - 1)) == []                  # the last day
    assert use_cases.due_batch_ids(world.tx("system", days=later)) == [batch_id]
    tx = world.tx("county_hrss", days=later)
    batch = use_cases.end_publicity(tx, batch_id)
    assert batch["status"] == "ended" and {c["status"] for c in batch["cases"]} == {"publicity_passed"}
    assert tx.event_types() == ["application.publicity_ended"] * 2
    assert tx.audit_actions() == ["case.publicity_passed"] * 2 + ["publicity_batch.end"]
    with pytest.raises(IllegalTransition):
        use_cases.end_publicity(world.tx("county_hrss", days=later), batch_id)
    assert use_cases.end_due_batch(world.tx("system", days=later), batch_id) is None        # ended already


def test_the_timer_ends_a_due_batch_and_counts_the_passed_applications(world):
    batch_id, ids = started(world, 3)
    later = after_publicity(world, batch_id)
    assert use_cases.end_due_batch(world.tx("system", days=later - 1), batch_id) is None    # not over yet
    tx = world.tx("system", days=later)
    assert use_cases.end_due_batch(tx, batch_id) == 3
    assert tx.event_types() == ["application.publicity_ended"] * 3
    assert world.batches.find(batch_id)["status"] == "ended"


def test_an_objection_is_taken_during_publicity_only(world):
    waiting = world.arrived()
    with pytest.raises(Conflict) as info:
        lodged(world, waiting)
    assert info.value.code == "objection.not_in_publicity"
    with pytest.raises(NotFound) as info:
        use_cases.lodge_objection(world.tx("public"), {**OBJECTION, "application_no": "SQ440703NOSUCH"}, None)
    assert info.value.code == "case.not_found"
    batch_id, [application_id] = started(world)
    number = world.cases.find(application_id)["application_no"]
    tx = world.tx("public")
    answer = use_cases.lodge_objection(tx, {**OBJECTION, "application_no": number}, "10.0.0.1")
    assert (answer["application_id"], answer["status"], answer["status_label"]) == (application_id, "pending",
                                                                                    "待处理")
    assert tx.event_types() == ["objection.lodged"] and tx.audit_actions() == ["objection.lodge"]
    assert world.objections.serialised[-2:] == ["ip:10.0.0.1", "application:" + application_id]
    last_day = after_publicity(world, batch_id) - 1
    lodged(world, application_id, days=last_day)                                            # all of the last day
    with pytest.raises(Conflict) as info:
        lodged(world, application_id, days=last_day + 1)
    assert info.value.code == "objection.publicity_ended"
    assert len(world.objections.rows) == 2


def test_objections_are_throttled_per_address_and_application_and_a_refusal_stores_nothing(world):
    _, [application_id] = started(world)
    for _ in range(3):
        lodged(world, application_id, "10.0.0.7")
    with pytest.raises(RateLimited) as info:
        lodged(world, application_id, "10.0.0.7")
    assert info.value.code == "objection.too_many_requests" and info.value.details["limit"] == "per_ip_application"
    assert len(world.objections.rows) == 3
    lodged(world, application_id, "10.0.0.8")                                               # another address
    lodged(world, application_id, "10.0.0.7", days=1)                                       # the window passed
    assert len(world.objections.rows) == 5


def test_an_upheld_objection_sends_the_application_back_and_settles_its_other_objections(world):
    _, [application_id] = started(world)
    first, second = lodged(world, application_id, "10.0.0.1"), lodged(world, application_id, "10.0.0.2")
    with pytest.raises(InvalidInput):
        use_cases.uphold_objection(world.tx("county_hrss"), first, "  ")
    with pytest.raises(NotFound):
        use_cases.uphold_objection(world.tx("other_county_hrss"), first, "异议属实")
    tx = world.tx("county_hrss")
    answer = use_cases.uphold_objection(tx, first, "异议属实")
    assert (answer["status"], answer["opinion"]) == ("upheld", "异议属实")
    assert world.objections.find(second)["status"] == "upheld"
    case = world.cases.find(application_id)
    assert (case["status"], case["opinion"]) == ("objection_upheld", "异议属实")
    assert tx.event_types() == ["application.objection_upheld"]
    assert tx.emitted[0].data["status"] == "pending_county_review"
    assert tx.audit_actions() == ["case.objection_upheld", "objection.uphold", "objection.uphold"]
    with pytest.raises(IllegalTransition):
        use_cases.dismiss_objection(world.tx("county_hrss"), first, "不成立")


def test_a_dismissed_objection_leaves_the_application_in_publicity(world):
    _, [application_id] = started(world)
    objection_id = lodged(world, application_id)
    tx = world.tx("county_hrss")
    answer = use_cases.dismiss_objection(tx, objection_id, "经核查，异议不成立")
    assert answer["status"] == "dismissed" and answer["application_no"] == world.cases.find(application_id)[
        "application_no"]
    assert world.cases.find(application_id)["status"] == "in_publicity"
    assert tx.event_types() == ["objection.dismissed"] and tx.audit_actions() == ["objection.dismiss"]


def test_assessment_passes_or_fails_the_publicised_and_the_passed_are_reported_with_their_snapshot(world):
    batch_id, ids = started(world, 3)
    use_cases.end_publicity(world.tx("county_hrss", days=after_publicity(world, batch_id)), batch_id)
    tx = world.tx("county_hrss")
    assert use_cases.assessment_pass(tx, ids[:2])["count"] == 2
    assert tx.event_types() == ["application.assessment_passed"] * 2
    with pytest.raises(InvalidInput):
        use_cases.assessment_fail(world.tx("county_hrss"), ids[2], "")
    tx = world.tx("county_hrss")
    failed = use_cases.assessment_fail(tx, ids[2], "不符合申领条件")
    assert (failed["status"], failed["opinion"]) == ("assessment_failed", "不符合申领条件")
    assert tx.event_types() == ["application.assessment_failed"]
    with pytest.raises(IllegalTransition):                                                  # failed is final
        use_cases.report_to_county_org(world.tx("county_hrss"), [ids[2]])
    tx = world.tx("county_hrss")
    reported = use_cases.report_to_county_org(tx, ids[:2])
    assert {i["status"] for i in reported["items"]} == {"reported"}
    assert tx.event_types() == ["application.reported_to_county_org"] * 2
    assert tx.emitted[0].data["snapshot"]["bank_account"]["number"] == "6222020000000000011"
    assert tx.emitted[0].data["status"] == "pending_county_org"


def test_the_county_sees_its_counters_and_a_case_with_its_batch_and_objections(world):
    _, [in_publicity] = started(world)
    world.arrived()
    lodged(world, in_publicity)
    counters = {t["key"]: t["count"] for t in use_cases.todos(world.tx("county_hrss"))}
    assert counters == {"publicity.awaiting": 1, "publicity.objections": 1, "assessment.pending": 0,
                        "assessment.to_report": 0}
    assert [t["count"] for t in use_cases.todos(world.tx("other_county_hrss"))] == [0, 0, 0, 0]
    assert use_cases.todos(world.tx("sys_admin")) == []                                     # 2026, 2027 confirmed
    world.calendar.years = {2026}
    assert [t["key"] for t in use_cases.todos(world.tx("sys_admin"))] == ["calendar.year_missing"]
    tx = world.tx("county_hrss")
    case = use_cases.get_case(tx, in_publicity)
    assert case["batch"]["status"] == "open" and len(case["objections"]) == 1
    assert tx.audit_actions() == ["case.view"]
    with pytest.raises(NotFound):
        use_cases.get_case(world.tx("other_county_hrss"), in_publicity)


def test_a_publicity_running_into_a_year_without_a_schedule_is_refused(world):
    application_id = world.arrived()
    world.calendar.years = set()
    with pytest.raises(Conflict) as info:
        use_cases.start_publicity(world.tx("county_hrss"), [application_id])
    assert info.value.code == "calendar.year_missing"
    assert world.cases.find(application_id)["status"] == "awaiting_publicity" and world.batches.rows == {}
