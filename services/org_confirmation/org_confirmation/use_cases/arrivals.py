"""Stage 7 -> 8: the county HRSS reports an application to the county organisation department."""
from __future__ import annotations

import logging

from org_confirmation.adapters.repository import CaseRepository
from org_confirmation.domain import cases as case_rules
from org_confirmation.domain.cases import PENDING_COUNTY_ORG, Arrival
from shared import regions
from shared.contracts.applications import round_of
from shared.events import Envelope
from shared.service import Tx

log = logging.getLogger(__name__)


def receive_report(tx: Tx, event: Envelope) -> Arrival:
    """Open a case for ``application.reported_to_county_org``, or reopen a returned one for a new
    round; a stale or repeated report (same or earlier round) changes nothing."""
    data = event.data
    snapshot = data["snapshot"]
    application_id = data["application_id"]
    incoming = round_of(data)
    case_rows = tx.repository(CaseRepository)
    row = case_rows.get(application_id, lock=True)
    arrival = case_rules.arrival(row["status"] if row else None, row["round"] if row else None, incoming)
    if arrival is Arrival.IGNORE:
        log.info("report of %s round %s ignored: case is %s in round %s", application_id, incoming,
                 row["status"], row["round"])
        return arrival
    county = data["county"]
    values = {
        "round": incoming, "application_no": data["application_no"], "county": county,
        "city": regions.city_of(county) or data["city"], "unit_id": data["unit_id"],
        "unit_name": snapshot["unit_name"], "applicant_name": snapshot["applicant_name"],
        "degree": snapshot["degree"], "months": snapshot["months"], "amount_fen": snapshot["amount_fen"],
        "snapshot": snapshot, "status": PENDING_COUNTY_ORG, "city_batch_id": None, "opinion": None,
        "received_at": tx.now, "updated_at": tx.now,
    }
    if arrival is Arrival.OPEN:
        if not case_rows.add(application_id, values):  # a concurrent delivery of another report came first
            return Arrival.IGNORE
    else:
        case_rows.update(application_id, values)
    before = {"status": row["status"], "round": row["round"]} if row else None
    tx.audit(f"case.{arrival.value}", "case", application_id, before=before,
             after={"status": PENDING_COUNTY_ORG, "round": incoming}, region=county)
    return arrival
