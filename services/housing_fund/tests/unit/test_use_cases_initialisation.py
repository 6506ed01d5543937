"""职工信息初始化 on a fake unit of work: each employee checked (a different accumulated balance is booked
as a correcting entry), then the roster submitted once."""
from __future__ import annotations

import pytest

from housing_fund.use_cases.initialisation import check_employee_data, submit_initialisation
from shared.errors import Conflict, InvalidInput


@pytest.fixture
def roster(world):
    employer = world.employer()
    world.employers.patch(employer, {"initialised_at": None})
    return employer, world.clerk(employer), world.employee(employer, "甲", fen=300000, periods=3)


def test_a_checked_employee_s_different_balance_is_booked_as_a_correction(world, roster):
    employer, clerk, employee = roster
    tx = world.tx(clerk)
    shown = check_employee_data(tx, employee, {"mobile": "13900000001", "level": "04",
                                                              "monthly_fen": 110000, "accumulated_periods": 5,
                                                              "accumulated_fen": 520000})
    assert (shown["mobile"], shown["level"], shown["monthly_fen"]) == ("13900000001", "04", 110000)
    assert world.ledger.balance(employee) == (5, 520000)
    assert [(e["periods"], e["amount_fen"], e["ref_type"]) for e in world.ledger.entries(employee)][-1] == (
        2, 220000, "initialise")
    [change] = world.employees.changes(employee)
    assert (change["kind"], change["before"]["accumulated_fen"], change["after"]["accumulated_fen"]) == (
        "initialise", 300000, 520000)
    assert world.employees.rows[employee]["checked_at"] == tx.now


def test_the_same_balance_books_nothing_and_a_bad_level_changes_nothing(world, roster):
    _, clerk, employee = roster
    check_employee_data(world.tx(clerk), employee, {"mobile": "13900000001", "level": "03",
                                                                   "monthly_fen": 100000, "accumulated_periods": 3,
                                                                   "accumulated_fen": 300000})
    assert len(world.ledger.entries(employee)) == 1
    with pytest.raises(InvalidInput):
        check_employee_data(world.tx(clerk), employee, {"mobile": "13900000002", "level": "99",
                                                                       "monthly_fen": 100000})
    assert world.employees.rows[employee]["mobile"] == "13900000001"


def test_the_roster_is_submitted_once_and_every_employee_counts_as_checked(world, roster):
    employer, clerk, employee = roster
    other = world.employee(employer, "乙")
    tx = world.tx(clerk)
    submitted = submit_initialisation(tx)
    assert submitted["employees"] == 2 and tx.event_types() == ["employer.initialised"]
    assert world.employers.rows[employer]["initialised_at"] == tx.now
    assert {world.employees.rows[i]["checked_at"] for i in (employee, other)} == {tx.now}
    with pytest.raises(Conflict) as info:
        submit_initialisation(world.tx(clerk))
    assert info.value.code == "employer.already_initialised"
    with pytest.raises(Conflict):
        check_employee_data(world.tx(clerk), employee, {"mobile": "13900000001", "level": "03",
                                                                       "monthly_fen": 100000})
