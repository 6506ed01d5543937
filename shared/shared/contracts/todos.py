"""Who has to-do counters where (您有【N】个… on the portal's home page): the roles each service counts
for. A service answers any other role an empty list (its ``todos`` starts with :func:`counts_for`), so
the gateway asks only the services that count for the caller's role: a to-do page asked all six on
every request, four of them only to hear "none" for a unit clerk (issue 15)."""
from __future__ import annotations

from shared.auth.roles import Role

COUNTER_ROLES: dict[str, frozenset[str]] = {
    "unit_registry": frozenset({Role.UNIT_ADMIN, Role.COUNTY_HRSS}),
    "subsidy_review": frozenset({Role.UNIT_ADMIN, Role.COUNTY_HRSS, Role.INDIVIDUAL}),
    "publicity_assessment": frozenset({Role.COUNTY_HRSS, Role.SYS_ADMIN}),
    "org_confirmation": frozenset({Role.COUNTY_ORG, Role.CITY_HRSS, Role.CITY_ORG}),
    "finance_disbursement": frozenset({Role.CITY_FINANCE, Role.COUNTY_FINANCE, Role.INDIVIDUAL}),
    "housing_fund": frozenset({Role.HOUSING_BUREAU, Role.EMPLOYER}),
}


def counts_for(service: str, role: str | None) -> bool:
    """Whether ``service`` has to-do counters for ``role``."""
    return role in COUNTER_ROLES.get(service, frozenset())
