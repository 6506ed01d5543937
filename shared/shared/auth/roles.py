"""Roles of domain.md: who they are, their level and their Chinese label."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    INDIVIDUAL = "individual"
    UNIT_ADMIN = "unit_admin"
    COUNTY_HRSS = "county_hrss"
    COUNTY_ORG = "county_org"
    CITY_HRSS = "city_hrss"
    CITY_ORG = "city_org"
    CITY_FINANCE = "city_finance"
    COUNTY_FINANCE = "county_finance"
    HOUSING_BUREAU = "housing_bureau"
    SYS_ADMIN = "sys_admin"
    EMPLOYER = "employer"    # line B: 汇缴单位经办人; the principal's unit_id is the employer's id
    EMPLOYEE = "employee"    # line B: 职工; the principal's unit_id is the employee's id in housing_fund

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def level(self) -> str | None:
        return LEVELS.get(self)


LABELS = {
    Role.INDIVIDUAL: "个人", Role.UNIT_ADMIN: "单位经办人", Role.COUNTY_HRSS: "县区人社局",
    Role.COUNTY_ORG: "县区组织部", Role.CITY_HRSS: "市人社局", Role.CITY_ORG: "市组织部",
    Role.CITY_FINANCE: "市财政局", Role.COUNTY_FINANCE: "县财政局", Role.HOUSING_BUREAU: "住建局",
    Role.SYS_ADMIN: "系统管理员", Role.EMPLOYER: "汇缴单位经办人", Role.EMPLOYEE: "职工",
}
LEVELS: dict[str, str] = {  # by role (a Role is a str)
    Role.COUNTY_HRSS: "county", Role.COUNTY_ORG: "county", Role.COUNTY_FINANCE: "county",
    Role.CITY_HRSS: "city", Role.CITY_ORG: "city", Role.CITY_FINANCE: "city",
    Role.HOUSING_BUREAU: "area",  # a city or a county bureau, by its region code
}


#: the officers: every role that approves or returns something (not the applicants, not line B's callers).
#: Each keeps saved opinions (常用审核意见) for those dialogs.
OFFICERS: frozenset[Role] = frozenset(r for r in Role if r not in (Role.INDIVIDUAL, Role.EMPLOYER, Role.EMPLOYEE))
