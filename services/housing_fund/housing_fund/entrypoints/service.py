"""housing_fund's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``housing_fund.use_cases``; the RPCs of each area are a mixin in their own module
(employers, employees, remittances, reconciliation, ledger)."""
from __future__ import annotations

from housing_fund import use_cases
from housing_fund.entrypoints.employees import EmployeeRpcs
from housing_fund.entrypoints.employers import EmployerRpcs
from housing_fund.entrypoints.ledger import LedgerRpcs
from housing_fund.entrypoints.reconciliation import ReconciliationRpcs
from housing_fund.entrypoints.remittances import RemittanceRpcs
from housing_fund.entrypoints.roles import LINE_B
from housing_fund.use_cases import remittances
from shared.contracts.todos import counts_for
from shared.service import HealthCheck, Platform, RevocationConsumer, Tx, command, query, rpc


class HousingFundService(EmployerRpcs, EmployeeRpcs, RemittanceRpcs, ReconciliationRpcs, LedgerRpcs,
                         RevocationConsumer, HealthCheck):
    """Line B, run by the housing bureau: employers, their employees and the ledger."""

    name = "housing_fund"

    platform = Platform()

    @rpc
    @query(roles=LINE_B)
    def me(self, tx: Tx) -> dict:
        """The caller as verified here (token, revocation)."""
        return use_cases.whoami(tx)

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
        if not counts_for("housing_fund", tx.principal.role):   # shared.contracts.todos
            return []
        return use_cases.todos(tx) + (remittances.todos(tx) if tx.principal.role in LINE_B else [])
