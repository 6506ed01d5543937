"""Parameters the platform admin keeps: the publicity period per city and the holiday schedule."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from publicity_assessment.adapters.repository import CalendarRepository
from publicity_assessment.domain.calendar import (
    DEFAULT_POLICY,
    HOLIDAY,
    KINDS,
    OVERRIDE_WINDOW_DAYS,
    PublicityPolicy,
    check_calendar_day,
    check_policy,
    check_year,
)
from shared import regions
from shared.clock import to_local
from shared.errors import InvalidInput
from shared.service import Tx


def _check_city(city: Any) -> str:
    if not isinstance(city, str) or not regions.exists(city.strip()) or regions.city_of(city.strip()) != city.strip():
        raise InvalidInput.field("city", "policy.city_invalid", "请选择有效的地级市行政区划")
    return city.strip()


def policy_of(tx: Tx, city: str) -> PublicityPolicy:
    """The city's publicity policy, or the usual 5 working days when the admin has set none."""
    row = tx.repository(CalendarRepository).policy(city)
    return PublicityPolicy(row["days"], row["counts_working_days"]) if row else DEFAULT_POLICY


def overrides_from(tx: Tx, start: date) -> dict[date, str]:
    """The holiday schedule's entries that can matter for a period starting on ``start``."""
    return tx.repository(CalendarRepository).overrides(start, OVERRIDE_WINDOW_DAYS)


def known_years(tx: Tx) -> set[int]:
    """The years whose holiday schedule is complete (shipped, or confirmed by the admin)."""
    return tx.repository(CalendarRepository).known_years()


def period_end(tx: Tx, city: str, starts_on: date) -> date:
    """The last day of a publicity of ``city`` starting on ``starts_on`` (409 ``calendar.year_missing``
    when it would run into a year whose schedule is not entered)."""
    return policy_of(tx, city).ends_on(starts_on, overrides_from(tx, starts_on), known_years(tx))


def _policy_view(tx: Tx, city: str) -> dict:
    row = tx.repository(CalendarRepository).policy(city)
    policy = PublicityPolicy(row["days"], row["counts_working_days"]) if row else DEFAULT_POLICY
    return {"city": city, "city_name": regions.name_of(city), "days": policy.days,
            "counts_working_days": policy.counts_working_days,
            "description": f"{policy.days}个{'工作日' if policy.counts_working_days else '自然日'}",
            "is_default": row is None, "updated_at": row["updated_at"].isoformat() if row else None}


def get_policy(tx: Tx, city: Any) -> dict:
    """公示期设置 of a city."""
    return _policy_view(tx, _check_city(city))


def set_policy(tx: Tx, city: Any, days: Any, counts_working_days: Any) -> dict:
    """Set a city's publicity period; batches already started keep their end date."""
    city = _check_city(city)
    policy = check_policy(days, counts_working_days)
    before = _policy_view(tx, city)
    tx.repository(CalendarRepository).set_policy(city, policy.days, policy.counts_working_days, tx.now)
    after = _policy_view(tx, city)
    tx.audit("publicity_policy.set", "publicity_policy", city, region=city,
             before={k: before[k] for k in ("days", "counts_working_days", "is_default")},
             after={k: after[k] for k in ("days", "counts_working_days")})
    return after


def _day_view(day: date, kind: str, name: str) -> dict:
    return {"day": day.isoformat(), "kind": kind, "kind_label": KINDS[kind], "name": name}


def set_calendar_day(tx: Tx, day: Any, kind: Any, name: Any) -> dict:
    """Add or correct one day of the holiday schedule (a new year's 放假安排, a 调休 working day)."""
    parsed, kind, name = check_calendar_day(day, kind, name)
    calendar = tx.repository(CalendarRepository)
    before = calendar.day(parsed)
    calendar.set_day(parsed, kind, name)
    tx.audit("calendar_day.set", "calendar_day", parsed.isoformat(),
             before=_day_view(before["day"], before["kind"], before["name"]) if before else None,
             after=_day_view(parsed, kind, name))
    return _day_view(parsed, kind, name)


MAX_CALENDAR_SPAN_DAYS = 1500


def working_calendar(tx: Tx, first: Any, last: Any) -> dict:
    """``{"first", "last", "overrides": {day: kind}, "known_years": [...]}`` for ``first``..``last`` (ISO dates, at most
    1500 days apart): the schedule as :mod:`shared.workdays` takes it."""
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except (TypeError, ValueError):
        raise InvalidInput.field("first", "calendar.day_invalid", "日期格式应为YYYY-MM-DD") from None
    if end < start or (end - start).days > MAX_CALENDAR_SPAN_DAYS:
        raise InvalidInput.field("last", "calendar.span_invalid", f"日期范围应不超过{MAX_CALENDAR_SPAN_DAYS}天")
    days = tx.repository(CalendarRepository).overrides(start - timedelta(days=1), (end - start).days + 1)
    return {"first": start.isoformat(), "last": end.isoformat(),
            "overrides": {day.isoformat(): kind for day, kind in sorted(days.items())},
            "known_years": sorted(known_years(tx))}


def list_calendar_days(tx: Tx, year: Any) -> dict:
    """The schedule of one year, in date order, and whether the year is confirmed complete."""
    year = check_year(year)
    calendar = tx.repository(CalendarRepository)
    items = [_day_view(r["day"], r["kind"], r["name"]) for r in calendar.days_of(year)]
    confirmed = calendar.year(year)
    return {"year": year, "items": items, "total": len(items), "confirmed": confirmed is not None,
            "confirmed_at": confirmed["confirmed_at"].isoformat() if confirmed else None}


def confirm_calendar_year(tx, year: Any) -> dict:
    """确认某年节假日安排已录入完整: from then on working-day periods are computed through that year.
    A year without a single holiday entered is refused (400): confirming it would count every
    weekday as a working day, the guess this confirmation exists to prevent."""
    year = check_year(year)
    calendar = tx.repository(CalendarRepository)
    holidays = calendar.count_of(year, HOLIDAY)
    if not holidays:
        raise InvalidInput.field("year", "calendar.year_empty", f"请先录入{year}年的法定节假日，再确认该年节假日安排")
    if calendar.year(year, lock=True) is None:
        calendar.confirm_year(year, tx.principal.account_id, tx.now)
        tx.audit("calendar_year.confirm", "calendar_year", str(year), after={"year": year, "holidays": holidays})
    return list_calendar_days(tx, year)


CALENDAR_TODO = ("calendar.year_missing", "{year}年节假日安排尚未录入，公示期无法按工作日计算",
                 "/portal/calendar?year={year}")


def calendar_todos(tx) -> list[dict]:
    """The admin's to-do: this year or next year (local time) without a confirmed schedule."""
    this_year = to_local(tx.now).year
    known = known_years(tx)
    key, label, href = CALENDAR_TODO
    return [{"key": key, "count": 1, "label": label.format(year=y), "href": href.format(year=y)}
            for y in (this_year, this_year + 1) if y not in known]
