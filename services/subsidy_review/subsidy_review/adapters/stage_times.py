"""The queries of the stage-time report and of the time limits (policy data)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.clock import SHANGHAI
from subsidy_review.adapters.orm import applications, stage_limits, timeline
from subsidy_review.adapters.repository import visible_to

#: the zone of a stay's first day
LOCAL_ZONE = SHANGHAI.key


class StageTimeRepository:
    """Applications' paths (timeline entries) in the caller's scope and each city's stage time limits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def paths(self, principal: Principal, city: str, county: str | None, until: datetime) -> list[dict]:
        """Applications of ``city`` (of ``county``) the caller may see, each with its status and its
        timeline entries up to ``until`` as ``(stage, at)``, oldest first."""
        stmt = self._paths(principal).where(applications.c.city == city, timeline.c.at <= until)
        if county:
            stmt = stmt.where(applications.c.county == county)
        return self._grouped(stmt)

    def paths_of(self, principal: Principal, application_ids: list[str]) -> list[dict]:
        """The paths (as :meth:`paths`, with the city) of these applications the caller may see."""
        return self._grouped(self._paths(principal).where(applications.c.id.in_(application_ids)))

    def waiting_in_status(self, principal: Principal, statuses: list[str]) -> list[Any]:
        """How many applications the caller may see in ``statuses`` have waited since each local day
        (Asia/Shanghai): rows of (city, status, day, count), from the index of (area, status,
        waiting_since) alone; applications at a final status or without a timeline are not counted."""
        day = cast(func.timezone(LOCAL_ZONE, applications.c.waiting_since), Date).label("day")
        stmt = (select(applications.c.city, applications.c.status, day, func.count().label("count"))
                .where(visible_to(principal), applications.c.status.in_(statuses),
                       applications.c.waiting_since.isnot(None))
                .group_by(applications.c.city, applications.c.status, day))
        return list(self.session.execute(stmt))

    @staticmethod
    def _paths(principal: Principal) -> Any:
        """One row per application with its entries' stages and times as two arrays in time order: the
        to-do counters read every waiting application of the caller's area, and a row per entry cost
        more to fetch and regroup than the clocks themselves (issue 15)."""
        order = (timeline.c.at, timeline.c.id)
        return (select(applications.c.id, applications.c.county, applications.c.city, applications.c.status,
                       func.array_agg(aggregate_order_by(timeline.c.stage, *order)).label("stages"),
                       func.array_agg(aggregate_order_by(timeline.c.at, *order)).label("ats"))
                .join(timeline, timeline.c.application_id == applications.c.id)
                .where(visible_to(principal))
                .group_by(applications.c.id)
                .order_by(applications.c.id))

    def _grouped(self, stmt: Any) -> list[dict]:
        return [{"id": r.id, "county": r.county, "city": r.city, "status": r.status,
                 "steps": list(zip(r.stages, r.ats, strict=True))} for r in self.session.execute(stmt)]

    def limits(self, city: str) -> list[Any]:
        """Every version of the city's limits: stage, working_days, effective_from."""
        return list(self.session.execute(select(stage_limits).where(stage_limits.c.city == city)
                                         .order_by(stage_limits.c.stage, stage_limits.c.effective_from)).mappings())

    def put_limit(self, city: str, stage: int, effective_from: date, working_days: int, set_by: str | None,
                  at: datetime) -> None:
        values = {"working_days": working_days, "set_by": set_by, "set_at": at}
        self.session.execute(pg_insert(stage_limits).values(city=city, stage=stage, effective_from=effective_from,
                                                            **values)
                             .on_conflict_do_update(index_elements=["city", "stage", "effective_from"], set_=values))
