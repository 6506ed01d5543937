"""housing_fund's RPCs about employees: initialisation, roster, imports, 职工信息变更, sealing and transfers."""
from __future__ import annotations

from housing_fund import use_cases
from housing_fund.adapters.repository import JobRepository
from housing_fund.entrypoints.roles import BUREAU, EMPLOYEE, EMPLOYER, LINE_B
from housing_fund.use_cases import imports
from shared import jobs
from shared.service import Tx, command, query, rpc, subscribe


class EmployeeRpcs:
    """Mixin of :class:`HousingFundService`: the employees' RPCs."""

    # -- 职工信息初始化 (the employer's first login) -------------------------------------------------
    @rpc
    @query(roles=EMPLOYER)
    def initialisation(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """The employer, its level table and a page of its roster to check."""
        return use_cases.initialisation(tx, filters or {}, page, page_size)

    @rpc
    @command(roles=EMPLOYER)
    def check_employee(self, tx: Tx, employee_id: str, data: dict) -> dict:
        """Save one employee's checked mobile, level, amount (accumulated values optional)."""
        return use_cases.check_employee_data(tx, employee_id, data)

    @rpc
    @command(roles=EMPLOYER)
    def submit_initialisation(self, tx: Tx) -> dict:
        """【立即提交】 the checked roster (once)."""
        return use_cases.submit_initialisation(tx)

    # -- employees (职工管理, 职工开户, 职工批量导入) -------------------------------------------------
    @rpc
    @query(roles=EMPLOYER + BUREAU)
    def list_employees(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """The employer's roster (a bureau names ``employer_id``); ``q`` name or ID, ``status``."""
        return use_cases.list_employees(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=LINE_B)
    def get_employee(self, tx: Tx, employee_id: str) -> dict:
        """详细资料 with 变更记录 and ledger."""
        return use_cases.get_employee(tx, employee_id)

    @rpc
    @command(roles=EMPLOYER)
    def open_employee(self, tx: Tx, data: dict) -> dict:
        """职工开户 singly."""
        return use_cases.open_employee(tx, data)

    @rpc
    @command(roles=EMPLOYER)
    def reset_employee_password(self, tx: Tx, employee_id: str) -> dict:
        """Reset an employee's personal password (identity resets it to the initial password)."""
        return use_cases.reset_employee_password(tx, employee_id)

    @rpc
    @query(roles=EMPLOYER + BUREAU)
    def employee_template(self, tx: Tx) -> dict:
        """The 批量导入模版 (.xlsx, base64)."""
        return use_cases.employee_template(tx)

    @rpc
    @command(roles=EMPLOYER)
    def import_employees(self, tx: Tx, filename: str, file_id: str, attachments: list | None = None) -> dict:
        """职工批量导入 of a file in the attachment store (``file_id`` = its SHA-256; the gateway stored
        the upload): every row checked first (any error: nothing imported), then a job imports the rows;
        the same file once."""
        return use_cases.import_employees(tx, filename, file_id, attachments)

    @subscribe("account.created")
    def on_account_created(self, tx: Tx, event) -> None:
        """identity opened a login: an employee's is recorded as ``employees.account_id``."""
        use_cases.link_account(tx, event.data)

    @jobs.job(imports.IMPORT_JOB)
    def import_employees_chunk(self, tx: Tx, payload: dict) -> dict:
        return imports.import_chunk(tx, payload)

    @rpc
    @query()
    def get_job(self, tx: Tx, job_id: str) -> dict:
        """A job of the caller's (an import) with its progress and items; 404 for anyone else's."""
        return tx.repository(JobRepository).get(job_id, account_id=tx.principal.account_id, with_items=True,
                                                page_size=200)

    # -- 职工信息变更 -----------------------------------------------------------------------------------
    @rpc
    @command(roles=EMPLOYER)
    def request_employee_change(self, tx: Tx, employee_id: str, data: dict, attachments: list | None = None,
                                reason: str | None = None) -> dict:
        """Change an employee's data (identity and amount fields wait for the bureau)."""
        return use_cases.employee_changes.request_change(tx, employee_id, data, attachments, reason)

    @rpc
    @query(roles=EMPLOYER + BUREAU)
    def list_employee_changes(self, tx: Tx, filters: dict | None = None, page: int = 1,
                              page_size: int = 20) -> dict:
        """职工信息变更 records."""
        return use_cases.employee_changes.list_changes(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=EMPLOYER + BUREAU)
    def get_employee_change(self, tx: Tx, change_id: str) -> dict:
        return use_cases.employee_changes.get_change(tx, change_id)

    @rpc
    @command(roles=BUREAU)
    def approve_employee_change(self, tx: Tx, change_id: str, opinion: str | None = None) -> dict:
        return use_cases.employee_changes.approve_change(tx, change_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def return_employee_change(self, tx: Tx, change_id: str, opinion: str) -> dict:
        return use_cases.employee_changes.return_change(tx, change_id, opinion)

    # -- 批量封存/启封, 员工转入/转出 ----------------------------------------------------------------------
    @rpc
    @command(roles=EMPLOYER)
    def change_status(self, tx: Tx, action: str, employee_ids: list, reason: str | None = None,
                      effective_month: str | None = None) -> dict:
        """Seal (封存) or unseal (启封) the ticked employees, all or none."""
        return use_cases.sealing.change_status(tx, action, employee_ids, reason, effective_month)

    @rpc
    @command(roles=EMPLOYER)
    def transfer_out(self, tx: Tx, employee_ids: list, to_employer_id: str, reason: str | None = None,
                     attachments: list | None = None) -> dict:
        """转出 one or more employees to another employer (it reviews and accepts)."""
        return use_cases.transfers.transfer_out(tx, employee_ids, to_employer_id, reason, attachments)

    @rpc
    @query(roles=EMPLOYER)
    def list_transfers(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """The employer's transfers in (to review) and out."""
        return use_cases.transfers.list_transfers(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=EMPLOYER)
    def get_transfer(self, tx: Tx, transfer_id: str) -> dict:
        return use_cases.transfers.get_transfer(tx, transfer_id)

    @rpc
    @command(roles=EMPLOYER)
    def accept_transfer(self, tx: Tx, transfer_id: str) -> dict:
        """审阅 → 立即提交: the employee and their balance join this employer."""
        return use_cases.transfers.accept(tx, transfer_id)

    @rpc
    @command(roles=EMPLOYER)
    def reject_transfer(self, tx: Tx, transfer_id: str, opinion: str) -> dict:
        return use_cases.transfers.reject(tx, transfer_id, opinion)

    @rpc
    @query(roles=EMPLOYEE)
    def my_account(self, tx: Tx) -> dict:
        """The employee's own account: status, balance, history."""
        return use_cases.my_account(tx)
