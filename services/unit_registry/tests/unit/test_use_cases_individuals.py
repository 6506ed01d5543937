"""个人注册 and the unit's review on a fake unit of work: what each step stores, emits and refuses."""
from __future__ import annotations

import pytest

from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from unit_registry import use_cases

from .conftest import PENDING_UNIT, graduate, registration


def registered(world, n: int = 1, **patch) -> dict:
    return use_cases.register_individual(world.tx(graduate(n)), registration(n, **patch))


def test_a_graduate_registers_under_the_unit_of_their_account(world):
    tx = world.tx(graduate())
    mine = use_cases.register_individual(tx, registration())
    assert (mine["status"], mine["unit_name"], mine["region"]) == ("pending", "蓬江示范单位", "440703")
    assert tx.event_types() == ["individual.registered"] and tx.audit_actions() == ["individual.register"]
    assert "bank_account" not in tx.emitted[0].data  # the bank account travels only with the approval
    assert [h["action"] for h in mine["history"]] == ["submitted"]


def test_registration_is_refused_twice_for_a_taken_id_number_and_for_an_unapproved_unit(world):
    registered(world)
    with pytest.raises(Conflict) as info:
        use_cases.register_individual(world.tx(graduate()), registration(2))
    assert info.value.code == "individual.already_registered"
    with pytest.raises(Conflict) as info:
        use_cases.register_individual(world.tx(graduate(2)), registration(1))
    assert info.value.code == "individual.id_number_taken"
    for who, code in [(graduate(3, PENDING_UNIT), "individual.unit_not_approved"),
                      (graduate(4, None), "individual.unit_required")]:
        with pytest.raises(InvalidInput) as info:
            use_cases.register_individual(world.tx(who), registration(5))
        assert info.value.code == code
    with pytest.raises(InvalidInput):
        use_cases.register_individual(world.tx(graduate(6)), registration(6, degree="phd"))
    assert len(world.individuals.rows) == 1


def test_the_clerk_approves_and_the_approval_hands_on_the_bank_account(world):
    mine = registered(world)
    tx = world.tx("clerk")
    result = use_cases.approve_individual(tx, mine["id"], " 材料齐全 ")
    assert (result["status"], result["opinion"]) == ("approved", "材料齐全")
    assert tx.event_types() == ["individual.approved"] and tx.emitted[0].data["bank_account"]["holder"] == "王五"
    assert tx.audited[0].before["status"] == "pending" and tx.audited[0].after["status"] == "approved"
    with pytest.raises(IllegalTransition) as info:
        use_cases.approve_individual(world.tx("clerk"), mine["id"])
    assert info.value.code == "individual.illegal_transition"


def test_a_return_needs_an_opinion_and_the_graduate_resubmits(world):
    mine = registered(world)
    for bad in [None, " ", 3, "意" * 501]:
        with pytest.raises(InvalidInput):
            use_cases.return_individual(world.tx("clerk"), mine["id"], bad)
    with pytest.raises(IllegalTransition):  # not returned yet
        use_cases.resubmit_individual(world.tx(graduate()), registration())
    assert use_cases.return_individual(world.tx("clerk"), mine["id"], "银行卡号不符")["status"] == "returned"
    with pytest.raises(InvalidInput):
        use_cases.resubmit_individual(world.tx(graduate()), registration(mobile="123"))
    tx = world.tx(graduate())
    again = use_cases.resubmit_individual(tx, registration(name="王五一"))
    assert (again["status"], again["round"], again["name"]) == ("pending", 2, "王五一")
    assert [h["action"] for h in again["history"]] == ["submitted", "returned", "resubmitted"]
    assert tx.event_types() == ["individual.resubmitted"]


def test_another_units_clerk_and_another_county_see_nothing(world):
    mine = registered(world)
    with pytest.raises(NotFound):
        use_cases.approve_individual(world.tx("other_clerk"), mine["id"])
    for who in ["other_clerk", "other_county_hrss", graduate(9)]:
        with pytest.raises(NotFound):
            use_cases.get_individual(world.tx(who), mine["id"])
    tx = world.tx("county_hrss")
    assert use_cases.get_individual(tx, mine["id"])["id_number"] == mine["id_number"]
    assert tx.audit_actions() == ["individual.read"]


def test_approve_all_takes_the_pending_or_only_the_ticked(world):
    first, second, third = (registered(world, n)["id"] for n in (1, 2, 3))
    use_cases.return_individual(world.tx("clerk"), third, "补材料")
    assert use_cases.approve_all_individuals(world.tx("clerk"), [second])["individual_ids"] == [second]
    assert use_cases.approve_all_individuals(world.tx("clerk"))["individual_ids"] == [first]
    for bad in [[], "x", [1]]:
        with pytest.raises(InvalidInput):
            use_cases.approve_all_individuals(world.tx("clerk"), bad)
    with pytest.raises(NotFound):
        use_cases.approve_all_individuals(world.tx("other_clerk"), [third])


def test_approve_all_works_a_slice_at_a_time_and_writes_for_each(world, monkeypatch):
    monkeypatch.setattr("unit_registry.use_cases.review.SLICE", 2)
    ids = [registered(world, n)["id"] for n in (1, 2, 3, 4, 5)]
    tx = world.tx("clerk")
    answer = use_cases.approve_all_individuals(tx)  # oldest first (the fake clock: all at once, by id)
    assert answer["approved"] == 5 and sorted(answer["individual_ids"]) == sorted(ids)
    assert [e.subject for e in tx.emitted] == answer["individual_ids"]
    assert tx.event_types() == ["individual.approved"] * 5
    assert tx.audit_actions() == ["individual.approve"] * 5
    assert {use_cases.get_individual(world.tx("clerk"), i)["status"] for i in ids} == {"approved"}


NEW_ACCOUNT = {"holder": "王五", "bank": "中国建设银行江门分行", "number": "6217000000000000099"}


def test_an_approved_graduate_corrects_their_own_bank_account_audited_and_published(world):
    mine = registered(world)
    with pytest.raises(Conflict) as info:  # not before the unit approved the registration
        use_cases.change_bank_account(world.tx(graduate()), NEW_ACCOUNT)
    assert info.value.code == "individual.not_approved"
    use_cases.approve_individual(world.tx("clerk"), mine["id"])
    old = dict(world.individuals.rows[mine["id"]])
    for bad, code in [({**NEW_ACCOUNT, "holder": "李四"}, "bank_account.holder_mismatch"),
                      ({**NEW_ACCOUNT, "number": "1234"}, "bank_account.number_format"),
                      ({**NEW_ACCOUNT, "bank": " "}, None), (None, "bank_account.required")]:
        tx = world.tx(graduate())
        with pytest.raises(InvalidInput) as info:
            use_cases.change_bank_account(tx, bad)
        assert code is None or info.value.code == code
        assert tx.emitted == [] and tx.audited == [] and world.individuals.rows[mine["id"]] == old
    tx = world.tx(graduate())
    result = use_cases.change_bank_account(tx, NEW_ACCOUNT)
    assert result["bank_account"] == NEW_ACCOUNT and result["status"] == "approved"
    assert tx.event_types() == ["individual.bank_account_changed"]
    assert tx.emitted[0].data["bank_account"] == NEW_ACCOUNT and tx.emitted[0].data["account_id"] == old["account_id"]
    assert tx.audit_actions() == ["individual.bank_account_change"]
    assert tx.audited[0].after["number"] == "***************0099"  # the audit keeps no full card number
    assert tx.audited[0].before["bank"] == old["bank_name"]
    again = world.tx(graduate())
    use_cases.change_bank_account(again, NEW_ACCOUNT)  # the same account again: nothing happens
    assert again.emitted == [] and again.audited == []
    with pytest.raises(NotFound):  # the clerk has no registration of their own
        use_cases.change_bank_account(world.tx("clerk"), NEW_ACCOUNT)
