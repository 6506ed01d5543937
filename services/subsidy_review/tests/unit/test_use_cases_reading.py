"""The to-do counters and the statistics of applications on a fake unit of work: who counts what, and
how the totals add up per status within the caller's jurisdiction."""
from __future__ import annotations

from subsidy_review import use_cases

from .conftest import OTHER_COUNTY, OTHER_UNIT


def counts(world, who: str) -> dict[str, int]:
    return {t["key"]: t["count"] for t in use_cases.todos(world.tx(who))}


def test_each_role_counts_the_statuses_that_wait_for_it(world):
    world.add(status="pending_unit_review")
    world.add(status="pending_unit_review", unit_id=OTHER_UNIT)
    world.add(status="unit_returned")
    world.add(status="county_returned")
    world.add(status="pending_county_review")
    assert counts(world, "unit_admin") == {"applications.pending_unit_review": 1, "applications.pending_report": 0}
    assert counts(world, "individual") == {"applications.returned": 2}
    assert counts(world, "county_hrss") == {"applications.pending_county_review": 1}
    assert counts(world, "other_county") == {"applications.pending_county_review": 0}
    assert counts(world, "city_hrss") == {}


def test_statistics_add_up_per_status_across_units_within_the_jurisdiction(world):
    world.add(status="pending_county_review", amount_fen=960000)
    world.add(status="pending_county_review", amount_fen=480000, unit_id=OTHER_UNIT, unit_name="另一单位")
    world.add(status="county_approved", amount_fen=600000)
    world.add(status="county_approved", amount_fen=700000, county=OTHER_COUNTY)
    mine = use_cases.statistics(world.tx("county_hrss"), {})
    assert [(e["status"], e["count"], e["amount_fen"]) for e in mine["by_status"]] == [
        ("county_approved", 1, 600000), ("pending_county_review", 2, 1440000)]
    assert mine["total"] == {"count": 3, "amount_fen": 2040000}
    city = use_cases.statistics(world.tx("city_hrss"), {"county": OTHER_COUNTY})
    assert city["total"] == {"count": 1, "amount_fen": 700000}
