"""The roles housing_fund's RPCs admit (line B)."""
from shared.auth.roles import Role

BUREAU = [Role.HOUSING_BUREAU]
EMPLOYER = [Role.EMPLOYER]
EMPLOYEE = [Role.EMPLOYEE]
LINE_B = BUREAU + EMPLOYER + EMPLOYEE
