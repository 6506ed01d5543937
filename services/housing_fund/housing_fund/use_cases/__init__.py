"""housing_fund's use cases. Each takes the unit of work (``tx``) first; the nameko class only wires
them. One module per function group keeps the files small; this package is their single entry."""
from housing_fund.use_cases import attachments, changes, employee_changes, sealing, transfers
from housing_fund.use_cases.employees import (
    get_employee,
    link_account,
    list_employees,
    my_account,
    open_employee,
    reset_employee_password,
)
from housing_fund.use_cases.employers import (
    get_employer,
    list_employers,
    my_employer,
    receiving_employers,
    whoami,
)
from housing_fund.use_cases.imports import employee_template, import_employees
from housing_fund.use_cases.initialisation import check_employee_data, initialisation, submit_initialisation
from housing_fund.use_cases.levels import get_levels
from housing_fund.use_cases.migration import list_migrations, migrate, migration_template
from housing_fund.use_cases.registration import (
    approve_employer,
    my_registrations,
    register_employer,
    resubmit_employer,
    return_employer,
)
from housing_fund.use_cases.todos import todos

__all__ = [
    "attachments", "changes", "employee_changes", "sealing", "transfers",
    "approve_employer", "check_employee_data", "employee_template", "get_employee", "get_employer", "get_levels",
    "import_employees", "initialisation", "link_account", "list_employees", "list_employers", "list_migrations",
    "migrate",
    "migration_template", "my_account", "my_employer", "my_registrations", "open_employee", "receiving_employers",
    "register_employer", "reset_employee_password", "resubmit_employer", "return_employer", "submit_initialisation",
    "todos", "whoami",
]
