"""The finance bureaux' to-do counters and the statistics' jurisdiction on a fake unit of work."""
from __future__ import annotations

import pytest

from finance_disbursement import use_cases
from shared.errors import NotFound

from .conftest import JIANGHAI, PENGJIANG


def counts(world, who: str) -> dict[str, int]:
    return {t["key"]: t["count"] for t in use_cases.todos(world.tx(who))}


def test_the_counters_follow_a_batch_from_city_finance_to_the_county(world, ready_batch):
    batch_id, _ = ready_batch
    assert counts(world, "city_finance") == {"finance.batches_ready": 1}
    assert counts(world, "county_finance") == {"finance.transfers_to_confirm": 0, "finance.transfers_to_pay": 0,
                                               "finance.payments_failed": 0}
    use_cases.release(world.tx("city_finance"), batch_id, PENGJIANG)
    assert counts(world, "city_finance") == {"finance.batches_ready": 1}  # partly released: Jianghai waits
    assert counts(world, "county_finance")["finance.transfers_to_confirm"] == 1
    assert counts(world, "other_county_finance")["finance.transfers_to_confirm"] == 0
    use_cases.release(world.tx("city_finance"), batch_id)
    assert counts(world, "city_finance") == {"finance.batches_ready": 0}
    assert counts(world, "other_county_finance")["finance.transfers_to_confirm"] == 1


def test_statistics_of_a_county_outside_the_jurisdiction_are_not_found(world):
    for report in (use_cases.statistics, use_cases.reconciliation):
        with pytest.raises(NotFound):
            report(world.tx("county_finance"), {"county": JIANGHAI})
