"""注册新单位 (an employer's account opening) on a fake unit of work: registration, the bureau's review
with its trade code, returns and resubmissions, every round kept."""
from __future__ import annotations

import pytest

from housing_fund import use_cases
from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound

from .conftest import BUREAU, JIANGHAI_BUREAU, MOBILE, PENGJIANG, PUBLIC, make_uscc


def form(world, **patch) -> dict:
    data = {"name": "江门市测试单位", "uscc": make_uscc(), "region": PENGJIANG, "address": "江门市蓬江区建设路1号",
            "legal_person": "王建国", "contact_name": "李经办", "bank_name": "中国工商银行江门分行",
            "bank_account_name": "江门市测试单位", "bank_account_no": "6222020000001234",
            "attachments": [world.attachments.upload("employer_license")]}
    return {**data, **patch}


def registered(world, **patch) -> dict:
    return use_cases.register_employer(world.tx(PUBLIC), MOBILE, form(world, **patch))


def test_a_registration_waits_for_the_bureau_with_its_first_round(world):
    tx = world.tx(PUBLIC)
    mine = use_cases.register_employer(tx, MOBILE, form(world))
    assert (mine["status"], mine["review_status"], mine["round"], mine["trade_code"]) == ("02", "pending", 1, None)
    assert mine["org_code"] == mine["uscc"][8:17] and mine["contact_mobile"] == MOBILE
    assert [r["decision_label"] for r in mine["rounds"]] == ["待审核"] and len(mine["attachments"]) == 1
    assert tx.event_types() == ["employer.registered"] and tx.audit_actions() == ["employer.register"]
    assert use_cases.my_registrations(world.tx(PUBLIC), MOBILE)["items"][0]["id"] == mine["id"]


def test_a_registration_is_refused_without_a_licence_twice_for_one_code_and_with_fields_missing(world):
    with pytest.raises(InvalidInput) as info:
        registered(world, attachments=[])
    assert info.value.code == "attachment.required"
    with pytest.raises(InvalidInput) as info:
        registered(world, attachments=[world.attachments.upload("employee_material")])
    assert info.value.code == "attachment.unknown"
    with pytest.raises(InvalidInput) as info:
        registered(world, legal_person=" ")
    assert info.value.code == "employer.fields_required" and "legal_person" in info.value.details["fields"]
    first = registered(world)
    with pytest.raises(Conflict) as info:
        registered(world, uscc=first["uscc"])
    assert info.value.code == "employer.already_registered"
    assert len(world.employers.rows) == 1


def test_approval_gives_the_next_trade_code_and_makes_the_employer_normal(world):
    first, second = registered(world), registered(world)
    tx = world.tx()
    approved = use_cases.approve_employer(tx, first["id"], " 材料齐全 ")
    assert (approved["status"], approved["review_status"], approved["trade_code"]) == ("01", "approved", "10001")
    assert approved["rounds"][0]["decision"] == "approved" and approved["rounds"][0]["opinion"] == "材料齐全"
    assert tx.event_types() == ["employer.approved"] and tx.audited[0].after["trade_code"] == "10001"
    assert use_cases.approve_employer(world.tx(), second["id"])["trade_code"] == "10002"
    with pytest.raises(IllegalTransition):
        use_cases.approve_employer(world.tx(), first["id"])


def test_only_the_bureau_of_the_area_reviews(world):
    mine = registered(world)
    with pytest.raises(NotFound) as info:
        use_cases.approve_employer(world.tx(JIANGHAI_BUREAU), mine["id"])
    assert info.value.code == "employer.not_found"
    assert world.employers.rows[mine["id"]]["review_status"] == "pending"


def test_a_return_needs_an_opinion_and_the_corrected_registration_is_a_second_round(world):
    mine = registered(world)
    with pytest.raises(InvalidInput):
        use_cases.return_employer(world.tx(), mine["id"], " ")
    returned = use_cases.return_employer(world.tx(), mine["id"], "营业执照不清晰")
    assert (returned["review_status"], returned["opinion"]) == ("returned", "营业执照不清晰")
    with pytest.raises(NotFound):   # only the mobile that registered it may correct it
        use_cases.resubmit_employer(world.tx(PUBLIC), "13800000009", mine["id"], form(world, uscc=mine["uscc"]))
    tx = world.tx(PUBLIC, days=1)
    again = use_cases.resubmit_employer(tx, MOBILE, mine["id"], form(world, uscc=mine["uscc"], name="江门市新名称"))
    assert (again["review_status"], again["round"], again["name"], again["opinion"]) == (
        "pending", 2, "江门市新名称", None)
    assert [(r["round"], r["decision"]) for r in again["rounds"]] == [(1, "returned"), (2, None)]
    assert tx.event_types() == ["employer.resubmitted"] and tx.audited[0].before == {"review_status": "returned",
                                                                                    "round": 1}
    with pytest.raises(IllegalTransition):   # pending again: not resubmittable
        use_cases.resubmit_employer(world.tx(PUBLIC), MOBILE, mine["id"], form(world, uscc=mine["uscc"]))


def test_an_employer_change_waits_for_the_bureau_and_takes_effect_at_its_approval(world):
    from housing_fund.use_cases import changes

    employer = world.employer()
    world.employers.update(employer, {"contact_mobile": "13800000002", "profile": {"address": "旧地址"}})
    clerk = world.clerk(employer)
    material = [world.attachments.upload("employer_change", clerk)]
    for data, code in [({}, "employer_change.empty"), ({"uscc": make_uscc()}, "employer_change.field_not_changeable"),
                       ({"address": "旧地址"}, "employer_change.no_difference")]:
        with pytest.raises(InvalidInput) as info:
            changes.request_change(world.tx(clerk), data, material)
        assert info.value.code == code
    with pytest.raises(InvalidInput) as info:
        changes.request_change(world.tx(clerk), {"address": "新地址"})
    assert info.value.code == "attachment.required"
    asked = world.tx(clerk)
    pending = changes.request_change(asked, {"address": "新地址", "contact_mobile": "13800000003"}, material)
    assert pending["status"] == "pending"
    assert pending["labels"] == {"address": "单位地址", "contact_mobile": "联系人手机"}
    assert asked.event_types() == ["employer.change_requested"]
    assert "contact_mobile" not in asked.emitted[0].data["changes"]   # no mobile in the event's changes
    with pytest.raises(Conflict) as info:
        changes.request_change(world.tx(clerk), {"phone": "0750-1234567"},
                               [world.attachments.upload("employer_change", clerk)])
    assert info.value.code == "employer_change.pending_exists"
    assert world.employers.rows[employer]["profile"] == {"address": "旧地址"}
    approving = world.tx(BUREAU)
    approved = changes.approve_change(approving, pending["id"], "同意")
    assert approved["status"] == "approved" and approved["employer"]["address"] == "新地址"
    assert world.employers.rows[employer]["contact_mobile"] == "13800000003"
    assert approving.event_types() == ["employer.changed"] and approving.emitted[0].data["mobile"] == "13800000003"
    with pytest.raises(IllegalTransition):
        changes.return_change(world.tx(BUREAU), pending["id"], "晚了")


def test_a_returned_employer_change_needs_an_opinion_and_changes_nothing(world):
    from housing_fund.use_cases import changes

    employer = world.employer()
    clerk = world.clerk(employer)
    pending = changes.request_change(world.tx(clerk), {"legal_person": "新法人"},
                                     [world.attachments.upload("employer_change", clerk)])
    with pytest.raises(InvalidInput):
        changes.return_change(world.tx(BUREAU), pending["id"], None)
    with pytest.raises(NotFound):   # another county's bureau
        changes.return_change(world.tx(JIANGHAI_BUREAU), pending["id"], "不同意")
    tx = world.tx(BUREAU)
    assert changes.return_change(tx, pending["id"], "材料不全")["status"] == "returned"
    assert tx.event_types() == ["employer.change_returned"] and world.employers.rows[employer]["profile"] == {}


def test_the_bureau_sets_an_employer_s_status_with_a_reason_and_the_change_is_recorded(world):
    from housing_fund.use_cases import employer_status

    employer = world.employer()
    world.employee(employer, fen=100000, periods=1)
    with pytest.raises(InvalidInput) as info:
        employer_status.set_status(world.tx(BUREAU), employer, "defer", " ")
    assert info.value.code == "employer_status.reason_required"
    tx = world.tx(BUREAU)
    deferred = employer_status.set_status(tx, employer, "defer", "经营困难")
    assert (deferred["status"], deferred["status_label"]) == ("03", "缓缴")
    assert sorted(a["action"] for a in deferred["status_actions"]) == ["close", "resume", "seal"]
    assert deferred["housing"]["employee_total"] == 1 and deferred["housing"]["booked_total_fen"] == 100000
    assert [(c["before"], c["after"], c["status"]) for c in deferred["changes"]] == [
        ({"status": "01"}, {"status": "03"}, "approved")]
    assert tx.event_types() == ["employer.changed"] and tx.audit_actions() == ["employer.status_defer"]
    with pytest.raises(Conflict) as info:   # an employee still holds an account here
        employer_status.set_status(world.tx(BUREAU), employer, "close", "注销")
    assert info.value.code == "employer_status.employees_remain" and info.value.details == {"employees": 1}
    with pytest.raises(IllegalTransition):
        employer_status.set_status(world.tx(BUREAU), employer, "defer", "再次缓缴")


def test_an_employer_with_an_unfinished_remittance_is_neither_sealed_nor_closed(world):
    from housing_fund.use_cases import employer_status
    from housing_fund.use_cases.remittances import submission

    employer = world.employer()
    clerk = world.clerk(employer)
    someone = world.employee(employer)
    submission.submit(world.tx(clerk), {"mode": "remit", "month": "202611", "lines": [{"employee_id": someone}]})
    for action in ("seal", "close"):
        with pytest.raises(Conflict) as info:
            employer_status.set_status(world.tx(BUREAU), employer, action, "停业")
        assert info.value.code == "employer_status.unfinished_remittance"
    assert world.employers.rows[employer]["status"] == "01"
