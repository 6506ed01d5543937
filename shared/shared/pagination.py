"""Lists: ``?page=1&page_size=20`` (max 200) -> ``{"items", "total", "page", "page_size"}``."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from shared import hardening
from shared.errors import InvalidInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000  # OFFSET stays far inside bigint; no list is 20 million rows long


def page_params(page: Any = 1, page_size: Any = DEFAULT_PAGE_SIZE) -> tuple[int, int]:
    """Validated (page, page_size): true integers in 1..MAX_PAGE and 1..MAX_PAGE_SIZE, else a 400
    with a Chinese message (never an OFFSET overflow in the database)."""
    page_i = hardening.strict_int(1 if page in (None, "") else page, "page", what="页码")
    size_i = hardening.strict_int(DEFAULT_PAGE_SIZE if page_size in (None, "") else page_size, "page_size",
                                  what="每页条数")
    if not 1 <= page_i <= MAX_PAGE:
        raise InvalidInput.field("page", "pagination.invalid", f"页码应为1-{MAX_PAGE}")
    if not 1 <= size_i <= MAX_PAGE_SIZE:
        raise InvalidInput.field("page_size", "pagination.invalid", f"每页条数应为1-{MAX_PAGE_SIZE}")
    return page_i, size_i


def paginate(session: Session, stmt: Select[*tuple[Any, ...]], page: Any, page_size: Any,
             serialize: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Run ``stmt`` (already filtered and ordered) for one page, with the total count."""
    page_i, size_i = page_params(page, page_size)
    total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = session.execute(stmt.offset((page_i - 1) * size_i).limit(size_i))
    return {"items": [serialize(r) for r in rows], "total": total, "page": page_i, "page_size": size_i}


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` literally anywhere."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def known_filter(filters: Mapping[str, Any], key: str, allowed: Any, message: str,
                 code: str = "filter.status_unknown") -> Any:
    """The list filter ``key`` when the caller set it (None otherwise), refused (400 ``code``, ``message``)
    unless it is one of ``allowed``."""
    value = filters.get(key)
    if not value:
        return None
    if value not in allowed:
        raise InvalidInput.field(key, code, message)
    return value


def narrowed(stmt: Select[*tuple[Any, ...]], filters: Mapping[str, Any], *, equal: Mapping[str, Any] | None = None,
             one_of: Mapping[str, Any] | None = None, search: Sequence[Any] = (),
             search_key: str = "q") -> Select[*tuple[Any, ...]]:
    """``stmt`` narrowed by a list's filters, each given only when the caller set it:

    - ``equal``: filter name -> column, the column equals the value;
    - ``one_of``: filter name -> column, the column is one of the values (a list, or text "a,b");
    - ``search``: columns any of which contains the ``search_key`` filter's text literally."""
    for key, column in (equal or {}).items():
        if filters.get(key):
            stmt = stmt.where(column == str(filters[key]))
    for key, column in (one_of or {}).items():
        if filters.get(key):
            value = filters[key]
            stmt = stmt.where(column.in_(list(value) if isinstance(value, list | tuple) else str(value).split(",")))
    if search and filters.get(search_key):
        pattern = like_pattern(str(filters[search_key]))
        stmt = stmt.where(or_(*(column.ilike(pattern) for column in search)))
    return stmt
