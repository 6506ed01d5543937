"""finance_disbursement's RPC interface and event handlers. Thin: authorisation and transactions come
from ``shared.service``, the rules from ``finance_disbursement.use_cases``."""
from __future__ import annotations

from finance_disbursement import use_cases
from finance_disbursement.entrypoints.verification import Verification
from shared.auth.roles import Role
from shared.contracts.todos import counts_for
from shared.events import Envelope
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc, subscribe

CITY_FINANCE = [Role.CITY_FINANCE]
COUNTY_FINANCE = [Role.COUNTY_FINANCE]
INDIVIDUAL = [Role.INDIVIDUAL]
FINANCE = [Role.CITY_FINANCE, Role.COUNTY_FINANCE]
# 资金拨付查询统计: the finance bureaux in their area, a unit's operator for its own people
STATISTICS = [Role.CITY_FINANCE, Role.COUNTY_FINANCE, Role.UNIT_ADMIN]


class FinanceDisbursementService(Verification, RevocationConsumer, HealthCheck):
    name = "finance_disbursement"

    platform = Platform()

    # -- hand-offs from org_confirmation ---------------------------------------------------------
    @subscribe("application.city_org_confirmed")
    def on_application_city_org_confirmed(self, tx: Tx, event: Envelope) -> None:
        use_cases.receive_application(tx, event)

    @subscribe("city_batch.confirmed")
    def on_city_batch_confirmed(self, tx: Tx, event: Envelope) -> None:
        use_cases.receive_batch(tx, event)

    # -- from unit_registry: the graduate corrected their account (a failed payment's retry uses it) --
    @subscribe("individual.bank_account_changed")
    def on_individual_bank_account_changed(self, tx: Tx, event: Envelope) -> None:
        use_cases.receive_corrected_account(tx, event)

    # -- stage 11: city finance ------------------------------------------------------------------
    @rpc
    @query(roles=CITY_FINANCE, personal="disbursement_batch")
    def list_batches(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """汇总批次列表 (待拨付 = status ready)."""
        return use_cases.list_batches(tx, filters, page, page_size)

    @rpc
    @query(roles=CITY_FINANCE, personal="disbursement_batch")
    def get_batch(self, tx: Tx, batch_id: str) -> dict:
        """汇总批次详情: per-county lines, reconciliation, applications."""
        return use_cases.get_batch(tx, batch_id)

    @rpc
    @command(roles=CITY_FINANCE)
    def release(self, tx: Tx, batch_id: str, county: str | None = None) -> dict:
        """确认拨付: release a ready batch to one county, or to every county not yet released."""
        return use_cases.release(tx, batch_id, county)

    # -- stage 12: county finance ----------------------------------------------------------------
    @rpc
    @query(roles=COUNTY_FINANCE, personal="county_transfer")
    def list_transfers(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """拨付单列表 of the caller's county."""
        return use_cases.list_transfers(tx, filters, page, page_size)

    @rpc
    @query(roles=COUNTY_FINANCE)  # audits its own read (use case)
    def get_transfer(self, tx: Tx, transfer_id: str) -> dict:
        """拨付单详情 with full bank accounts (audited)."""
        return use_cases.get_transfer(tx, transfer_id)

    @rpc
    @command(roles=COUNTY_FINANCE)
    def confirm_arrival(self, tx: Tx, transfer_id: str) -> dict:
        """到账确认: the city's money has reached the county's account (before any payment)."""
        return use_cases.confirm_arrival(tx, transfer_id)

    @rpc
    @command(roles=COUNTY_FINANCE)
    def pay(self, tx: Tx, transfer_id: str) -> dict:
        """拨付至个人: pay every application of the transfer once."""
        return use_cases.pay(tx, transfer_id)

    @rpc
    @query(roles=COUNTY_FINANCE)  # audits its own read (use case)
    def bank_file(self, tx: Tx, transfer_id: str) -> dict:
        """银行代发文件的明细: pending applications with their frozen accounts and amounts (audited)."""
        return use_cases.bank_file(tx, transfer_id)

    @rpc
    @command(roles=COUNTY_FINANCE)
    def import_bank_result(self, tx: Tx, transfer_id: str, sha256: str, filename: str | None,
                           lines: list) -> dict:
        """导入银行回盘: paid or failed per application; the same file twice changes nothing."""
        return use_cases.import_bank_result(tx, transfer_id, sha256, filename, lines)

    @rpc
    @query(roles=COUNTY_FINANCE, personal="disbursement_item")
    def list_failed(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """支付失败待处理."""
        return use_cases.list_failed(tx, filters, page, page_size)

    @rpc
    @command(roles=COUNTY_FINANCE)
    def retry_payment(self, tx: Tx, application_id: str, bank_account: dict | None = None) -> dict:
        """更正账户后重新支付 (no account typed: the one the graduate corrected)."""
        return use_cases.retry_payment(tx, application_id, bank_account)

    @rpc
    @command(roles=COUNTY_FINANCE)
    def return_payment(self, tx: Tx, application_id: str, reason: str) -> dict:
        """支付失败退回 (with the reason)."""
        return use_cases.return_payment(tx, application_id, reason)

    @rpc
    @command(roles=COUNTY_FINANCE)
    def record_clawback(self, tx: Tx, application_id: str, reason: str) -> dict:
        """登记追回 of money paid."""
        return use_cases.record_clawback(tx, application_id, reason)

    @rpc
    @command(roles=COUNTY_FINANCE)
    def recover_clawback(self, tx: Tx, clawback_id: str) -> dict:
        """追回款项已到账."""
        return use_cases.recover_clawback(tx, clawback_id)

    @rpc
    @query(roles=FINANCE, personal="clawback")
    def list_clawbacks(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """追回记录."""
        return use_cases.list_clawbacks(tx, filters, page, page_size)

    # -- stage 13: the individual ----------------------------------------------------------------
    @rpc
    @query(roles=INDIVIDUAL)
    def my_payments(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        """我的补助拨付记录."""
        return use_cases.my_payments(tx, filters, page, page_size)

    @rpc
    @command(roles=INDIVIDUAL)
    def confirm_receipt(self, tx: Tx, payment_id: str) -> dict:
        """个人确认收到补助."""
        return use_cases.confirm_receipt(tx, payment_id)

    @rpc
    @command(roles=INDIVIDUAL)
    def dispute_receipt(self, tx: Tx, payment_id: str, opinion: str) -> dict:
        """个人反馈未收到补助."""
        return use_cases.dispute_receipt(tx, payment_id, opinion)

    # -- reads for everyone ------------------------------------------------------------------------
    @rpc
    @query(roles=STATISTICS)
    def statistics(self, tx: Tx, filters: dict | None = None) -> dict:
        """资金拨付查询统计."""
        return use_cases.statistics(tx, filters)

    @rpc
    @query(roles=FINANCE)
    def reconciliation(self, tx: Tx, filters: dict | None = None) -> dict:
        """对账: released = paid + failed + pending + returned per batch and county, clawbacks apart."""
        return use_cases.reconciliation(tx, filters)

    @rpc
    @query()
    def todos(self, tx: Tx) -> list[dict]:
        """The caller's to-do counters in this service."""
        if not counts_for("finance_disbursement", tx.principal.role):   # shared.contracts.todos
            return []
        return use_cases.todos(tx)

