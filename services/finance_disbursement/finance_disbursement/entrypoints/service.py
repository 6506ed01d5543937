"""finance_disbursement's RPC interface and event handlers. Thin: authorisation and transactions come
from ``shared.service``, the rules from ``finance_disbursement.use_cases``."""
from __future__ import annotations

from finance_disbursement import use_cases
from shared.auth.roles import Role
from shared.events import Envelope
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc, subscribe

CITY_FINANCE = [Role.CITY_FINANCE]
COUNTY_FINANCE = [Role.COUNTY_FINANCE]
INDIVIDUAL = [Role.INDIVIDUAL]
FINANCE = [Role.CITY_FINANCE, Role.COUNTY_FINANCE]


class FinanceDisbursementService(RevocationConsumer, HealthCheck):
    name = "finance_disbursement"

    platform = Platform()

    # -- hand-offs from org_confirmation ---------------------------------------------------------
    @subscribe("application.city_org_confirmed")
    def on_application_city_org_confirmed(self, tx: Tx, event: Envelope) -> None:
        use_cases.receive_application(tx, event)

    @subscribe("city_batch.confirmed")
    def on_city_batch_confirmed(self, tx: Tx, event: Envelope) -> None:
        use_cases.receive_batch(tx, event)

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
    def pay(self, tx: Tx, transfer_id: str) -> dict:
        """拨付至个人: pay every application of the transfer once."""
        return use_cases.pay(tx, transfer_id)

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
    @query(roles=FINANCE)
    def statistics(self, tx: Tx, filters: dict | None = None) -> dict:
        """资金拨付查询统计."""
        return use_cases.statistics(tx, filters)

    @rpc
    @query()
    def todos(self, tx: Tx) -> list[dict]:
        """The caller's to-do counters in this service."""
        return use_cases.todos(tx)

