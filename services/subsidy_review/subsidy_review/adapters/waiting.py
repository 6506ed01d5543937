"""``applications.waiting_since``: when the stay an application still waits in began, kept by the write
paths so that a to-do counter's 其中超时 counts from an index instead of reading every waiting
application's timeline (issue 15: a county's to-do list read 8,000 paths per request at 100,000).

The rule is :func:`subsidy_review.domain.stage_times.waiting_since` (the open stay of ``stays``), here
in SQL over the application's timeline entries in time order (``at``, then ``id``):

- at a final status (or one without a stage) nothing waits: NULL; without an entry: NULL;
- the last entry is of the stage the status waits at (公示 started, not ended): the stay began at the
  entry before that last run of the stage, i.e. the latest entry of another stage, or the first entry
  when there is none;
- else it began at the last entry.

``ApplicationRepository`` recomputes it in the same transaction after each timeline entry
(``refresh``): every status change is recorded with its entry after it (``common.change``, the mirror's
``record_stage_event``, the bulk approval), and an entry without a status change (an older round's
event arriving late) may move the stay too; migration ``0014_waiting_since`` filled the existing rows with the same
statement. services/subsidy_review/tests/service/test_waiting_since.py compares it with the Python rule.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, null, select, update
from sqlalchemy.orm import Session

from subsidy_review.adapters.orm import applications, timeline
from subsidy_review.domain.stage_times import WAITING_STAGE


def _entry(column: Any, *where: Any, newest: bool = True) -> Any:
    """``column`` of the application's newest (or oldest) timeline entry matching ``where``."""
    order = (timeline.c.at.desc(), timeline.c.id.desc()) if newest else (timeline.c.at, timeline.c.id)
    return (select(column).where(timeline.c.application_id == applications.c.id, *where)
            .order_by(*order).limit(1).scalar_subquery())


def waiting_since() -> Any:
    """The SQL expression of the rule above, for a row of ``applications``."""
    stage = case(WAITING_STAGE, value=applications.c.status, else_=null())
    return case(
        (stage.is_(None), null()),
        (_entry(timeline.c.stage) == stage,
         func.coalesce(_entry(timeline.c.at, timeline.c.stage != stage), _entry(timeline.c.at, newest=False))),
        else_=_entry(timeline.c.at))


def refresh(session: Session, application_ids: list[str]) -> None:
    """Recompute ``waiting_since`` of these applications (one statement; unchanged rows are not rewritten)."""
    if not application_ids:
        return
    value = waiting_since()
    session.execute(update(applications)
                    .where(and_(applications.c.id.in_(sorted(set(application_ids))),
                                applications.c.waiting_since.is_distinct_from(value)))
                    .values(waiting_since=value))
