"""housing_fund's RPCs of bank reconciliation (到账匹配)."""
from __future__ import annotations

import os

from housing_fund.entrypoints.roles import BUREAU
from housing_fund.use_cases import reconciliation
from shared import jobs
from shared.service import PlatformApi, Tx, command, query, rpc


class ReconciliationRpcs:
    """Mixin of :class:`HousingFundService`: bank statements and their matching."""

    platform: PlatformApi  # the service class's ``platform = Platform()``

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
