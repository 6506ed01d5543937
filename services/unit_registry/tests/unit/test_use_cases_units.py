"""单位信息管理 and the county's review of units on a fake unit of work: which fields change at once,
which become a change request, what is refused, and what the approval of a change writes."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.errors import Conflict, InvalidInput
from unit_registry import unit_registration

from .conftest import PENGJIANG, UNIT

USCC, OTHER_USCC, FREE_USCC = "91440703MA5X12349J", "91440703MA5X12357D", "91440703MA5X123658"
AT = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def units(world):
    """The approved unit of the clerk (UNIT), and another holding OTHER_USCC."""
    for unit_id, uscc, name in ((UNIT, USCC, "蓬江示范单位"),
                                ("6f1c2a10-0000-4000-8000-0000000000ff", OTHER_USCC, "另一单位")):
        world.units.add({"id": unit_id, "name": name, "uscc": uscc, "org_code": uscc[8:17], "region": PENGJIANG,
                         "supervisor_region": PENGJIANG, "leader": "张三", "leader_phone": "13900000001",
                         "status": "approved", "round": 1, "attachment_ids": [], "created_at": AT,
                         "updated_at": AT, "approved_at": AT})
    return world


def test_leader_and_phone_change_at_once_and_no_request_is_filed(units):
    tx = units.tx("clerk")
    result = unit_registration.update_unit(tx, {"leader": "李四", "leader_phone": "13900000002"})
    assert result["applied"] == ["leader", "leader_phone"] and result["change"] is None
    assert units.units.find(UNIT)["leader"] == "李四" and not units.unit_changes.rows
    assert tx.event_types() == ["unit.changed"] and tx.audit_actions() == ["unit.change"]


def test_a_new_name_is_a_change_request_and_the_unit_keeps_its_name_until_approved(units):
    tx = units.tx("clerk")
    result = unit_registration.update_unit(tx, {"name": "蓬江新名称单位"})
    assert result["applied"] == [] and result["change"]["status"] == "pending"
    assert units.units.find(UNIT)["name"] == "蓬江示范单位"
    assert tx.event_types() == ["unit.change_requested"]
    with pytest.raises(Conflict) as info:  # one pending request at a time
        unit_registration.update_unit(units.tx("clerk"), {"name": "又一个名称单位"})
    assert info.value.code == "unit_change.pending_exists"

    approval = units.tx("county_hrss")
    unit_registration.approve_unit_change(approval, result["change"]["id"])
    assert units.units.find(UNIT)["name"] == "蓬江新名称单位"
    assert units.unit_changes.find(result["change"]["id"])["status"] == "approved"
    assert approval.event_types() == ["unit.changed"]


def test_a_uscc_held_by_another_unit_or_taken_before_the_approval_is_refused(units):
    with pytest.raises(Conflict) as info:
        unit_registration.update_unit(units.tx("clerk"), {"uscc": OTHER_USCC})
    assert info.value.code == "unit.uscc_taken"
    change = unit_registration.update_unit(units.tx("clerk"), {"uscc": FREE_USCC})["change"]
    units.units.race_uscc = FREE_USCC  # another unit registers with it before the county approves
    with pytest.raises(Conflict) as info:
        unit_registration.approve_unit_change(units.tx("county_hrss"), change["id"])
    assert info.value.code == "unit.uscc_taken"
    assert units.units.find(UNIT)["uscc"] == USCC and units.unit_changes.find(change["id"])["status"] == "pending"


def test_nothing_to_change_is_a_400_and_the_county_counts_what_waits(units):
    with pytest.raises(InvalidInput) as info:
        unit_registration.update_unit(units.tx("clerk"), {"leader": "张三"})
    assert info.value.code == "unit.unchanged"
    unit_registration.update_unit(units.tx("clerk"), {"name": "蓬江新名称单位"})
    counts = {t["key"]: t["count"] for t in unit_registration.county_todos(units.tx("county_hrss"))}
    assert counts == {"units.pending_review": 0, "unit_changes.pending_review": 1}


def test_a_unit_registers_once(units):
    with pytest.raises(Conflict) as info:
        unit_registration.register_unit(units.tx("clerk"), UNIT, {})
    assert info.value.code == "unit.already_registered"

