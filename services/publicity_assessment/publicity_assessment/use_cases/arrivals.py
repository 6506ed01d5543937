"""Stage 4 -> 5: a county-approved application arrives (``application.county_approved``)."""
from __future__ import annotations

import logging

from publicity_assessment.adapters.repository import CaseRepository
from publicity_assessment.domain.cases import AWAITING_PUBLICITY, Arrival, arrival_of
from shared.contracts.applications import round_of
from shared.events import Envelope

log = logging.getLogger(__name__)


def receive_county_approval(tx, event: Envelope) -> str:
    """Open the case (待公示) from the event's snapshot, or restart it for a new approval round.

    A repeated or stale approval (round not above the one recorded, or a case in the middle of its
    stages) changes nothing. Returns what happened: ``create``, ``new_round`` or ``ignore``.
    """
    data = event.data
    snapshot = data["snapshot"]
    application_id = data["application_id"]
    new_round = round_of(data)
    repository = tx.repository(CaseRepository)
    current = repository.get(application_id, lock=True)
    arrival = arrival_of(current["status"] if current else None, current["round"] if current else None, new_round)
    if arrival is Arrival.IGNORE:
        log.info("county approval of %s (round %s) ignored: case is %s in round %s", application_id, new_round,
                 current["status"], current["round"])
        return arrival.value
    values = {
        "round": new_round, "application_no": data["application_no"], "county": data["county"],
        "city": data["city"], "unit_id": data["unit_id"], "unit_name": snapshot["unit_name"],
        "applicant_name": snapshot["applicant_name"], "id_number": snapshot["id_number"],
        "degree": snapshot["degree"], "months": snapshot["months"], "standard_fen": snapshot["standard_fen"],
        "amount_fen": snapshot["amount_fen"], "snapshot": snapshot, "status": AWAITING_PUBLICITY,
        "batch_id": None, "opinion": None, "updated_at": tx.now,
    }
    if arrival is Arrival.CREATE:
        repository.add(application_id, {"received_at": tx.now, **values})
    else:
        repository.update(application_id, values)
    tx.audit("case.receive" if arrival is Arrival.CREATE else "case.new_round", "case", application_id,
             before={"status": current["status"], "round": current["round"]} if current else None,
             after={"status": AWAITING_PUBLICITY, "round": new_round}, region=data["county"])
    return arrival.value
