"""housing_fund's tables: employers and their registration rounds and change requests, the bureaus'
level tables, employees with their change history, the append-only per-employee ledger, transfers,
and the import runs (employer batch imports, the bureau's migrations). Part 2 (remittances, payment
notices, bank lines, withdrawals) books into the same ledger by business code.

The tables are defined one module per aggregate; this package is their single entry."""
from housing_fund.adapters.orm.attachments import attachments
from housing_fund.adapters.orm.bank import bank_lines, bank_statements
from housing_fund.adapters.orm.base import metadata
from housing_fund.adapters.orm.employees import employee_changes, employees, import_runs, transfers
from housing_fund.adapters.orm.employers import employer_changes, employer_rounds, employers, level_tables, levels
from housing_fund.adapters.orm.ledger import backfills, ledger, withdrawals
from housing_fund.adapters.orm.remittances import (
    UNFINISHED,
    receiving_accounts,
    remit_overrides,
    remittance_holds,
    remittance_lines,
    remittance_reminders,
    remittance_rounds,
    remittances,
)

__all__ = ["UNFINISHED", "attachments", "backfills", "bank_lines", "bank_statements", "employee_changes",
           "employees", "employer_changes", "employer_rounds", "employers", "import_runs", "ledger", "level_tables",
           "levels", "metadata", "receiving_accounts", "remit_overrides", "remittance_holds", "remittance_lines",
           "remittance_reminders", "remittance_rounds", "remittances", "transfers", "withdrawals"]
