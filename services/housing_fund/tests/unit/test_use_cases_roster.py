"""The roster on a fake unit of work: 职工开户, 封存/启封 (all or none) and 转入/转出 (the balance moves by
two equal and opposite entries)."""
from __future__ import annotations

import pytest

from housing_fund import use_cases
from housing_fund.use_cases import sealing, transfers
from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound

from .conftest import BUREAU, id_number


def person(n: int = 900, **patch) -> dict:
    return {"name": "李四", "id_type": "resident_id", "id_number": id_number(n), "mobile": "13900000900",
            "start_month": "202601", "level": "02", **patch}


def test_an_employer_opens_an_account_at_its_level_with_the_accumulated_balance_booked(world):
    employer = world.employer()
    clerk = world.clerk(employer)
    tx = world.tx(clerk)
    opened = use_cases.open_employee(tx, person(accumulated_periods=12, accumulated_fen=960000,
                                                attachments=[world.attachments.upload("employee_material", clerk)]))
    assert (opened["status"], opened["level"], opened["monthly_fen"], opened["employer_name"]) == (
        "01", "02", 90000, "示范单位")
    assert (opened["periods"], opened["balance_fen"]) == (12, 960000)
    assert [(e["business_code"], e["note"]) for e in opened["ledger"]] == [("01", "历史累计缴存")]
    assert [c["kind"] for c in opened["changes"]] == ["open"]
    assert tx.event_types() == ["employee.opened"] and tx.audit_actions() == ["employee.open"]
    amount = use_cases.open_employee(world.tx(clerk), person(901, monthly_fen=50000))
    assert amount["monthly_fen"] == 50000 and (amount["periods"], amount["balance_fen"]) == (0, 0)


def test_one_personal_account_per_id_number_on_the_whole_platform(world):
    mine, other = world.employer(), world.employer("其他单位")
    use_cases.open_employee(world.tx(world.clerk(other)), person())
    with pytest.raises(Conflict) as info:
        use_cases.open_employee(world.tx(world.clerk(mine)), person())
    assert info.value.code == "employee.duplicate" and "其他单位" in info.value.message
    with pytest.raises(InvalidInput) as info:
        use_cases.open_employee(world.tx(world.clerk(mine)), person(902, level="09"))
    assert info.value.code == "employee.level_unknown"
    with pytest.raises(InvalidInput):
        use_cases.open_employee(world.tx(world.clerk(mine)), person(903, monthly_fen=90001))   # above the level
    assert len(world.employees.rows) == 1


def test_a_closed_employer_opens_no_account(world):
    closed = world.employer(status="04")
    with pytest.raises(Conflict):
        use_cases.open_employee(world.tx(world.clerk(closed)), person())
    assert world.employees.rows == {}


def test_sealing_refuses_the_list_naming_whoever_cannot_and_changes_every_ticked_employee(world):
    employer = world.employer()
    clerk = world.clerk(employer)
    a, b = world.employee(employer, "甲"), world.employee(employer, "乙", status="02")
    with pytest.raises(IllegalTransition) as info:
        sealing.change_status(world.tx(clerk), "seal", [b, a])
    assert info.value.details["employee_id"] == b and "乙" in info.value.message
    assert world.employees.rows[a]["status"] == "01" and world.employees.changes_ == []
    tx = world.tx(clerk)
    done = sealing.change_status(tx, "seal", [a], reason=" 离职 ")
    assert (done["count"], done["label"], done["effective_month"]) == (1, "封存", "202611")
    assert world.employees.rows[a]["status"] == "02" and tx.event_types() == ["employee.sealed"]
    change = world.employees.changes_[0]
    assert (change["kind"], change["business_code"], change["before"], change["reason"]) == (
        "seal", "05", {"status": "01"}, "离职")
    unsealed = sealing.change_status(world.tx(clerk), "unseal", [a, b], effective_month="202610")
    assert unsealed["count"] == 2 and {world.employees.rows[i]["status"] for i in (a, b)} == {"01"}


def test_sealing_refuses_other_months_other_rosters_and_unknown_actions(world):
    employer, other = world.employer(), world.employer("其他单位")
    clerk = world.clerk(employer)
    mine, theirs = world.employee(employer), world.employee(other)
    with pytest.raises(InvalidInput) as info:
        sealing.change_status(world.tx(clerk), "seal", [mine], effective_month="202609")
    assert info.value.code == "sealing.month_out_of_range"
    with pytest.raises(NotFound) as info:
        sealing.change_status(world.tx(clerk), "seal", [mine, theirs])
    assert info.value.details["employee_id"] == theirs
    for action, ids in [("freeze", [mine]), ("seal", []), ("seal", [mine, mine])]:
        with pytest.raises(InvalidInput):
            sealing.change_status(world.tx(clerk), action, ids)
    assert world.employees.rows[mine]["status"] == "01"


def test_a_transfer_moves_the_employee_and_the_balance_booked_at_the_sender(world):
    sender, receiver = world.employer("转出单位"), world.employer("转入单位")
    moving = world.employee(sender, fen=240000, periods=3)
    out = transfers.transfer_out(world.tx(world.clerk(sender)), [moving], receiver, reason="调动")
    assert (out["count"], out["to_employer_name"]) == (1, "转入单位")
    with pytest.raises(Conflict) as info:   # one open transfer per employee
        transfers.transfer_out(world.tx(world.clerk(sender)), [moving], receiver)
    assert info.value.code == "transfer.pending_exists"
    transfer_id = out["transfer_ids"][0]
    with pytest.raises(NotFound):   # the sender does not review its own transfer
        transfers.accept(world.tx(world.clerk(sender)), transfer_id)
    tx = world.tx(world.clerk(receiver))
    accepted = transfers.accept(tx, transfer_id)
    assert (accepted["status"], accepted["balance_fen"], accepted["periods"]) == ("accepted", 240000, 3)
    assert world.employees.rows[moving]["employer_id"] == receiver
    assert world.ledger.balance(moving) == (3, 240000)   # nothing counted twice or lost
    assert world.ledger.balance(moving, sender) == (0, 0) and world.ledger.balance(moving, receiver) == (3, 240000)
    assert [e["business_code"] for e in world.ledger.entries(moving)[1:]] == ["06", "06"]
    assert tx.event_types() == ["employee.transferred"] and tx.emitted[0].data["balance_fen"] == 240000
    assert sorted(c["kind"] for c in world.employees.changes(moving)) == ["transfer_in", "transfer_out"]
    with pytest.raises(IllegalTransition):
        transfers.accept(world.tx(world.clerk(receiver)), transfer_id)


def test_a_transfer_is_refused_to_oneself_and_to_a_closed_employer_and_rejected_with_an_opinion(world):
    sender, receiver, closed = world.employer(), world.employer("转入单位"), world.employer("销户单位", status="04")
    moving = world.employee(sender)
    with pytest.raises(InvalidInput) as info:
        transfers.transfer_out(world.tx(world.clerk(sender)), [moving], sender)
    assert info.value.code == "transfer.same_employer"
    with pytest.raises(Conflict):
        transfers.transfer_out(world.tx(world.clerk(sender)), [moving], closed)
    transfer_id = transfers.transfer_out(world.tx(world.clerk(sender)), [moving], receiver)["transfer_ids"][0]
    with pytest.raises(InvalidInput):
        transfers.reject(world.tx(world.clerk(receiver)), transfer_id, "")
    tx = world.tx(world.clerk(receiver))
    rejected = transfers.reject(tx, transfer_id, "岗位已满")
    assert (rejected["status"], rejected["opinion"]) == ("rejected", "岗位已满")
    assert tx.event_types() == ["employee.transfer_rejected"] and world.employees.rows[moving]["employer_id"] == sender


def test_a_transfer_is_stale_once_the_employee_has_left_the_sender(world):
    sender, receiver, third = world.employer(), world.employer("转入单位"), world.employer("第三单位")
    moving = world.employee(sender)
    transfer_id = transfers.transfer_out(world.tx(world.clerk(sender)), [moving], receiver)["transfer_ids"][0]
    world.employees.update(moving, {"employer_id": third})
    with pytest.raises(Conflict) as info:
        transfers.accept(world.tx(world.clerk(receiver)), transfer_id)
    assert info.value.code == "transfer.stale" and world.ledger.entries(moving) == []


def test_the_bureau_sees_an_employee_of_its_area_only(world):
    employer = world.employer()
    employee = world.employee(employer)
    assert use_cases.get_employee(world.tx(BUREAU), employee)["employer_name"] == "示范单位"
    with pytest.raises(NotFound):
        use_cases.get_employee(world.tx(world.clerk(world.employer("其他单位"))), employee)


def test_a_mobile_changes_at_once_and_a_name_waits_for_the_bureau_with_its_material(world):
    from housing_fund.use_cases import employee_changes

    employer = world.employer()
    clerk = world.clerk(employer)
    employee = world.employee(employer)
    tx = world.tx(clerk)
    applied = employee_changes.request_change(tx, employee, {"mobile": "13900000999"})
    assert applied["status"] == "applied" and world.employees.rows[employee]["mobile"] == "13900000999"
    assert tx.event_types() == ["employee.changed"] and "mobile" not in tx.emitted[0].data["changes"]
    with pytest.raises(InvalidInput) as info:   # a change the bureau checks needs its material
        employee_changes.request_change(world.tx(clerk), employee, {"name": "张叁"})
    assert info.value.code == "attachment.required"
    material = [world.attachments.upload("employee_material", clerk)]
    asked = world.tx(clerk)
    pending = employee_changes.request_change(asked, employee, {"name": "张叁"}, attachments=material)
    assert pending["status"] == "pending" and world.employees.rows[employee]["name"] == "张三"
    assert asked.event_types() == ["employee.change_requested"] and pending["labels"] == {"name": "姓名"}
    with pytest.raises(Conflict) as info:
        employee_changes.request_change(world.tx(clerk), employee, {"level": "05"},
                                        attachments=[world.attachments.upload("employee_material", clerk)])
    assert info.value.code == "employee_change.pending_exists"
    approving = world.tx(BUREAU)
    assert employee_changes.approve_change(approving, pending["id"])["status"] == "approved"
    assert world.employees.rows[employee]["name"] == "张叁" and approving.event_types() == ["employee.changed"]
    with pytest.raises(IllegalTransition):
        employee_changes.approve_change(world.tx(BUREAU), pending["id"])


def test_a_change_is_refused_when_it_changes_nothing_touches_what_it_may_not_or_takes_a_used_id_number(world):
    from housing_fund.use_cases import employee_changes

    employer = world.employer()
    clerk = world.clerk(employer)
    employee, other = world.employee(employer), world.employee(employer, "李四")
    for data, code in [({"mobile": "13900000000"}, "employee_change.no_difference"),
                       ({"status": "02"}, "employee_change.field_not_changeable"), ({}, "employee_change.empty")]:
        with pytest.raises(InvalidInput) as info:
            employee_changes.request_change(world.tx(clerk), employee, data)
        assert info.value.code == code
    with pytest.raises(Conflict) as info:
        employee_changes.request_change(world.tx(clerk), employee,
                                        {"id_number": world.employees.rows[other]["id_number"]},
                                        attachments=[world.attachments.upload("employee_material", clerk)])
    assert info.value.code == "employee.duplicate"
    assert world.employees.changes_ == []


def test_a_returned_change_needs_the_bureau_s_opinion_and_leaves_the_employee_as_it_was(world):
    from housing_fund.use_cases import employee_changes

    employer = world.employer()
    clerk = world.clerk(employer)
    employee = world.employee(employer)
    pending = employee_changes.request_change(world.tx(clerk), employee, {"level": "05"},
                                              attachments=[world.attachments.upload("employee_material", clerk)])
    with pytest.raises(InvalidInput):
        employee_changes.return_change(world.tx(BUREAU), pending["id"], None)
    tx = world.tx(BUREAU)
    returned = employee_changes.return_change(tx, pending["id"], "级别证明不全")
    assert (returned["status"], returned["opinion"]) == ("returned", "级别证明不全")
    assert world.employees.rows[employee]["level"] == "03" and tx.event_types() == ["employee.change_returned"]
