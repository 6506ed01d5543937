"""Working days by the State Council's holiday schedule (放假安排 and 调休上班), the one rule every
service counts with. The schedule itself is data its owner keeps (publicity_assessment's
``calendar_days``, maintained by the admin year by year) and is handed in as overrides
``{date: "holiday" | "workday"}`` plus the set of years whose schedule is complete."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta

from shared.errors import Conflict

HOLIDAY = "holiday"
WORKDAY = "workday"


def is_working_day(day: date, overrides: Mapping[date, str]) -> bool:
    """A make-up working day (调休) works even on a weekend; a holiday rests even on a weekday;
    otherwise Monday to Friday."""
    kind = overrides.get(day)
    if kind == WORKDAY:
        return True
    if kind == HOLIDAY:
        return False
    return day.weekday() < 5


def nth_working_day_after(start: date, n: int, overrides: Mapping[date, str]) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, found = start, 0
    while found < n:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            found += 1
    return day


def working_days_between(start: date, end: date, overrides: Mapping[date, str]) -> int:
    """How many working days after ``start`` up to and including ``end`` (0 when ``end <= start``):
    a step taken the day it arrived took 0 working days, one taken the next working day 1."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            count += 1
    return count


def check_years_known(first: date, last: date, known_years: Collection[int]) -> None:
    """A working-day period from ``first`` to ``last`` is exact only if the schedule of every year it
    touches is complete; otherwise 409 naming the first missing year (the admin must enter it)."""
    missing = [y for y in range(first.year, last.year + 1) if y not in known_years]
    if missing:
        raise Conflict(f"{missing[0]}年的节假日安排尚未录入，无法按工作日计算，"
                       "请联系系统管理员录入并确认该年节假日安排",
                       code="calendar.year_missing", details={"year": missing[0]})
