"""Parameters the platform admin keeps: the publicity period per city and the holiday schedule."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import extract, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from publicity_assessment.adapters.orm import calendar_days, publicity_policies
from publicity_assessment.domain.calendar import (
    DEFAULT_POLICY,
    KINDS,
    OVERRIDE_WINDOW_DAYS,
    PublicityPolicy,
    check_calendar_day,
    check_policy,
)
from shared import regions
from shared.errors import InvalidInput
from shared.service import Tx


def _check_city(city: Any) -> str:
    if not isinstance(city, str) or not regions.exists(city.strip()) or regions.city_of(city.strip()) != city.strip():
        raise InvalidInput.field("city", "policy.city_invalid", "请选择有效的地级市行政区划")
    return city.strip()


def policy_of(tx: Tx, city: str) -> PublicityPolicy:
    """The city's publicity policy, or the usual 5 working days when the admin has set none."""
    row = tx.session.execute(select(publicity_policies).where(publicity_policies.c.city == city)).mappings().first()
    return PublicityPolicy(row["days"], row["counts_working_days"]) if row else DEFAULT_POLICY


def overrides_from(tx: Tx, start: date) -> dict[date, str]:
    """The holiday schedule's entries that can matter for a period starting on ``start``."""
    rows = tx.session.execute(select(calendar_days.c.day, calendar_days.c.kind).where(
        calendar_days.c.day > start, calendar_days.c.day <= start + timedelta(days=OVERRIDE_WINDOW_DAYS)))
    return {r.day: r.kind for r in rows}


def _policy_view(tx: Tx, city: str) -> dict:
    row = tx.session.execute(select(publicity_policies).where(publicity_policies.c.city == city)).mappings().first()
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
    tx.session.execute(pg_insert(publicity_policies).values(
        city=city, days=policy.days, counts_working_days=policy.counts_working_days, updated_at=tx.now,
    ).on_conflict_do_update(index_elements=["city"], set_={
        "days": policy.days, "counts_working_days": policy.counts_working_days, "updated_at": tx.now}))
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
    before = tx.session.execute(select(calendar_days).where(calendar_days.c.day == parsed)).mappings().first()
    tx.session.execute(pg_insert(calendar_days).values(day=parsed, kind=kind, name=name).on_conflict_do_update(
        index_elements=["day"], set_={"kind": kind, "name": name}))
    tx.audit("calendar_day.set", "calendar_day", parsed.isoformat(),
             before=_day_view(before["day"], before["kind"], before["name"]) if before else None,
             after=_day_view(parsed, kind, name))
    return _day_view(parsed, kind, name)


def list_calendar_days(tx: Tx, year: Any) -> dict:
    """The schedule of one year, in date order."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput.field("year", "calendar.year_invalid", "年份应为2000-2100的整数")
    rows = tx.session.execute(select(calendar_days).where(extract("year", calendar_days.c.day) == year)
                              .order_by(calendar_days.c.day)).mappings()
    items = [_day_view(r["day"], r["kind"], r["name"]) for r in rows]
    return {"year": year, "items": items, "total": len(items)}
