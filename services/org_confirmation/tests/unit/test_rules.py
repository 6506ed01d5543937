"""The rules of stages 8-10 without broker or database: the workflows, when a report (re)opens a
case, batch totals in integer fen and batch numbers, the checks on a clerk's input."""
from datetime import date

import pytest

from org_confirmation.domain import batches
from org_confirmation.domain.cases import (
    APPLICATION_STATUS,
    CASE_FLOW,
    STATUSES,
    Arrival,
    arrival,
    case_status_label,
    check_application_ids,
    check_opinion,
)
from shared.contracts.applications import round_of
from shared.contracts.statuses import APPLICATION_STATUSES
from shared.errors import IllegalTransition, InvalidInput

ID = "0b5e4a52-7c1e-4a57-9d0e-3c1f2a6b8d90"


def test_the_case_workflow_of_stages_8_to_10():
    status = CASE_FLOW.next("pending_county_org", "county_confirm")
    status = CASE_FLOW.next(status, "aggregate")
    assert CASE_FLOW.next(status, "city_confirm") == "city_org_confirmed"
    assert CASE_FLOW.next(status, "city_return") == "city_org_returned"
    assert CASE_FLOW.next("pending_county_org", "county_return") == "county_org_returned"
    for status, action in [("pending_county_org", "aggregate"), ("county_org_confirmed", "county_confirm"),
                           ("city_org_confirmed", "city_return"), ("county_org_returned", "county_confirm")]:
        with pytest.raises(IllegalTransition) as info:
            CASE_FLOW.next(status, action)
        assert info.value.status == 409 and info.value.code == "application.illegal_transition"
    assert CASE_FLOW.statuses() == set(STATUSES)


def test_every_case_status_maps_to_a_shared_application_status_with_a_chinese_label():
    for status in STATUSES:
        assert APPLICATION_STATUS[status] in APPLICATION_STATUSES
        assert case_status_label(status) != status
    assert APPLICATION_STATUS["county_org_returned"] == APPLICATION_STATUS["city_org_returned"] == \
        "pending_county_review"


def test_a_report_opens_a_case_and_only_a_later_round_reopens_a_returned_one():
    assert arrival(None, None, 1) is Arrival.OPEN
    assert arrival("county_org_returned", 1, 2) is Arrival.REOPEN
    assert arrival("city_org_returned", 2, 3) is Arrival.REOPEN
    assert arrival("county_org_returned", 2, 2) is Arrival.IGNORE      # the same round re-sent
    assert arrival("city_org_returned", 2, 1) is Arrival.IGNORE        # an old round arriving late
    assert arrival("pending_county_org", 1, 1) is Arrival.IGNORE
    assert arrival("city_aggregated", 1, 2) is Arrival.IGNORE          # never pulled out of a batch


def test_the_round_comes_from_the_event_then_the_snapshot_then_defaults_to_1():
    assert round_of({"round": 3, "snapshot": {"round": 2}}) == 3
    assert round_of({"snapshot": {"round": 2}}) == 2
    assert round_of({"snapshot": {}}) == 1


def test_batch_totals_add_up_in_integer_fen_per_county():
    totals = batches.totals([("440704", 1050231), ("440703", 960000), ("440703", 960001)])
    assert (totals.count, totals.amount_fen) == (3, 2970232)
    assert [c.as_dict() for c in totals.counties] == [
        {"county": "440703", "count": 2, "amount_fen": 1920001},
        {"county": "440704", "count": 1, "amount_fen": 1050231}]
    assert sum(c.amount_fen for c in totals.counties) == totals.amount_fen
    with pytest.raises(TypeError):
        batches.totals([("440703", 9600.5)])


def test_batch_numbers_count_per_city_and_local_day():
    day = date(2026, 11, 25)
    assert batches.batch_no("440700", day, 1) == "HZ440700-20261125-01"
    existing = ["HZ440700-20261125-01", "HZ440700-20261125-02", "HZ440700-20261124-07", "HZ440300-20261125-05"]
    assert batches.next_seq(existing, "440700", day) == 3
    assert batches.next_seq([], "440700", day) == 1
    assert batches.batch_no("440700", day, 100) == "HZ440700-20261125-100"


def test_a_batch_is_decided_once():
    assert batches.BATCH_FLOW.next("aggregated", "city_confirm") == "confirmed"
    assert batches.BATCH_FLOW.next("aggregated", "city_return") == "returned"
    with pytest.raises(IllegalTransition):
        batches.BATCH_FLOW.next("confirmed", "city_return")


def test_application_ids_are_a_non_empty_list_of_ids_without_duplicates():
    assert check_application_ids([ID, ID.upper(), " " + ID]) == [ID]
    for bad, code in [([], "application_ids.required"), (None, "application_ids.required"),
                      (ID, "application_ids.required"), (["x"], "application_ids.invalid"),
                      ([1], "application_ids.invalid"), ([ID] * 1001, "application_ids.too_many")]:
        with pytest.raises(InvalidInput) as info:
            check_application_ids(bad)
        assert info.value.code == code and "application_ids" in info.value.details["fields"]


def test_an_opinion_is_required_to_return_and_at_most_500_characters():
    assert check_opinion(None, required=False) is None
    assert check_opinion("  同意 ", required=False) == "同意"
    for value, required, code in [(None, True, "opinion.required"), ("   ", True, "opinion.required"),
                                  ("意" * 501, False, "opinion.too_long"), (5, False, "opinion.invalid")]:
        with pytest.raises(InvalidInput) as info:
            check_opinion(value, required=required)
        assert info.value.code == code
