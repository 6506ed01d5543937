"""Working days by the State Council's holiday schedule, and the end of a publicity period.

The schedule is data (``calendar_days``: an admin adds each year when it is announced), handed in
here as an override dict ``{date: "holiday" | "workday"}``; the rule itself is pure and shared
(``shared.workdays``: subsidy_review counts stage times with it).
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from shared.errors import InvalidInput
from shared.workdays import HOLIDAY, WORKDAY, check_years_known, nth_working_day_after
from shared.workdays import is_working_day as is_working_day  # re-exported: the service's tests use it

KINDS = {HOLIDAY: "法定节假日", WORKDAY: "调休上班"}
MAX_PUBLICITY_DAYS = 30
# A working-day period never spans more calendar days than this; loading the overrides for this
# window is enough (the longest break, Spring Festival, is 9 days).
OVERRIDE_WINDOW_DAYS = MAX_PUBLICITY_DAYS * 3 + 30


@dataclass(frozen=True)
class PublicityPolicy:
    """How long a city's publicity lasts: ``days`` working days, or calendar days."""

    days: int
    counts_working_days: bool

    def ends_on(self, starts_on: date, overrides: Mapping[date, str], known_years: Collection[int]) -> date:
        """The last day of a publicity starting on ``starts_on``; in working days only through years
        whose schedule is complete (``known_years``), else 409 ``calendar.year_missing``."""
        if self.counts_working_days:
            ends_on = nth_working_day_after(starts_on, self.days, overrides)
            check_years_known(starts_on, ends_on, known_years)
            return ends_on
        return starts_on + timedelta(days=self.days)


# domain.md: publicity usually lasts 5 working days; a city without its own setting gets this
DEFAULT_POLICY = PublicityPolicy(days=5, counts_working_days=True)


def check_policy(days: object, counts_working_days: object) -> PublicityPolicy:
    """A policy an admin may set: 1-30 days, working or calendar days."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_PUBLICITY_DAYS:
        raise InvalidInput.field("days", "policy.days_invalid", f"公示天数应为1-{MAX_PUBLICITY_DAYS}的整数")
    if not isinstance(counts_working_days, bool):
        raise InvalidInput.field("counts_working_days", "policy.counts_working_days_invalid",
                                 "请选择公示期按工作日还是自然日计算")
    return PublicityPolicy(days, counts_working_days)


def check_year(year: object) -> int:
    """A calendar year the admin names: an integer 2000-2100."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput.field("year", "calendar.year_invalid", "年份应为2000-2100的整数")
    return year


def check_calendar_day(day: object, kind: object, name: object) -> tuple[date, str, str]:
    """An entry of the holiday schedule: an ISO date, ``holiday`` or ``workday``, a name of 1-50 characters."""
    try:
        parsed = date.fromisoformat(day) if isinstance(day, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput.field("day", "calendar.day_invalid", "日期格式应为YYYY-MM-DD")
    if kind not in KINDS:
        raise InvalidInput.field("kind", "calendar.kind_invalid", "类型应为法定节假日（holiday）或调休上班（workday）")
    text = name.strip() if isinstance(name, str) else ""
    if not 1 <= len(text) <= 50:
        raise InvalidInput.field("name", "calendar.name_required", "请填写节日名称（1-50字）")
    return parsed, kind, text
