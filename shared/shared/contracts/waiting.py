"""What a batch (公示批次, 市级汇总批次, 拨付批次, 拨付单) waits at: the stage it is at, the city whose time
limits apply and since when it has waited at that authority. The services that keep batches put it on
their list items and to-do counters; subsidy_review, which keeps the limits, times it with the one
stage-clock rule (``batch_clocks`` / ``overdue_todos``)."""
from __future__ import annotations

from datetime import datetime

from shared.clock import utc_iso


def waiting(city: str, stage: int, since: datetime | None) -> dict[str, object] | None:
    """``{"city", "stage", "since"}`` (``since`` ISO 8601 UTC), or None when the time is not known."""
    return {"city": city, "stage": stage, "since": utc_iso(since)} if since else None
