"""Stages 1-4 of an application run on a fake unit of work: what each decision changes, emits, records
and refuses (no database, no broker)."""
from __future__ import annotations

import pytest

from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from shared.testing.fake_tx import FakeTx
from subsidy_review import use_cases

FORM = {"degree": "bachelor", "months": 6, "start_date": "2026-07-01"}


def event_of(tx: FakeTx, event_type: str) -> dict:
    [event] = [e for e in tx.emitted if e.type == event_type]
    return event.data


def test_submit_prices_the_application_from_the_city_policy_and_numbers_it(world):
    tx = world.tx("individual")
    result = use_cases.submit_application(tx, FORM)
    assert (result["status"], result["standard_fen"], result["amount_fen"]) == ("pending_unit_review", 80000, 480000)
    assert result["application_no"] == "BZ4407032026000001" and result["policy_version"] == 3
    assert tx.event_types() == ["application.submitted"]
    assert event_of(tx, "application.submitted")["snapshot"]["amount_fen"] == 480000
    assert tx.audit_actions() == ["application.submit"]
    assert len(world.applications.timeline) == 1


def test_a_second_active_application_is_refused(world):
    use_cases.submit_application(world.tx("individual"), FORM)
    tx = world.tx("individual")
    with pytest.raises(Conflict) as info:
        use_cases.submit_application(tx, FORM)
    assert info.value.code == "application.already_active" and tx.emitted == []


def test_submit_with_bad_input_is_400_and_writes_nothing(world):
    tx = world.tx("individual")
    with pytest.raises(InvalidInput):
        use_cases.submit_application(tx, {**FORM, "months": 37})
    assert world.applications.rows == {} and tx.emitted == [] and tx.audited == []


def test_unit_approves_then_reports_to_the_county(world):
    app = world.add()
    tx = world.tx("unit_admin")
    assert use_cases.approve(tx, app["id"], " 材料齐全 ")["status"] == "pending_report"
    assert tx.audit_actions() == ["application.unit_approve"]
    assert event_of(tx, "application.unit_approved")["opinion"] == "材料齐全"
    tx = world.tx("unit_admin")
    result = use_cases.report(tx, [app["id"], app["id"]])
    assert result["reported"] == 1 and result["items"][0]["status"] == "pending_county_review"
    assert world.applications.find(app["id"])["reported_at"] == tx.now


def test_county_approval_freezes_the_bank_account_and_starts_a_round(world):
    app = world.add(status="pending_county_review")
    tx = world.tx("county_hrss")
    result = use_cases.approve(tx, app["id"])
    stored = world.applications.find(app["id"])
    assert result["status"] == "county_approved" and stored["round"] == 1 and stored["bank_account"]["number"]
    data = event_of(tx, "application.county_approved")
    assert data["round"] == 1 and data["snapshot"]["bank_account"]["holder"] == "张三"


def test_county_approval_without_a_bank_account_is_409_and_changes_nothing(world):
    [person] = world.applicants.rows.values()
    person["bank_account"] = {"holder": "张三", "bank": ""}
    app = world.add(status="pending_county_review")
    tx = world.tx("county_hrss")
    with pytest.raises(Conflict) as info:
        use_cases.approve(tx, app["id"])
    assert info.value.code == "applicant.bank_account_missing"
    assert world.applications.find(app["id"])["status"] == "pending_county_review" and tx.emitted == []


def test_a_decision_in_the_wrong_state_is_409(world):
    app = world.add(status="pending_report")
    tx = world.tx("county_hrss")
    with pytest.raises(IllegalTransition) as info:
        use_cases.approve(tx, app["id"])
    assert info.value.status == 409 and info.value.code == "application.illegal_transition"
    with pytest.raises(IllegalTransition):
        use_cases.approve(world.tx("unit_admin"), world.add(status="pending_county_review")["id"])
    assert tx.emitted == []


@pytest.mark.parametrize("who", ["other_county", "other_unit"])
def test_an_application_outside_the_jurisdiction_is_404(world, who):
    app = world.add(status="pending_county_review" if who == "other_county" else "pending_unit_review")
    with pytest.raises(NotFound):
        use_cases.approve(world.tx(who), app["id"])
    with pytest.raises(NotFound):
        use_cases.get_application(world.tx(who), app["id"])


def test_an_unknown_or_malformed_id_is_404(world):
    for bad in ["not-a-uuid", "6f1c1a8e-0000-4000-8000-000000000000"]:
        with pytest.raises(NotFound):
            use_cases.approve(world.tx("unit_admin"), bad)


def test_a_return_needs_an_opinion(world):
    app = world.add()
    for bad in [None, "  ", "x" * 501, 12]:
        with pytest.raises(InvalidInput):
            use_cases.return_application(world.tx("unit_admin"), app["id"], bad)
    tx = world.tx("unit_admin")
    assert use_cases.return_application(tx, app["id"], "缺学历证明")["status"] == "unit_returned"
    assert world.applications.find(app["id"])["opinion"] == "缺学历证明"
    assert tx.audited[0].after == {"status": "unit_returned", "opinion": "缺学历证明"}


def test_county_return_then_resubmit_reprices_and_goes_back_to_the_unit(world):
    app = world.add(status="pending_county_review")
    assert use_cases.return_application(world.tx("county_hrss"), app["id"], "月数有误")["status"] == "county_returned"
    tx = world.tx("individual")
    result = use_cases.resubmit_application(tx, app["id"], {**FORM, "months": 3})
    assert (result["status"], result["amount_fen"], result["opinion"]) == ("pending_unit_review", 240000, None)
    assert event_of(tx, "application.resubmitted")["snapshot"]["months"] == 3


def test_resubmit_only_after_a_return(world):
    app = world.add(status="pending_report")
    with pytest.raises(IllegalTransition):
        use_cases.resubmit_application(world.tx("individual"), app["id"], FORM)
    with pytest.raises(InvalidInput):  # returned, but the form is wrong: 400, nothing changed
        use_cases.resubmit_application(world.tx("individual"), world.add(status="unit_returned")["id"],
                                       {**FORM, "degree": "phd"})


def test_send_back_and_withdraw(world):
    app = world.add(status="pending_report")
    assert use_cases.send_back(world.tx("unit_admin"), app["id"])["status"] == "pending_unit_review"
    assert use_cases.withdraw_application(world.tx("individual"), app["id"])["status"] == "withdrawn"
    with pytest.raises(IllegalTransition):
        use_cases.withdraw_application(world.tx("individual"), app["id"])


def test_report_of_nothing_is_400(world):
    with pytest.raises(InvalidInput):
        use_cases.report(world.tx("unit_admin"), [])


def test_the_bulk_item_approves_and_reports(world):
    app = world.add()
    tx = world.tx("unit_admin")
    assert use_cases.bulk_item(tx, {"application_id": app["id"]})["status"] == "pending_county_review"
    assert tx.event_types() == ["application.unit_approved", "application.reported"]


def test_a_downstream_return_of_the_current_round_sends_it_back_to_the_county(world):
    app = world.add(status="in_publicity", round=1)
    tx = FakeTx(world.tx("county_hrss").principal, service="publicity_assessment")
    event = tx.emit("application.objection_upheld", subject=app["id"], region=app["county"], data={
        "application_id": app["id"], "application_no": app["application_no"], "county": app["county"],
        "city": app["city"], "unit_id": app["unit_id"], "status": "pending_county_review", "round": 1,
        "opinion": "异议成立"})
    use_cases.record_stage_event(world.tx("county_hrss"), event)
    stored = world.applications.find(app["id"])
    assert (stored["status"], stored["opinion"]) == ("pending_county_review", "异议成立")
    assert event.id in world.applications.timeline
