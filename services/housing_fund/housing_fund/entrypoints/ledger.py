"""housing_fund's RPCs that change the ledger after the fact: 缴款历史补录 and 支取申请."""
from __future__ import annotations

from housing_fund.entrypoints.roles import BUREAU, EMPLOYER
from housing_fund.use_cases import backfill, withdrawals
from shared.service import Tx, command, query, rpc


class LedgerRpcs:
    """Mixin of :class:`HousingFundService`: back-fills and withdrawals."""

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
