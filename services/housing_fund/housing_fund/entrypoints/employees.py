"""housing_fund's RPCs of the employee roster (职工管理, 职工开户, 职工批量导入, 职工信息变更,
批量封存/启封, 员工转入/转出, the employee's own view): a mixin of ``HousingFundService``, thin."""
from __future__ import annotations

from housing_fund.use_cases import changes, employee_self, employees, imports, sealing, transfers
from shared.auth.roles import Role
from shared.service import Tx, command, query, rpc

BUREAU = [Role.HOUSING_BUREAU]
EMPLOYER = [Role.EMPLOYER]
EMPLOYEE = [Role.EMPLOYEE]


class EmployeeRpc:
    # -- 职工管理 -------------------------------------------------------------------------------------
    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def list_employees(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """The employer's roster, or the bureau's area; ``status``, ``q`` (name / 证件号码), ``level``."""
        return employees.list_employees(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_employee(self, tx: Tx, employee_id: str) -> dict:
        """详细资料."""
        return employees.get_employee(tx, employee_id)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def employee_history(self, tx: Tx, employee_id: str) -> dict:
        """变更记录 and the ledger."""
        return employees.employee_history(tx, employee_id)

    @rpc
    @command(roles=EMPLOYER)
    def reset_employee_password(self, tx: Tx, employee_id: str) -> dict:
        """重置个人密码 (identity carries it out on ``employee.password_reset``)."""
        return employees.reset_employee_password(tx, employee_id)

    @rpc
    @command(roles=EMPLOYER)
    def open_employee(self, tx: Tx, data: dict) -> dict:
        """职工开户 (single)."""
        return employees.open_employee(tx, data)

    # -- 职工批量导入 -----------------------------------------------------------------------------------
    @rpc
    @query(roles=EMPLOYER)
    def employee_import_template(self, tx: Tx) -> dict:
        """The .xlsx template with this employer's level table (base64)."""
        return imports.template_file(tx)

    @rpc
    @command(roles=EMPLOYER)
    def import_employees(self, tx: Tx, attachment_id: str, filename: str | None = None,
                         attachments: list | None = None, dry_run: bool = False) -> dict:
        """Import a filled template stored as an attachment (all rows or none)."""
        return imports.import_employees(tx, attachment_id, filename, attachments, dry_run)

    @rpc
    @query(roles=EMPLOYER)
    def list_employee_imports(self, tx: Tx, page: int = 1, page_size: int = 20) -> dict:
        return imports.list_imports(tx, page, page_size)

    # -- 职工信息变更 -----------------------------------------------------------------------------------
    @rpc
    @command(roles=EMPLOYER)
    def request_employee_change(self, tx: Tx, employee_id: str, data: dict) -> dict:
        return changes.request_change(tx, employee_id, data)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def list_employee_changes(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return changes.list_changes(tx, filters or {}, page, page_size)

    @rpc
    @command(roles=BUREAU)
    def approve_employee_change(self, tx: Tx, change_id: str, opinion: str | None = None) -> dict:
        return changes.approve_change(tx, change_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def return_employee_change(self, tx: Tx, change_id: str, opinion: str) -> dict:
        return changes.return_change(tx, change_id, opinion)

    # -- 批量封存/启封 -----------------------------------------------------------------------------------
    @rpc
    @command(roles=EMPLOYER)
    def seal_employees(self, tx: Tx, employee_ids: list, effective_month: str | None = None,
                       reason: str | None = None) -> dict:
        return sealing.seal_or_unseal(tx, "seal", employee_ids, effective_month, reason)

    @rpc
    @command(roles=EMPLOYER)
    def unseal_employees(self, tx: Tx, employee_ids: list, effective_month: str | None = None,
                         reason: str | None = None) -> dict:
        return sealing.seal_or_unseal(tx, "unseal", employee_ids, effective_month, reason)

    # -- 员工转入/转出 -----------------------------------------------------------------------------------
    @rpc
    @command(roles=EMPLOYER)
    def request_transfers(self, tx: Tx, employee_ids: list, to_employer_id: str, reason: str | None = None,
                          attachments: list | None = None) -> dict:
        return transfers.request_transfers(tx, employee_ids, to_employer_id, reason, attachments)

    @rpc
    @query(roles=EMPLOYER)
    def list_transfers(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return transfers.list_transfers(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=EMPLOYER)
    def get_transfer(self, tx: Tx, transfer_id: str) -> dict:
        return transfers.get_transfer(tx, transfer_id)

    @rpc
    @command(roles=EMPLOYER)
    def accept_transfer(self, tx: Tx, transfer_id: str, opinion: str | None = None) -> dict:
        return transfers.accept_transfer(tx, transfer_id, opinion)

    @rpc
    @command(roles=EMPLOYER)
    def reject_transfer(self, tx: Tx, transfer_id: str, opinion: str) -> dict:
        return transfers.reject_transfer(tx, transfer_id, opinion)

    # -- the employee's own view ----------------------------------------------------------------------
    @rpc
    @query(roles=EMPLOYEE)
    def my_housing_account(self, tx: Tx) -> dict:
        return employee_self.my_account(tx)
