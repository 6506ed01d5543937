"""The platform admin's publicity settings on a fake unit of work: a city's period, the holiday schedule
and its confirmation per year, and how they set the end of a publicity."""
from __future__ import annotations

from datetime import date

import pytest

from publicity_assessment import use_cases
from shared.errors import InvalidInput

from .conftest import CITY


def test_a_city_without_its_own_setting_has_five_working_days_and_the_admin_changes_it(world):
    assert use_cases.get_policy(world.tx("sys_admin"), CITY) | {"updated_at": None} == {
        "city": CITY, "city_name": "江门市", "days": 5, "counts_working_days": True, "description": "5个工作日",
        "is_default": True, "updated_at": None}
    tx = world.tx("sys_admin")
    after = use_cases.set_policy(tx, CITY, 7, False)
    assert (after["days"], after["description"], after["is_default"]) == (7, "7个自然日", False)
    assert tx.audit_actions() == ["publicity_policy.set"]
    assert tx.audited[0].before == {"days": 5, "counts_working_days": True, "is_default": True}
    batch = use_cases.start_publicity(world.tx("county_hrss"), [world.arrived()])
    assert (batch["starts_on"], batch["ends_on"]) == ("2026-11-25", "2026-12-02")     # 7 calendar days
    with pytest.raises(InvalidInput) as info:
        use_cases.set_policy(world.tx("sys_admin"), "440703", 5, True)                # a county, not a city
    assert info.value.code == "policy.city_invalid" and world.calendar.policies.keys() == {CITY}


def test_holidays_and_working_weekends_move_the_end_of_a_working_day_publicity(world):
    plain = use_cases.start_publicity(world.tx("county_hrss"), [world.arrived()])
    assert plain["ends_on"] == "2026-12-02"                 # Wed 25 Nov + 5 working days (Sat, Sun skipped)
    tx = world.tx("sys_admin")
    day = use_cases.set_calendar_day(tx, "2026-11-30", "holiday", "测试假日")
    assert day == {"day": "2026-11-30", "kind": "holiday", "kind_label": "法定节假日", "name": "测试假日"}
    assert tx.audit_actions() == ["calendar_day.set"] and tx.audited[0].before is None
    use_cases.set_calendar_day(world.tx("sys_admin"), "2026-11-28", "workday", "调休")
    moved = use_cases.start_publicity(world.tx("county_hrss"), [world.arrived()])
    assert moved["ends_on"] == "2026-12-02"                 # one holiday lost, one Saturday worked
    use_cases.set_calendar_day(world.tx("sys_admin"), "2026-11-28", "holiday", "改为假日")
    later = use_cases.start_publicity(world.tx("county_hrss"), [world.arrived()])
    assert later["ends_on"] == "2026-12-03"
    listed = use_cases.list_calendar_days(world.tx("sys_admin"), 2026)
    assert [d["day"] for d in listed["items"]] == ["2026-11-28", "2026-11-30"] and listed["confirmed"] is True


def test_a_year_is_confirmed_once_it_has_holidays_and_then_counts_as_known(world):
    world.calendar.years = {2026}
    with pytest.raises(InvalidInput) as info:
        use_cases.confirm_calendar_year(world.tx("sys_admin"), 2027)
    assert info.value.code == "calendar.year_empty" and world.calendar.years == {2026}
    use_cases.set_calendar_day(world.tx("sys_admin"), date(2027, 1, 1).isoformat(), "holiday", "元旦")
    tx = world.tx("sys_admin")
    confirmed = use_cases.confirm_calendar_year(tx, 2027)
    assert confirmed["confirmed"] is True and confirmed["total"] == 1
    assert tx.audit_actions() == ["calendar_year.confirm"] and world.calendar.years == {2026, 2027}
    tx = world.tx("sys_admin")
    use_cases.confirm_calendar_year(tx, 2027)                                          # again: nothing new
    assert tx.audited == []
    assert use_cases.todos(world.tx("sys_admin")) == []
