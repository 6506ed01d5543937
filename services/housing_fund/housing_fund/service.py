"""Entry module for ``nameko run housing_fund.service``."""
from housing_fund.entrypoints.service import HousingFundService  # noqa: F401
