"""housing_fund's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``housing_fund.use_cases``."""
from __future__ import annotations

import os

from nameko.timer import timer
from sqlalchemy.orm import Session

from housing_fund import use_cases
from housing_fund.use_cases import backfill, payment_notices, reconciliation, remittances, withdrawals
from shared import jobs
from shared.auth.principal import Principal
from shared.auth.roles import Role
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc

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
    @query()
    def todos(self, tx: Tx) -> list[dict]:
        """To-do counters of the caller's role; empty for roles line B does not serve."""
        return remittances.todos(tx) if tx.principal.role in LINE_B else []

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
