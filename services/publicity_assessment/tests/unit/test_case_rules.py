"""A case's workflow, the round rule for county approvals, batch numbers and objections."""
from datetime import date

import pytest

from publicity_assessment.domain.cases import CASE, Arrival, arrival_of
from publicity_assessment.domain.publicity import (
    batch_no,
    check_can_end,
    check_ids,
    check_objection,
    check_objection_window,
    check_opinion,
)
from shared.contracts.applications import round_of
from shared.errors import Conflict, IllegalTransition, InvalidInput


def test_the_case_moves_through_publicity_assessment_and_report():
    status = "awaiting_publicity"
    for action in ["start_publicity", "end_publicity", "pass_assessment", "report_to_county_org"]:
        status = CASE.next(status, action)
    assert status == "reported"
    assert CASE.next("in_publicity", "uphold_objection") == "objection_upheld"
    assert CASE.next("publicity_passed", "fail_assessment") == "assessment_failed"


@pytest.mark.parametrize("status, action", [
    ("awaiting_publicity", "pass_assessment"), ("in_publicity", "report_to_county_org"),
    ("publicity_passed", "start_publicity"), ("assessment_failed", "pass_assessment"),
    ("reported", "report_to_county_org"),
])
def test_stages_cannot_be_skipped_or_repeated(status, action):
    with pytest.raises(IllegalTransition) as info:
        CASE.next(status, action)
    assert info.value.status == 409 and info.value.code == "case.illegal_transition"


def test_county_approvals_create_restart_or_are_ignored_by_round():
    assert arrival_of(None, None, 1) is Arrival.CREATE
    assert arrival_of("in_publicity", 1, 1) is Arrival.IGNORE          # the same approval again
    assert arrival_of("objection_upheld", 1, 1) is Arrival.IGNORE      # a stale copy of the old round
    assert arrival_of("objection_upheld", 1, 2) is Arrival.NEW_ROUND   # re-approved after the return
    assert arrival_of("reported", 1, 2) is Arrival.NEW_ROUND           # returned by an org department
    assert arrival_of("objection_upheld", 3, 2) is Arrival.IGNORE      # older than what we have
    assert arrival_of("in_publicity", 1, 2) is Arrival.IGNORE          # never restart a running publicity
    assert arrival_of("assessment_failed", 1, 2) is Arrival.IGNORE     # a failed assessment is final


def test_round_comes_from_the_event_then_the_snapshot_then_defaults_to_one():
    assert round_of({"round": 3, "snapshot": {"round": 2}}) == 3
    assert round_of({"snapshot": {"round": 2}}) == 2
    assert round_of({"snapshot": {}}) == 1


def test_batch_numbers_count_per_county_and_day():
    assert batch_no("440703", date(2026, 11, 25), 1) == "GS440703-20261125-01"
    assert batch_no("440704", date(2026, 1, 5), 12) == "GS440704-20260105-12"


def test_a_publicity_ends_after_its_last_day_with_no_pending_objection():
    for today in (date(2026, 12, 1), date(2026, 12, 2)):  # the last day itself still runs to midnight
        with pytest.raises(Conflict) as info:
            check_can_end(today, date(2026, 12, 2), 0)
        assert info.value.code == "publicity.not_ended" and "2026年12月2日24时" in info.value.message
    with pytest.raises(Conflict) as info:
        check_can_end(date(2026, 12, 3), date(2026, 12, 2), 2)
    assert info.value.code == "publicity.objections_pending" and info.value.details["pending"] == 2
    check_can_end(date(2026, 12, 3), date(2026, 12, 2), 0)


def test_objections_are_taken_until_the_last_day():
    check_objection_window(date(2026, 12, 2), date(2026, 12, 2))
    with pytest.raises(Conflict) as info:
        check_objection_window(date(2026, 12, 3), date(2026, 12, 2))
    assert info.value.code == "objection.publicity_ended"


def test_an_objection_needs_an_application_a_reason_and_a_reachable_contact():
    good = {"application_no": " SQ1 ", "reason": "该申请人并未在本单位工作", "contact_name": "王五",
            "contact_phone": "138-0013-8000"}
    form = check_objection(good)
    assert (form.application_no, form.contact_phone, form.application_id) == ("SQ1", "13800138000", None)
    for patch, code in [({"application_no": ""}, "objection.application_required"),
                        ({"reason": "太短"}, "objection.reason_length"),
                        ({"reason": "长" * 501}, "objection.reason_length"),
                        ({"contact_name": " "}, "objection.contact_name_required"),
                        ({"contact_phone": "12345"}, "mobile.length"),
                        ({"contact_phone": "12800138000"}, "mobile.format")]:
        with pytest.raises(InvalidInput) as info:
            check_objection({**good, **patch})
        assert info.value.code == code, patch
        assert list(info.value.details["fields"]) != []


def test_opinions_and_ticked_ids():
    assert check_opinion("  经核查属实 ") == "经核查属实"
    assert check_opinion(None, required=False) is None
    with pytest.raises(InvalidInput):
        check_opinion(" ")
    assert check_ids(["a", "b", "a"]) == ["a", "b"]
    for bad in [[], "a", [1], None]:
        with pytest.raises(InvalidInput):
            check_ids(bad)
