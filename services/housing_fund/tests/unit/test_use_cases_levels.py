"""级别维护 on a fake unit of work: a bureau's table from a month on, a level still held cannot be dropped,
a county's own table overrides its city's."""
from __future__ import annotations

import pytest

from housing_fund.use_cases import levels
from shared.auth.principal import Principal
from shared.errors import Conflict, InvalidInput

from .conftest import BUREAU, PENGJIANG

THIS_MONTH, NEXT_MONTH = "202611", "202612"   # the tests' now is 2026-11-25 in Shanghai
PENGJIANG_BUREAU = Principal(account_id="6f1c2a10-0000-4000-8000-0000000000b3", role="housing_bureau",
                             region=PENGJIANG, name="蓬江住建局经办人")
TWO_LEVELS = [{"code": "01", "name": "科员", "monthly_fen": 85000},
              {"code": "02", "name": "科长", "monthly_fen": 95000}]


def test_a_new_table_applies_from_its_month_and_the_bureau_sees_its_editions(world):
    kept = levels.set_levels(world.tx(BUREAU), NEXT_MONTH, TWO_LEVELS, " 年度调整 ")
    assert [r["code"] for r in kept["items"]] == ["01", "02", "03", "04", "05", "06", "07"]  # this month: seeded
    assert [(e["effective_month"], e["reason"], e["by_name"]) for e in kept["editions"]] == [
        (NEXT_MONTH, "年度调整", "市住建局经办人")]
    december = levels.level_table(world.tx(BUREAU, days=10), PENGJIANG)
    assert {c: r["monthly_fen"] for c, r in december.items()} == {"01": 85000, "02": 95000}


def test_the_same_month_again_replaces_that_edition_and_audits_what_it_was(world):
    levels.set_levels(world.tx(BUREAU), THIS_MONTH, TWO_LEVELS)
    tx = world.tx(BUREAU)
    levels.set_levels(tx, THIS_MONTH, TWO_LEVELS[:1])
    [entry] = tx.audited
    assert (entry.action, entry.before, entry.after["items"]) == ("levels.set", {"items": TWO_LEVELS},
                                                                  TWO_LEVELS[:1])
    assert len(levels.get_levels(world.tx(BUREAU))["editions"]) == 1


def test_a_level_an_employee_still_holds_cannot_be_dropped_and_nothing_is_kept(world):
    employer = world.employer()
    world.employee(employer)                           # level 03, 正常
    world.employees.patch(world.employee(employer), {"level": "05", "status": "04"})   # closed: 05 is free
    tx = world.tx(BUREAU)
    with pytest.raises(Conflict) as info:
        levels.set_levels(tx, THIS_MONTH, TWO_LEVELS)
    assert (info.value.code, info.value.details) == ("levels.code_in_use", {"codes": ["03"]})
    assert world.levels.editions_ == {} and tx.audited == []


def test_a_county_with_its_own_table_does_not_stop_the_city_dropping_a_level(world):
    world.employee(world.employer())                   # a 蓬江 employee at level 03
    levels.set_levels(world.tx(PENGJIANG_BUREAU), THIS_MONTH, [{"code": "03", "name": "正科", "monthly_fen": 100000}])
    levels.set_levels(world.tx(BUREAU), THIS_MONTH, TWO_LEVELS)
    assert list(levels.level_table(world.tx(), PENGJIANG)) == ["03"]


@pytest.mark.parametrize("month, items, code", [
    ("202610", TWO_LEVELS, "levels.month_past"), (THIS_MONTH, [], "levels.empty"),
    (THIS_MONTH, TWO_LEVELS + TWO_LEVELS[:1], "levels.code_duplicate"),
    (THIS_MONTH, [{"code": "01", "name": "科员", "monthly_fen": 0}], "levels.amount_range")])
def test_a_bad_table_is_refused_before_anything_is_kept(world, month, items, code):
    tx = world.tx(BUREAU)
    with pytest.raises(InvalidInput) as info:
        levels.set_levels(tx, month, items)
    assert info.value.code == code and world.levels.editions_ == {} and tx.audited == []
