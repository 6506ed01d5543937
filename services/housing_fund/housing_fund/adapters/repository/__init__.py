"""housing_fund's repositories, one module per aggregate group: employers (with their registration rounds), employees
(with their 变更记录), the ledger, level tables, transfers, withdrawals, remittances (with their reminders
and the bureaus' receiving accounts), bank statements, import runs, jobs and the attachment records.
Built on the unit of work's session (``tx.repository(EmployeeRepository)``); the unit tests hand in
in-memory fakes with the same methods (``services/housing_fund/tests/unit/conftest.py``). The paged lists
build their statements here too (``page`` methods); the use cases check the filters and shape each row."""
from housing_fund.adapters.repository.bank import BankRepository
from housing_fund.adapters.repository.employees import EmployeeRepository, LedgerRepository, LevelRepository
from housing_fund.adapters.repository.employers import EmployerRepository
from housing_fund.adapters.repository.movements import AttachmentRepository, TransferRepository, WithdrawalRepository
from housing_fund.adapters.repository.remittances import BackfillRepository, ImportRunRepository, RemittanceRepository
from shared.jobs import JobRepository as JobRepository  # the use cases' job reads, as every service's

__all__ = [
    'AttachmentRepository', 'BackfillRepository', 'BankRepository', 'EmployeeRepository', 'EmployerRepository',
    'ImportRunRepository', 'JobRepository', 'LedgerRepository', 'LevelRepository', 'RemittanceRepository',
    'TransferRepository', 'WithdrawalRepository',
]
