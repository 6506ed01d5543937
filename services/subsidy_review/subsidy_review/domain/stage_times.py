"""Stage times: how long an application waited at each stage, in working days, against the city's
time limit for that stage (policy data with effective dates). Pure: the timeline's entries, the
limits and the holiday schedule are handed in.

A stage's time runs from the entry before it on the application's path (the previous authority's
step) to the step of that stage; consecutive steps of one stage are one stay (公示: the county starts
the publicity, then it ends). A stay with no step yet is still open: it runs to today.
"""
from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from shared.clock import to_local
from shared.contracts.statuses import APPLICATION_STATUSES, FINAL_STATUSES
from shared.errors import InvalidInput
from shared.workdays import working_days_between

MAX_LIMIT_DAYS = 250
#: the stage each status waits at (a final status: none)
WAITING_STAGE = {status: stage for status, (stage, _label) in APPLICATION_STATUSES.items()
                 if status not in FINAL_STATUSES}


@dataclass(frozen=True)
class Step:
    """One entry of an application's timeline."""

    stage: int
    at: datetime


@dataclass(frozen=True)
class Stay:
    """The time an application spent at one stage; ``ended`` None while it still waits there."""

    application_id: str
    county: str
    stage: int
    started: datetime
    ended: datetime | None

    def working_days(self, today: date, overrides: Mapping[date, str]) -> int:
        end = to_local(self.ended).date() if self.ended else today
        return working_days_between(to_local(self.started).date(), end, overrides)


def stays(application_id: str, county: str, status: str, steps: Sequence[Step]) -> list[Stay]:
    """The stays of one application from its timeline (in time order) and its current status."""
    result: list[Stay] = []
    run_stage, run_start = None, None
    for before, step in zip(steps, steps[1:], strict=False):
        if step.stage != run_stage:
            if run_stage is not None and run_start is not None:
                result.append(Stay(application_id, county, run_stage, run_start, before.at))
            run_stage, run_start = step.stage, before.at
    waiting = WAITING_STAGE.get(status)
    if run_stage is not None and run_start is not None:
        if waiting == run_stage:   # the last stay goes on (公示 started, not ended yet)
            result.append(Stay(application_id, county, run_stage, run_start, None))
            return result
        result.append(Stay(application_id, county, run_stage, run_start, steps[-1].at))
    if waiting is not None and steps:
        result.append(Stay(application_id, county, waiting, steps[-1].at, None))
    return result


def waiting_since(status: str, steps: Sequence[Step]) -> datetime | None:
    """When the stay the application still waits in began (the open stay of :func:`stays`), None at a
    final status or without a step. The write paths keep it on the application (``waiting_since``,
    the same rule in SQL: ``adapters.repository.WAITING_SINCE``) so a to-do counter's 其中超时 reads an
    index instead of every waiting application's timeline."""
    open_stays = [s for s in stays("", "", status, steps) if s.ended is None]
    return open_stays[-1].started if open_stays else None


@dataclass(frozen=True)
class Limit:
    """A stage's time limit in working days, in force from ``effective_from``."""

    stage: int
    working_days: int
    effective_from: date


def limit_on(limits: Iterable[Limit], stage: int, day: date) -> int | None:
    """The limit of ``stage`` in force on ``day`` (the latest version not after it), or None."""
    versions = [x for x in limits if x.stage == stage and x.effective_from <= day]
    return max(versions, key=lambda x: x.effective_from).working_days if versions else None


def check_limits(values: object) -> dict[int, int]:
    """The admin's table: ``[{"stage": 1-13, "working_days": 1-250}, ...]`` (each stage once)."""
    if not isinstance(values, list) or not values:
        raise InvalidInput.field("limits", "stage_limits.invalid", "请填写各环节办理时限（工作日）")
    result: dict[int, int] = {}
    for entry in values:
        entry = entry if isinstance(entry, dict) else {}
        stage, days = entry.get("stage"), entry.get("working_days")
        if isinstance(stage, bool) or not isinstance(stage, int) or not 1 <= stage <= 13 or stage in result:
            raise InvalidInput.field("limits", "stage_limits.stage_invalid", "环节编号应为1-13，且每个环节只填一次")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_LIMIT_DAYS:
            raise InvalidInput.field("limits", "stage_limits.days_invalid",
                                     f"办理时限应为1-{MAX_LIMIT_DAYS}个工作日的整数")
        result[stage] = days
    return result


def percentile(values: Sequence[int], share: float) -> int:
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def median(values: Sequence[int]) -> float | int:
    value = statistics.median(values)
    return int(value) if float(value).is_integer() else float(value)


@dataclass
class Figures:
    """One cell of the report: the stays of a stage in a county."""

    days: list[int]
    overdue: int = 0
    open: int = 0
    open_overdue: int = 0

    def view(self) -> dict:
        return {"completed": len(self.days), "median_days": median(self.days) if self.days else None,
                "p90_days": percentile(self.days, 0.9) if self.days else None, "overdue": self.overdue,
                "open": self.open, "open_overdue": self.open_overdue}


def overdue(stay: Stay, limits: Iterable[Limit], today: date, overrides: Mapping[date, str]) -> bool:
    limit = limit_on(limits, stay.stage, to_local(stay.started).date())
    return limit is not None and stay.working_days(today, overrides) > limit


def figures(all_stays: Iterable[Stay], limits: Sequence[Limit], first: date, last: date, today: date,
            overrides: Mapping[date, str]) -> dict[tuple[int, str], Figures]:
    """Per (stage, county): the stays that ended from ``first`` to ``last`` (local dates) with their
    working days and how many were over the limit, and the stays still open today."""
    cells: dict[tuple[int, str], Figures] = {}
    for stay in all_stays:
        late = overdue(stay, limits, today, overrides)
        if stay.ended is None:
            cell = cells.setdefault((stay.stage, stay.county), Figures([]))
            cell.open += 1
            cell.open_overdue += late
        elif first <= to_local(stay.ended).date() <= last:
            cell = cells.setdefault((stay.stage, stay.county), Figures([]))
            cell.days.append(stay.working_days(today, overrides))
            cell.overdue += late
    return cells
