"""扫码核验 of a printed 拨付明细表 (public, no login): the county transfer's number, where it stands, how
many applications and how much - nothing personal (``shared.verification``)."""
from __future__ import annotations

from typing import Any

from finance_disbursement.adapters.repository import TransferRepository
from finance_disbursement.domain.rules import check_id
from finance_disbursement.domain.workflows import transfer_label
from shared.errors import NotFound
from shared.service import Tx
from shared.verification import verification_answer


def verify_transfer(tx: Tx, transfer_id: Any) -> dict:
    """The county transfer now; 404 ``county_transfer.not_found`` when there is none."""
    row = tx.repository(TransferRepository).get(check_id(transfer_id, "transfer_id"))
    if row is None:
        raise NotFound("拨付单不存在", code="county_transfer.not_found")
    return verification_answer(number=row["transfer_no"], status=row["status"],
                               status_label=transfer_label(row["status"]), count=row["count"],
                               amount_fen=row["amount_fen"])
