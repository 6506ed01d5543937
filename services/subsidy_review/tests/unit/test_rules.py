from datetime import date

import pytest

from shared.errors import Conflict, IllegalTransition, InvalidInput
from subsidy_review.domain.application import amount_fen, check_submission, require_opinion
from subsidy_review.domain.workflow import REVIEW, mirrored_status

TODAY = date(2026, 11, 25)


def test_amount_is_standard_times_months_from_policy_data():
    assert amount_fen({"bachelor": 80000}, "bachelor", 12) == (80000, 960000)


def test_submission_checks():
    ok = check_submission({"degree": "master", "months": "6", "start_date": "2026-07-01"}, max_months=36, today=TODAY)
    assert ok["months"] == 6 and ok["start_date"] == date(2026, 7, 1)
    for bad, field in [({"degree": "phd"}, "degree"), ({"months": 0}, "months"), ({"months": 37}, "months"),
                       ({"start_date": "2026-13-01"}, "start_date"), ({"work_history": [{"position": "x"}]},
                                                                       "work_history.0.employer")]:
        data = {"degree": "bachelor", "months": 12, "start_date": "2026-07-01", **bad}
        with pytest.raises(InvalidInput) as info:
            check_submission(data, max_months=36, today=TODAY)
        assert field in info.value.details["fields"]


def test_workflow_refuses_skipping_a_stage():
    assert REVIEW.next("pending_unit_review", "unit_approve") == "pending_report"
    with pytest.raises(IllegalTransition):
        REVIEW.next("pending_unit_review", "county_approve")
    with pytest.raises(IllegalTransition):
        REVIEW.next("county_approved", "report")


def test_opinion_required_on_return():
    with pytest.raises(InvalidInput):
        require_opinion("  ")
    assert require_opinion(" 材料不全 ") == "材料不全"


def test_mirror_moves_forward_only_within_the_current_round():
    assert mirrored_status("county_approved", 1, "application.publicity_started", "in_publicity", 1) == "in_publicity"
    # out of order: a later stage already mirrored, an earlier event arrives late
    assert mirrored_status("publicity_passed", 1, "application.publicity_started", "in_publicity", 1) is None
    # a return of the current round goes back to the county review; of an older round it is history
    assert mirrored_status("pending_county_org", 1, "application.county_org_returned", "pending_county_review", 1) \
        == "pending_county_review"
    assert mirrored_status("in_publicity", 2, "application.county_org_returned", "pending_county_review", 1) is None
    # once returned in round 1, further round-1 events do not move it
    assert mirrored_status("pending_county_review", 1, "application.publicity_ended", "publicity_passed", 1) is None


def test_a_failed_payment_returned_or_retried_and_paid_is_mirrored():
    assert mirrored_status("payment_failed", 1, "application.payment_returned", "payment_returned", 1) \
        == "payment_returned"
    # a retry puts the money back to 待支付 at finance; the graduate still sees 拨付失败 until it is paid
    assert mirrored_status("payment_failed", 1, "application.payment_retried", "funds_released", 1) is None
    assert mirrored_status("payment_failed", 1, "application.paid", "paid", 1) == "paid"
    # a clawback leaves what was paid as it was
    assert mirrored_status("receipt_confirmed", 1, "application.clawback_recorded", "receipt_confirmed", 1) is None


def test_application_windows_decide_by_the_local_date_and_the_graduation_range():
    from subsidy_review.domain.windows import check_no_overlap, check_submission_window, check_window

    spring = check_window({"name": "春季", "opens_on": "2027-03-01", "closes_on": "2027-03-31",
                           "graduated_from": "2024-07-01", "graduated_to": None})
    autumn = check_window({"name": "秋季", "opens_on": "2027-09-01", "closes_on": "2027-09-30"})
    assert check_submission_window([], date(2027, 1, 1), None) is None              # no window: all year
    assert check_submission_window([spring, autumn], date(2027, 3, 31), date(2024, 7, 1)) is spring  # both ends in
    with pytest.raises(Conflict) as outside:
        check_submission_window([spring, autumn], date(2027, 4, 1), date(2025, 6, 30))
    assert outside.value.code == "application.outside_window" and "2027-09-01" in outside.value.message
    with pytest.raises(Conflict) as early:
        check_submission_window([spring], date(2027, 3, 2), date(2024, 6, 30))
    assert early.value.code == "application.graduation_outside_window"
    with pytest.raises(Conflict) as overlap:
        check_no_overlap({**autumn, "opens_on": date(2027, 3, 31)}, [spring])
    assert overlap.value.code == "window.overlap"
    with pytest.raises(InvalidInput):
        check_window({"name": "x" * 51, "opens_on": "2027-03-01", "closes_on": "2027-03-31"})
