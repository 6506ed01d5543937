"""各环节办理时限 and 环节用时统计: the city's time limit per stage (policy data, with effective dates)
and, for the city HRSS, the time each authority and county took at each stage over a period,
computed from the applications' timeline in working days."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from shared import regions
from shared.auth.roles import Role
from shared.clock import SHANGHAI, to_local
from shared.contracts.statuses import APPLICATION_STATUSES, STAGE_NAMES, STAGE_ROLES
from shared.errors import InvalidInput
from shared.service import Tx
from shared.workdays import check_years_known
from subsidy_review.adapters.stage_times import StageTimeRepository
from subsidy_review.domain.stage_times import (
    WAITING_STAGE,
    Limit,
    Stay,
    Step,
    check_limits,
    figures,
    limit_on,
    stays,
)
from subsidy_review.use_cases.reading import TODOS

MAX_PERIOD_DAYS = 366


def _city(value: Any) -> str:
    if not isinstance(value, str) or not regions.exists(value) or regions.city_of(value) != value:
        raise InvalidInput.field("city", "region.unknown", "请选择有效的地级市")
    return value


def _day(value: Any, field: str) -> date:
    try:
        if isinstance(value, str):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidInput.field(field, "date.invalid", "日期格式应为YYYY-MM-DD")


def _limits(tx: Tx, city: str) -> list[Limit]:
    return [Limit(r["stage"], r["working_days"], r["effective_from"])
            for r in tx.repository(StageTimeRepository).limits(city)]


def get_stage_limits(tx: Tx, city: Any) -> dict:
    """The limits in force today per stage, with every version (each from its date)."""
    city = _city(city)
    limits = _limits(tx, city)
    today = to_local(tx.now).date()
    return {"city": city, "city_name": regions.name_of(city), "stages": [{
        "stage": stage, "name": name, "authority": STAGE_ROLES[stage],
        "authority_label": Role(STAGE_ROLES[stage]).label,
        "working_days": limit_on(limits, stage, today),
        "versions": [{"working_days": x.working_days, "effective_from": x.effective_from.isoformat()}
                     for x in limits if x.stage == stage]} for stage, name in STAGE_NAMES.items()]}


def set_stage_limits(tx: Tx, city: Any, limits: Any, effective_from: Any) -> dict:
    """New limits for some stages from ``effective_from`` on; earlier stays keep the limit of their time."""
    city = _city(city)
    values = check_limits(limits)
    start = _day(effective_from, "effective_from")
    before = get_stage_limits(tx, city)
    for stage, days in sorted(values.items()):
        tx.repository(StageTimeRepository).put_limit(city, stage, start, days, tx.principal.account_id, tx.now)
    tx.audit("stage_limits.set", "stage_limits", city, region=city,
             before={str(s["stage"]): s["working_days"] for s in before["stages"]},
             after={"effective_from": start.isoformat(), **{str(k): v for k, v in values.items()}})
    return get_stage_limits(tx, city)


def _calendar(calendar: Any) -> tuple[dict[date, str], set[int]]:
    """The holiday schedule the caller fetched from its owner (publicity_assessment): its entries, and
    the years both confirmed complete and wholly inside the window it was fetched for."""
    calendar = calendar if isinstance(calendar, dict) else {}
    overrides = {date.fromisoformat(k): v for k, v in (calendar.get("overrides") or {}).items()}
    first, last = calendar.get("first"), calendar.get("last")
    if not first or not last:
        return overrides, set()
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return overrides, {int(y) for y in calendar.get("known_years") or []
                       if start <= date(int(y), 1, 1) and date(int(y), 12, 31) <= end}


def _all_stays(tx: Tx, city: str, county: str | None, until: datetime) -> list[Stay]:
    result: list[Stay] = []
    for path in tx.repository(StageTimeRepository).paths(tx.principal, city, county, until):
        result += stays(path["id"], path["county"], path["status"], [Step(s, at) for s, at in path["steps"]])
    return result


def stage_time_report(tx: Tx, filters: dict, calendar: Any) -> dict:
    """Per stage and county: stays ended in the period (``from``-``to``, local dates; working days:
    median, p90, how many over the limit) and stays still open today (how many over the limit)."""
    city = tx.principal.region or ""
    first, last = _day(filters.get("from"), "from"), _day(filters.get("to"), "to")
    if last < first or (last - first).days > MAX_PERIOD_DAYS:
        raise InvalidInput.field("to", "period.invalid", f"统计期间应从起始日至截止日，且不超过{MAX_PERIOD_DAYS}天")
    county = filters.get("county") or None
    if county is not None and (not regions.exists(county) or regions.city_of(county) != city):
        raise InvalidInput.field("county", "region.unknown", "请选择本市的县区")
    overrides, known = _calendar(calendar)
    today = to_local(tx.now).date()
    until = datetime.combine(last + timedelta(days=1), time(), SHANGHAI)
    all_stays = _all_stays(tx, city, county, until)
    if all_stays:
        check_years_known(min(to_local(s.started).date() for s in all_stays), max(today, last), known)
    limits = _limits(tx, city)
    cells = figures(all_stays, limits, first, last, today, overrides)
    rows = []
    for (stage, code), cell in sorted(cells.items()):
        role = STAGE_ROLES[stage]
        rows.append({"stage": stage, "stage_name": STAGE_NAMES[stage], "authority": role,
                     "authority_label": Role(role).label, "county": code, "county_name": regions.name_of(code),
                     "limit_days": limit_on(limits, stage, today), **cell.view()})
    return {"city": city, "from": first.isoformat(), "to": last.isoformat(), "today": today.isoformat(),
            "unit": "working_days", "items": rows}


MAX_CLOCKS = 200


def stage_clocks(tx: Tx, application_ids: Any, calendar: Any) -> dict:
    """How long each of these applications (a to-do list's page) has waited at its current stage, in
    working days, against the limit in force when the stay began: ``{id: {stage, stage_name,
    working_days, limit_days, overdue, overdue_days, overdue_label}}``. An application the caller may
    not see, one at a final status, or one whose stay reaches a year without a holiday schedule is left
    out (never guessed)."""
    if not isinstance(application_ids, list) or len(application_ids) > MAX_CLOCKS \
            or not all(isinstance(i, str) for i in application_ids):
        raise InvalidInput.field("application_ids", "application.ids_invalid",
                                 f"申请标识应为不超过{MAX_CLOCKS}个的列表")
    clock = _Clocks(tx, calendar)
    result: dict[str, dict] = {}
    for path in tx.repository(StageTimeRepository).paths_of(tx.principal, application_ids):
        found = clock.of(path)
        if found is not None:
            result[path["id"]] = found
    return result


class _Clocks:
    """The clock of a stay still open: working days so far against the limit in force when the stay
    began (the one rule of 超时, for a list's rows and for the to-do counters alike, of an application
    from its timeline and of a batch from the time it reached the authority)."""

    def __init__(self, tx: Tx, calendar: Any) -> None:
        self.tx, (self.overrides, self.known) = tx, _calendar(calendar)
        self.today = to_local(tx.now).date()
        self.limits_by_city: dict[str, list[Limit]] = {}
        # a to-do counter runs this for every waiting application: what depends only on the day the
        # stay began (and the city's limits) is worked out once per day, not once per application
        self.days_since: dict[date, int] = {}

    def of(self, path: dict) -> dict | None:
        """None for an application at a final status or whose stay reaches a year without a schedule."""
        open_stays = [s for s in stays(path["id"], path["county"], path["status"],
                                       [Step(stage, at) for stage, at in path["steps"]]) if s.ended is None]
        if not open_stays:
            return None
        return self.clock(path["city"], open_stays[-1].stage, open_stays[-1].started)

    def clock(self, city: str, stage: int, started: datetime) -> dict | None:
        """The clock of a stay at ``stage`` of ``city`` since ``started`` (None when a year it reaches
        has no holiday schedule: never guessed)."""
        began = to_local(started).date()
        if any(y not in self.known for y in range(began.year, self.today.year + 1)):
            return None
        limits = self.limits_by_city.get(city)
        if limits is None:   # once per city (not setdefault: its default would query for every path)
            limits = self.limits_by_city[city] = _limits(self.tx, city)
        limit = limit_on(limits, stage, began)
        days = self.days_since.get(began)
        if days is None:     # an open stay runs to today: working days from the day it began
            days = self.days_since[began] = Stay("", "", stage, started, None).working_days(self.today,
                                                                                          self.overrides)
        late = max(days - limit, 0) if limit is not None else 0
        return {"stage": stage, "stage_name": STAGE_NAMES[stage], "working_days": days, "limit_days": limit,
                "overdue": late > 0, "overdue_days": late,
                "overdue_label": OVERDUE_LABEL.format(n=late) if late else None}

    def of_wait(self, wait: dict) -> dict | None:
        """The clock of what a batch waits at (:func:`shared.contracts.waiting.waiting`)."""
        return self.clock(wait["city"], wait["stage"], wait["since"])


#: the badge of an overdue row (the portal shows it as it is)
OVERDUE_LABEL = "已超时 {n} 个工作日"


def _waits(values: Any, field: str) -> dict[str, dict]:
    """``{id: {"city", "stage", "since"}}`` as the batch services hand it over, checked."""
    if not isinstance(values, dict) or len(values) > MAX_CLOCKS:
        raise InvalidInput.field(field, "waiting.invalid", f"等待信息应为不超过{MAX_CLOCKS}项的对象")
    result: dict[str, dict] = {}
    for key, wait in values.items():
        wait = wait if isinstance(wait, dict) else {}
        stage, city, since = wait.get("stage"), wait.get("city"), wait.get("since")
        try:
            at = datetime.fromisoformat(since.replace("Z", "+00:00")) if isinstance(since, str) else None
        except ValueError:
            at = None
        if not isinstance(key, str) or isinstance(stage, bool) or stage not in STAGE_NAMES \
                or not isinstance(city, str) or not regions.exists(city) or at is None or at.tzinfo is None:
            raise InvalidInput.field(field, "waiting.invalid", "等待信息应包含环节编号、地级市和带时区的开始时间")
        result[key] = {"city": regions.city_of(city), "stage": stage, "since": at}
    return result


def batch_clocks(tx: Tx, waits: Any, calendar: Any) -> dict:
    """How long each batch of a to-do list (``{id: {city, stage, since}}``, what its service says it
    waits at) has waited at its stage, by the rule of :func:`stage_clocks`: ``{id: clock}``; one whose
    stay reaches a year without a holiday schedule is left out."""
    clock = _Clocks(tx, calendar)
    result: dict[str, dict] = {}
    for key, wait in _waits(waits, "waits").items():
        found = clock.of_wait(wait)
        if found is not None:
            result[key] = found
    return result


def overdue_todos(tx: Tx, calendar: Any, counters: Any = None) -> dict[str, int]:
    """其中超时 N of each of the caller's to-do counters (:data:`TODOS`): how many of the applications it
    counts have waited at their stage past the limit (``{key: n}``). ``counters``: the other services'
    counters, ``{key: {"statuses": [...]}}`` (applications in these statuses the caller may see) or
    ``{key: {"waits": [{city, stage, since}, ...]}}`` (the batches it counts), counted by the same rule.
    None for an applicant: as on the lists, the clocks are the offices' (an applicant's own 退回 counter
    has no 超时)."""
    if tx.principal.role == Role.INDIVIDUAL:
        return {}
    others = _counters(counters)
    clock = _Clocks(tx, calendar)
    result: dict[str, int] = {}
    repository = tx.repository(StageTimeRepository)
    wanted = [(statuses.split(","), key) for statuses, key, _label in TODOS.get(tx.principal.role, [])]
    wanted += [(spec["statuses"], key) for key, spec in others.items() if "statuses" in spec]
    for statuses, key in wanted:   # by the day each stay began (applications.waiting_since), not one by one
        result[key] = sum(row.count for row in repository.waiting_in_status(tx.principal, statuses)
                          if row.status in WAITING_STAGE and (clock.clock(
                              row.city, WAITING_STAGE[row.status], datetime.combine(row.day, time(), SHANGHAI))
                              or {}).get("overdue"))
    for key, spec in others.items():
        if "waits" in spec:
            result[key] = sum(1 for wait in spec["waits"].values() if (clock.of_wait(wait) or {}).get("overdue"))
    return result


def _counters(values: Any) -> dict[str, dict]:
    """The other services' counters of :func:`overdue_todos`, checked."""
    if values is None:
        return {}
    if not isinstance(values, dict) or len(values) > 50:
        raise InvalidInput.field("counters", "counters.invalid", "待办计数应为对象")
    result: dict[str, dict] = {}
    for key, spec in values.items():
        spec = spec if isinstance(spec, dict) else {}
        statuses = spec.get("statuses")
        if isinstance(statuses, list) and statuses and all(s in APPLICATION_STATUSES for s in statuses):
            result[key] = {"statuses": statuses}
        elif isinstance(spec.get("waits"), list):
            result[key] = {"waits": _waits({str(i): w for i, w in enumerate(spec["waits"])}, "counters")}
        else:
            raise InvalidInput.field("counters", "counters.invalid", "待办计数应给出申请状态或批次的等待信息")
    return result
