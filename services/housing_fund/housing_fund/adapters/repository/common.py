"""What every housing_fund repository shares: a page of rows and the own-or-area condition."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.jobs import JobRepository as JobRepository  # the use cases' job reads, as every service's
from shared.pagination import paginate

View = Callable[[Any], Any]


def _page(session: Any, stmt: Any, page: Any, page_size: Any, view: View) -> dict:
    """A page of ``stmt``'s rows, each shown by ``view`` (given the row as a mapping)."""
    return paginate(session, stmt, page, page_size, lambda r: view(r._mapping))


def _own_or_area(column_employer: Any, column_region: Any, employer_id: str | None, area: list[str]) -> Any:
    """The rows of ``employer_id`` (an employer's own), else those of the bureau's ``area``."""
    return column_employer == employer_id if employer_id is not None else column_region.in_(area)
