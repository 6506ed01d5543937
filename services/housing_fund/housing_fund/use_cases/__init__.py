"""housing_fund's use cases. Each takes the unit of work (``tx``) first; the nameko class only wires
them. One module per function group keeps the files small; this package is their single entry."""
from housing_fund.use_cases.employers import (
    get_employer,
    list_employers,
    my_employer,
    receiving_employers,
    whoami,
)
from housing_fund.use_cases.levels import get_levels

__all__ = ["get_employer", "get_levels", "list_employers", "my_employer", "receiving_employers", "whoami"]
