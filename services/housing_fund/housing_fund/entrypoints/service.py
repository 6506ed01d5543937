"""housing_fund's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``housing_fund.use_cases``."""
from __future__ import annotations

import os

from nameko.timer import timer
from sqlalchemy.orm import Session

from housing_fund import use_cases
from housing_fund.use_cases import (
    backfill,
    employer_status,
    imports,
    levels,
    payment_notices,
    reconciliation,
    remittances,
    withdrawals,
)
from shared import jobs
from shared.auth.principal import Principal
from shared.auth.roles import Role
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc, subscribe

BUREAU = [Role.HOUSING_BUREAU]
EMPLOYER = [Role.EMPLOYER]
EMPLOYEE = [Role.EMPLOYEE]
LINE_B = BUREAU + EMPLOYER + EMPLOYEE


class HousingFundService(RevocationConsumer, HealthCheck):
    """Line B, run by the housing bureau: employers, their employees and the ledger."""

    name = "housing_fund"

    platform = Platform()

    @rpc
    @query(roles=LINE_B)
    def me(self, tx: Tx) -> dict:
        """The caller as verified here (token, revocation)."""
        return use_cases.whoami(tx)

    # -- employers (单位信息) ---------------------------------------------------------------------
    @rpc
    @query(roles=BUREAU)
    def list_employers(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """Employers (汇缴单位) of the bureau's area."""
        return use_cases.list_employers(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_employer(self, tx: Tx, employer_id: str) -> dict:
        """单位信息 with housing-subsidy information, registration rounds and change history."""
        return use_cases.get_employer(tx, employer_id)

    @rpc
    @query(roles=EMPLOYER)
    def my_employer(self, tx: Tx) -> dict:
        """The calling employer's own 单位信息."""
        return use_cases.my_employer(tx)

    @rpc
    @query(roles=EMPLOYER)
    def receiving_employers(self, tx: Tx, q: str | None = None, page: int = 1, page_size: int = 20) -> dict:
        """Employers that may receive a transferred employee (选择转入单位)."""
        return use_cases.receiving_employers(tx, q, page, page_size)

    @rpc
    @query(roles=LINE_B)
    def get_levels(self, tx: Tx, region: str | None = None) -> dict:
        """The level table (级别与每月缴费金额) that applies in ``region``."""
        return use_cases.get_levels(tx, region)

    @rpc
    @command(roles=BUREAU)
    def set_levels(self, tx: Tx, effective_month: str, items: list, reason: str | None = None) -> dict:
        """级别维护: the bureau's whole level table from ``effective_month`` (this month or later) on."""
        return levels.set_levels(tx, effective_month, items, reason)

    @rpc
    @command(roles=BUREAU)
    def set_employer_status(self, tx: Tx, employer_id: str, action: str, reason: str) -> dict:
        """单位状态: defer (缓缴), resume (恢复正常), seal (封存) or close (销户), with a reason."""
        return employer_status.set_status(tx, employer_id, action, reason)

    # -- registration (注册新单位): the gateway has verified ``mobile`` by SMS code ------------------
    @rpc(sensitive_arguments=("mobile",))
    @command(public=True)
    def register_employer(self, tx: Tx, mobile: str, data: dict) -> dict:
        """Submit an employer's registration (basic data and attachments)."""
        return use_cases.register_employer(tx, mobile, data)

    @rpc(sensitive_arguments=("mobile",))
    @query(public=True)
    def my_registrations(self, tx: Tx, mobile: str) -> dict:
        """The registrations of the verified contact mobile, with their rounds and opinions."""
        return use_cases.my_registrations(tx, mobile)

    @rpc(sensitive_arguments=("mobile",))
    @command(public=True)
    def resubmit_employer(self, tx: Tx, mobile: str, employer_id: str, data: dict) -> dict:
        """Correct a returned registration and submit it again (a new round)."""
        return use_cases.resubmit_employer(tx, mobile, employer_id, data)

    @rpc
    @command(roles=BUREAU)
    def approve_employer(self, tx: Tx, employer_id: str, opinion: str | None = None) -> dict:
        """审核通过: assigns the trade code; identity then creates the employer's login."""
        return use_cases.approve_employer(tx, employer_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def return_employer(self, tx: Tx, employer_id: str, opinion: str) -> dict:
        """退回修改 with an opinion."""
        return use_cases.return_employer(tx, employer_id, opinion)

    # -- migration (迁移导入) by the bureau --------------------------------------------------------
    @rpc
    @query(roles=BUREAU)
    def migration_template(self, tx: Tx) -> dict:
        """The 迁移导入 template (.xlsx, base64): sheets 单位 and 职工."""
        return use_cases.migration_template(tx)

    @rpc
    @command(roles=BUREAU)
    def migrate(self, tx: Tx, filename: str, file_id: str) -> dict:
        """Import employers, rosters and accumulated periods/amounts from a file in the attachment store
        (``file_id`` = its SHA-256); all or nothing; re-run safe."""
        return use_cases.migrate(tx, filename, file_id)

    @rpc
    @query(roles=BUREAU)
    def list_migrations(self, tx: Tx, page: int = 1, page_size: int = 20) -> dict:
        """The bureau's migration runs."""
        return use_cases.list_migrations(tx, page, page_size)

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
        return jobs.get(tx.session, job_id, account_id=tx.principal.account_id, with_items=True, page_size=200)

    # -- 单位信息变更 (the bureau approves) -------------------------------------------------------------
    @rpc
    @command(roles=EMPLOYER)
    def request_employer_change(self, tx: Tx, data: dict, attachments: list | None = None,
                                reason: str | None = None) -> dict:
        """新增变更信息 with attachments; effective once the bureau approves."""
        return use_cases.changes.request_change(tx, data, attachments, reason)

    @rpc
    @query(roles=EMPLOYER + BUREAU)
    def list_employer_changes(self, tx: Tx, filters: dict | None = None, page: int = 1,
                              page_size: int = 20) -> dict:
        """单位信息变更 records (the employer's own, the bureau's area)."""
        return use_cases.changes.list_changes(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=EMPLOYER + BUREAU)
    def get_employer_change(self, tx: Tx, change_id: str) -> dict:
        """One change request (查看)."""
        return use_cases.changes.get_change(tx, change_id)

    @rpc
    @command(roles=BUREAU)
    def approve_employer_change(self, tx: Tx, change_id: str, opinion: str | None = None) -> dict:
        """审核通过: the change takes effect."""
        return use_cases.changes.approve_change(tx, change_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def return_employer_change(self, tx: Tx, change_id: str, opinion: str) -> dict:
        """退回 with an opinion."""
        return use_cases.changes.return_change(tx, change_id, opinion)

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

    # -- attachment records (the gateway's /api/v1/attachments keeps the bytes) --------------------
    @rpc
    @command(roles=LINE_B)
    def record_attachment(self, tx: Tx, meta: dict) -> dict:
        """Keep the record of an upload by a logged-in user (its own until linked)."""
        return use_cases.attachments.record_attachment(tx, meta)

    @rpc
    @command(public=True)
    def record_public_attachment(self, tx: Tx, meta: dict) -> dict:
        """Keep the record of an upload of the 注册新单位 form (no account yet)."""
        return use_cases.attachments.record_public_attachment(tx, meta)

    @rpc
    @query(roles=LINE_B)
    def attachment_for_download(self, tx: Tx, attachment_id: str) -> dict:
        """The record of a file the caller may read (like the record that links it), else 404."""
        return use_cases.attachments.attachment_for_download(tx, attachment_id)

    @rpc
    @query(public=True)
    def public_attachment(self, tx: Tx, attachment_id: str) -> dict:
        """A registration form's upload not linked yet (the gateway checks the upload key)."""
        return use_cases.attachments.public_attachment(tx, attachment_id)

    @rpc
    @query()
    def todos(self, tx: Tx) -> list[dict]:
        """To-do counters of the caller's role; empty for roles line B does not serve."""
        return use_cases.todos(tx) + (remittances.todos(tx) if tx.principal.role in LINE_B else [])

    # -- 汇缴申请 (remittance and back-payment) ------------------------------------------------------
    @rpc
    @query(roles=EMPLOYER)
    def remittance_roster(self, tx: Tx, month: str, mode: str = "remit") -> dict:
        """The active roster with the amount to remit in ``month`` (指定汇缴 copied forward)."""
        return remittances.roster(tx, month, mode)

    @rpc
    @command(roles=EMPLOYER)
    def submit_remittance(self, tx: Tx, data: dict) -> dict:
        """新增汇缴申请 (mode remit) or 补缴 (mode back_pay, monthly or lump_sum)."""
        return remittances.submit(tx, data)

    @rpc
    @command(roles=EMPLOYER)
    def resubmit_remittance(self, tx: Tx, remittance_id: str, data: dict) -> dict:
        """A returned remittance corrected and submitted again (round + 1, every round kept)."""
        return remittances.resubmit(tx, remittance_id, data)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def list_remittances(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return remittances.list_(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_remittance(self, tx: Tx, remittance_id: str) -> dict:
        return remittances.get(tx, remittance_id)

    @rpc
    @command(roles=BUREAU)
    def approve_remittance(self, tx: Tx, remittance_id: str, opinion: str | None = None) -> dict:
        """The bureau approves: a payment notice with its payment code is issued."""
        return remittances.approve(tx, remittance_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def return_remittance(self, tx: Tx, remittance_id: str, opinion: str | None = None) -> dict:
        return remittances.return_(tx, remittance_id, opinion)

    @rpc
    @command(roles=BUREAU)
    def send_remittance_reminders(self, tx: Tx, month: str | None = None) -> dict:
        """The monthly reminder now (the timer sends it on its own from the reminder day on)."""
        return {"sent": remittances.send_reminders(tx, month)}

    @timer(interval=float(os.environ.get("REMIT_REMINDER_INTERVAL_SECONDS", "3600")))
    def remind_employers(self) -> None:
        """From the reminder day of each month (REMIT_REMINDER_DAY, default 20) employers that have not
        remitted get one reminder per month."""
        provider = self.platform.provider
        day = int(provider.container.config.get("REMIT_REMINDER_DAY") or 20)
        with Session(provider.engine, expire_on_commit=False) as session:
            with session.begin():
                tx = provider.new_tx(session, Principal.system(provider.service_name), correlation_id="timer:remind")
                if tx.now.astimezone(remittances.SHANGHAI).day < day:
                    return
                remittances.send_reminders(tx)
        provider.after_commit(tx)

    # -- 缴费通知 (payment notices) -----------------------------------------------------------------
    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def list_payment_notices(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return payment_notices.list_notices(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_payment_notice(self, tx: Tx, remittance_id: str) -> dict:
        return payment_notices.get_notice(tx, remittance_id)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def payment_notice_pdf(self, tx: Tx, remittance_id: str) -> dict:
        """缴款通知书 (PDF, base64)."""
        return payment_notices.notice_pdf(tx, remittance_id)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def payment_receipt_pdf(self, tx: Tx, remittance_id: str) -> dict:
        """缴款凭证 of a paid notice (PDF, base64)."""
        return payment_notices.receipt_pdf(tx, remittance_id)

    @rpc
    @command(roles=BUREAU)
    def set_receiving_account(self, tx: Tx, data: dict) -> dict:
        return payment_notices.set_receiving_account(tx, data)

    @rpc
    @query(roles=BUREAU)
    def get_receiving_account(self, tx: Tx) -> dict:
        return payment_notices.get_receiving_account(tx)

    # -- bank reconciliation (到账匹配) -------------------------------------------------------------
    @rpc
    @command(roles=BUREAU)
    def upload_bank_statement(self, tx: Tx, sha256: str, filename: str | None = None) -> dict:
        """A statement file already in the attachment store (by its SHA-256): parsed whole, then matched
        by the job runner."""
        return reconciliation.upload(tx, sha256, filename, self.store_root())

    def store_root(self) -> str:
        from pathlib import Path

        base = self.platform.provider.container.config.get("PLATFORM_VAR_DIR") or os.environ.get(
            "PLATFORM_VAR_DIR", "var")
        return str(Path(base) / "attachments")

    @jobs.job(reconciliation.JOB_KIND)
    def reconcile_chunk(self, tx: Tx, payload: dict) -> dict:
        return reconciliation.process_chunk(tx, payload)

    @rpc
    @query(roles=BUREAU)
    def list_bank_statements(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return reconciliation.list_statements(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU)
    def get_bank_statement(self, tx: Tx, statement_id: str) -> dict:
        return reconciliation.get_statement(tx, statement_id)

    @rpc
    @query(roles=BUREAU)
    def list_bank_lines(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """Bank lines; ``status=returned`` is the return list (原路退回)."""
        return reconciliation.list_lines(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU)
    def reconciliation_report(self, tx: Tx, statement_id: str | None = None) -> dict:
        return reconciliation.report(tx, statement_id)

    @rpc
    @query(roles=BUREAU)
    def reconciliation_report_xlsx(self, tx: Tx, statement_id: str | None = None) -> dict:
        return reconciliation.report_xlsx(tx, statement_id)

    # -- 缴款历史补录 (payment history back-fill) ----------------------------------------------------
    @rpc
    @command(roles=EMPLOYER)
    def submit_backfill(self, tx: Tx, data: dict) -> dict:
        return backfill.submit(tx, data)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def list_backfills(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return backfill.list_(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_backfill(self, tx: Tx, backfill_id: str) -> dict:
        return backfill.get(tx, backfill_id)

    @rpc
    @command(roles=BUREAU)
    def approve_backfill(self, tx: Tx, backfill_id: str, opinion: str | None = None) -> dict:
        """Approved rows enter the ledger."""
        return backfill.decide(tx, backfill_id, "approve", opinion)

    @rpc
    @command(roles=BUREAU)
    def return_backfill(self, tx: Tx, backfill_id: str, opinion: str | None = None) -> dict:
        return backfill.decide(tx, backfill_id, "return", opinion)

    # -- 支取申请 (withdrawals) ---------------------------------------------------------------------
    @rpc
    @command(roles=EMPLOYER)
    def submit_withdrawal(self, tx: Tx, data: dict) -> dict:
        return withdrawals.submit(tx, data)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def list_withdrawals(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return withdrawals.list_(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=BUREAU + EMPLOYER)
    def get_withdrawal(self, tx: Tx, withdrawal_id: str) -> dict:
        return withdrawals.get(tx, withdrawal_id)

    @rpc
    @command(roles=BUREAU)
    def approve_withdrawal(self, tx: Tx, withdrawal_id: str, opinion: str | None = None) -> dict:
        """Checked again under the employee's row lock, then booked (business code 11)."""
        return withdrawals.decide(tx, withdrawal_id, "approve", opinion)

    @rpc
    @command(roles=BUREAU)
    def reject_withdrawal(self, tx: Tx, withdrawal_id: str, opinion: str | None = None) -> dict:
        return withdrawals.decide(tx, withdrawal_id, "reject", opinion)

    @rpc
    @command(roles=BUREAU)
    def pay_withdrawal(self, tx: Tx, withdrawal_id: str) -> dict:
        """Marks an approved withdrawal paid (the payout list)."""
        return withdrawals.decide(tx, withdrawal_id, "pay")
