"""Who may read an attachment linked to a record of housing_fund: whoever may read the record."""
from __future__ import annotations

from housing_fund.use_cases.attachments import may_read_subject

from .conftest import BUREAU, JIANGHAI_BUREAU, new_id


def test_an_employer_change_s_materials_are_read_by_its_employer_and_the_bureau_of_its_area(world):
    mine, theirs = world.employer("甲单位"), world.employer("乙单位")
    change_id = new_id()
    world.employers.add_change({"id": change_id, "employer_id": mine, "status": "pending"})
    assert may_read_subject(world.tx(world.clerk(mine)), "employer_change", change_id)
    assert may_read_subject(world.tx(BUREAU), "employer_change", change_id)
    assert not may_read_subject(world.tx(world.clerk(theirs)), "employer_change", change_id)
    assert not may_read_subject(world.tx(JIANGHAI_BUREAU), "employer_change", change_id)
    assert not may_read_subject(world.tx(world.clerk(mine)), "employer_change", new_id())


def test_an_employee_s_materials_and_changes_stay_with_the_employer_that_holds_them(world):
    mine, theirs = world.employer("甲单位"), world.employer("乙单位")
    employee = world.employee(mine)
    change_id = new_id()
    world.employees.add_change({"id": change_id, "employee_id": employee, "status": "pending"})
    for subject_type, subject_id in (("employee", employee), ("employee_change", change_id)):
        assert may_read_subject(world.tx(world.clerk(mine)), subject_type, subject_id)
        assert not may_read_subject(world.tx(world.clerk(theirs)), subject_type, subject_id)


def test_a_transfer_s_materials_are_read_by_both_employers_only(world):
    source, target, other = world.employer("转出单位"), world.employer("转入单位"), world.employer("无关单位")
    transfer_id = new_id()
    world.transfers.add({"id": transfer_id, "employee_id": world.employee(source), "from_employer_id": source,
                         "to_employer_id": target, "status": "pending"})
    assert may_read_subject(world.tx(world.clerk(source)), "transfer", transfer_id)
    assert may_read_subject(world.tx(world.clerk(target)), "transfer", transfer_id)
    assert not may_read_subject(world.tx(world.clerk(other)), "transfer", transfer_id)
    assert not may_read_subject(world.tx(world.clerk(source)), "remittance", transfer_id)   # not a linked kind
