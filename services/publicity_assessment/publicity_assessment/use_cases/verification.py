"""扫码核验 of a printed 公示名单 (public, no login): the batch's number, where it stands and how many
applications it holds - nothing personal (``shared.verification``)."""
from __future__ import annotations

from typing import Any

from publicity_assessment.adapters.repository import BatchRepository, CaseRepository
from publicity_assessment.use_cases.records import BATCH_NOT_FOUND, _check_id
from shared.contracts.publicity_assessment import BATCH_LABELS
from shared.errors import NotFound
from shared.service import Tx
from shared.verification import verification_answer


def verify_batch(tx: Tx, batch_id: Any) -> dict:
    """The publicity batch now; 404 ``publicity_batch.not_found`` when there is none."""
    row = tx.repository(BatchRepository).get(_check_id(batch_id, "batch_id"))
    if row is None:
        raise NotFound(BATCH_NOT_FOUND[0], code=BATCH_NOT_FOUND[1])
    return verification_answer(number=row["batch_no"], status=row["status"],
                               status_label=BATCH_LABELS.get(row["status"], row["status"]),
                               count=len(tx.repository(CaseRepository).in_batch(row["id"])), amount_fen=None)
