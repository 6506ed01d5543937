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
from housing_fund.use_cases.registration import (
    approve_employer,
    my_registrations,
    register_employer,
    resubmit_employer,
    return_employer,
)
from housing_fund.use_cases.todos import todos

__all__ = [
    "approve_employer", "get_employer", "get_levels", "list_employers", "my_employer", "my_registrations",
    "receiving_employers", "register_employer", "resubmit_employer", "return_employer", "todos", "whoami",
]
