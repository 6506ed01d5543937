"""Mixin of finance_disbursement's public 扫码核验 RPC (a printed 拨付明细表's QR code): kept apart from
the service class so the stage RPCs and the verification change independently."""
from __future__ import annotations

from finance_disbursement.use_cases.verification import verify_transfer
from shared.service import Tx, query, rpc


class Verification:
    @rpc
    @query(public=True)
    def verify_transfer(self, tx: Tx, transfer_id: str) -> dict:
        """扫码核验 of a printed 拨付明细表: number, status, count, amount; no personal data."""
        return verify_transfer(tx, transfer_id)
