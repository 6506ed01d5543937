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
from shared.errors import Conflict, InvalidInput

SCHEDULE = {row["day"]: row["kind"] for row in shipped_days()}
KNOWN = {2025, 2026}


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
    assert PublicityPolicy(5, True).ends_on(start, SCHEDULE, KNOWN) == date(2026, 10, 13)
    assert PublicityPolicy(7, False).ends_on(start, SCHEDULE, KNOWN) == start + timedelta(days=7)


def test_a_working_day_period_into_a_year_without_a_schedule_is_refused_not_guessed():
    # 2026-12-31 + 5 working days would end 2027-01-07 counting 元旦 as a working day
    with pytest.raises(Conflict) as info:
        PublicityPolicy(5, True).ends_on(date(2026, 12, 31), SCHEDULE, KNOWN)
    assert (info.value.status, info.value.code, info.value.details) == (409, "calendar.year_missing", {"year": 2027})
    assert "2027年的节假日安排尚未录入" in info.value.message
    with pytest.raises(Conflict):  # a start inside an unknown year as well
        PublicityPolicy(1, True).ends_on(date(2027, 3, 1), SCHEDULE, KNOWN)
    # the same period within 2026 is computed; calendar days need no schedule
    assert PublicityPolicy(5, True).ends_on(date(2026, 12, 18), SCHEDULE, KNOWN) == date(2026, 12, 25)
    assert PublicityPolicy(7, False).ends_on(date(2026, 12, 31), {}, set()) == date(2027, 1, 7)


def test_a_year_the_admin_entered_is_computed_with_its_holidays_and_make_up_days():
    # an admin's 2027 (test data, not the official schedule): 元旦 Fri 1 Jan, make-up Sat 9 Jan
    admin_2027 = {**SCHEDULE, date(2027, 1, 1): "holiday", date(2027, 1, 9): "workday"}
    # Thu 31 Dec 2026: Fri 1 off, Mon 4 .. Fri 8, Sat 9 worked
    assert PublicityPolicy(6, True).ends_on(date(2026, 12, 31), admin_2027, KNOWN | {2027}) == date(2027, 1, 9)


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
