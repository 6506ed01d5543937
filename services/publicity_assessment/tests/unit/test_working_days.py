"""Working days by the State Council's schedule, and the end of a publicity period."""
from datetime import date, timedelta

import pytest

from publicity_assessment.adapters.calendar_csv import shipped_days
from publicity_assessment.domain.calendar import (
    PublicityPolicy,
    check_calendar_day,
    check_policy,
    is_working_day,
    nth_working_day_after,
)
from shared.errors import InvalidInput

SCHEDULE = {row["day"]: row["kind"] for row in shipped_days()}


def test_the_shipped_schedule_has_2026_national_day_with_its_make_up_working_days():
    national_day = [date(2026, 10, d) for d in range(1, 8)]
    assert all(SCHEDULE[d] == "holiday" for d in national_day)
    # 调休: Sunday 20 September and Saturday 10 October are worked
    assert SCHEDULE[date(2026, 9, 20)] == "workday" and SCHEDULE[date(2026, 10, 10)] == "workday"
    assert {d.year for d in SCHEDULE} == {2025, 2026}


def test_holidays_rest_make_up_days_work_and_otherwise_monday_to_friday():
    assert not is_working_day(date(2026, 10, 1), SCHEDULE)   # Thursday, National Day
    assert is_working_day(date(2026, 10, 10), SCHEDULE)      # Saturday, make-up working day
    assert is_working_day(date(2026, 11, 25), SCHEDULE)      # an ordinary Wednesday
    assert not is_working_day(date(2026, 11, 28), SCHEDULE)  # an ordinary Saturday
    assert not is_working_day(date(2027, 1, 2), {})           # no schedule: weekends still rest


def test_five_working_days_across_the_2026_national_day_week():
    start = date(2026, 9, 30)  # Wednesday before the break
    # 1-7 Oct off; Thu 8, Fri 9, Sat 10 (调休), Mon 12, Tue 13
    assert nth_working_day_after(start, 5, SCHEDULE) == date(2026, 10, 13)
    # the same start without the schedule would end inside the holiday
    assert nth_working_day_after(start, 5, {}) == date(2026, 10, 7)
    # the first working day after the break is the Thursday
    assert nth_working_day_after(start, 1, SCHEDULE) == date(2026, 10, 8)


def test_a_make_up_sunday_counts_before_the_mid_autumn_break():
    # Fri 18 Sep; Sun 20 is worked, Mon 21 - Thu 24 follow
    assert nth_working_day_after(date(2026, 9, 18), 5, SCHEDULE) == date(2026, 9, 24)


def test_spring_festival_2026_stretches_a_five_working_day_publicity_to_two_weeks():
    # Fri 13 Feb: Sat 14 is worked, then 15-23 off, then Tue 24 ... Fri 27
    assert nth_working_day_after(date(2026, 2, 13), 5, SCHEDULE) == date(2026, 2, 27)


def test_policy_in_working_or_calendar_days():
    start = date(2026, 9, 30)
    assert PublicityPolicy(5, True).ends_on(start, SCHEDULE) == date(2026, 10, 13)
    assert PublicityPolicy(7, False).ends_on(start, SCHEDULE) == start + timedelta(days=7)


def test_nth_working_day_needs_a_positive_count():
    with pytest.raises(ValueError):
        nth_working_day_after(date(2026, 1, 5), 0, {})


@pytest.mark.parametrize("days, working, code", [
    (0, True, "policy.days_invalid"), (31, True, "policy.days_invalid"), ("5", True, "policy.days_invalid"),
    (True, True, "policy.days_invalid"), (5, "yes", "policy.counts_working_days_invalid"),
])
def test_policy_values_are_checked(days, working, code):
    with pytest.raises(InvalidInput) as info:
        check_policy(days, working)
    assert info.value.code == code


def test_calendar_entries_are_checked():
    assert check_calendar_day("2027-01-01", "holiday", " 元旦 ") == (date(2027, 1, 1), "holiday", "元旦")
    for day, kind, name, code in [("2027-13-01", "holiday", "x", "calendar.day_invalid"),
                                  (20270101, "holiday", "x", "calendar.day_invalid"),
                                  ("2027-01-01", "rest", "x", "calendar.kind_invalid"),
                                  ("2027-01-01", "workday", "", "calendar.name_required")]:
        with pytest.raises(InvalidInput) as info:
            check_calendar_day(day, kind, name)
        assert info.value.code == code
