"""扫码核验 of a printed 市级汇总表 (public, no login): the city batch's number, where it stands, how many
applications and how much - nothing personal (``shared.verification``)."""
from __future__ import annotations

from typing import Any

from org_confirmation.adapters.repository import BatchRepository
from org_confirmation.domain.batches import STATUS_LABELS
from org_confirmation.use_cases.common import batch_not_found
from shared.service import Tx
from shared.verification import verification_answer


def verify_batch(tx: Tx, batch_id: Any) -> dict:
    """The city batch now; 404 ``city_batch.not_found`` when there is none."""
    row = tx.repository(BatchRepository).get(str(batch_id)) if isinstance(batch_id, str) else None
    if row is None:
        raise batch_not_found()
    return verification_answer(number=row["batch_no"], status=row["status"],
                               status_label=STATUS_LABELS[row["status"]], count=row["count"],
                               amount_fen=row["amount_fen"])
