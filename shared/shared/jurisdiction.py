"""Which rows an officer may see, as one SQL condition: the same rule as
:meth:`shared.auth.principal.Principal.sees_region`, for queries."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, true

from shared import regions
from shared.auth.principal import Principal
from shared.auth.roles import LEVELS, Role
from shared.errors import Forbidden


def area_of(principal: Principal) -> list[str]:
    """The region codes an officer covers: its own, and every county of its city for a city officer."""
    if LEVELS.get(principal.role) == "county":
        return [principal.region or ""]
    return sorted({principal.region or "", *(r.code for r in regions.counties_of(principal.region or ""))})


def within(principal: Principal, *, county: ColumnElement[Any], city: ColumnElement[Any] | None = None,
           unit: ColumnElement[Any] | None = None, account: ColumnElement[Any] | None = None) -> ColumnElement[bool]:
    """The condition "this row is the caller's to see": the individual's own (``account``), the unit
    clerk's unit's (``unit``), a county officer's county, a city officer's city (``city``, or the
    counties of the city when the table keeps only ``county``), everything for the platform admin.
    Any other role is refused (403)."""
    role, level = principal.role, LEVELS.get(principal.role)
    if role == Role.SYS_ADMIN:
        return true()
    if role == Role.INDIVIDUAL and account is not None:
        return account == principal.account_id
    if role == Role.UNIT_ADMIN and unit is not None:
        return unit == principal.unit_id
    if level == "county":
        return county == principal.region
    if level == "city":
        return city == principal.region if city is not None else county.in_(area_of(principal))
    if level == "area":
        return county.in_(area_of(principal))
    raise Forbidden()


def sees(principal: Principal, row: Any, *, county: str, city: str | None = None, unit: str | None = None,
         account: str | None = None) -> bool:
    """:func:`within` for one row in memory (``county`` etc. name its keys): what an in-memory
    repository uses, so a fake answers 404 exactly where the query would."""
    role, level = principal.role, LEVELS.get(principal.role)
    if role == Role.SYS_ADMIN:
        return True
    if role == Role.INDIVIDUAL and account is not None:
        return bool(row[account] == principal.account_id)
    if role == Role.UNIT_ADMIN and unit is not None:
        return bool(row[unit] == principal.unit_id)
    if level == "county":
        return bool(row[county] == principal.region)
    if level == "city":
        return row[city] == principal.region if city is not None else row[county] in area_of(principal)
    if level == "area":
        return row[county] in area_of(principal)
    raise Forbidden()
