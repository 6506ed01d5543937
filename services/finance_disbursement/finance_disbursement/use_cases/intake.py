"""Hand-offs from org_confirmation (events): the applications and the batch's totals arrive, and the
batch becomes 待拨付 once they add up."""
from __future__ import annotations

import logging
from datetime import datetime

from finance_disbursement.adapters.repository import BatchRepository, ItemRepository
from finance_disbursement.domain.reconciliation import Reconciliation, batch_lines, reconcile
from finance_disbursement.domain.rules import is_new_round
from finance_disbursement.domain.workflows import BATCH
from shared.contracts.applications import round_of
from shared.events import Envelope
from shared.service import Tx

log = logging.getLogger(__name__)


def receive_application(tx: Tx, event: Envelope) -> None:
    """``application.city_org_confirmed``: keep the finance bureau's copy of the application's money.

    Keyed by (application, round): a repeat of a round already here, or an older round delivered late,
    is a no-op; the inbox has already dropped a repeat of the same event id.
    """
    data = event.data
    snapshot = data["snapshot"]
    round_ = round_of(data)
    item_rows = tx.repository(ItemRepository)
    item_rows.lock(f"application:{data['application_id']}")
    recorded = item_rows.latest_round(data["application_id"])
    if not is_new_round(round_, recorded):
        log.info("application %s round %s already recorded (round %s): ignored", data["application_id"],
                 round_, recorded)
        return
    batch_id = data["batch_id"]
    item_rows.lock(f"batch:{batch_id}")
    bank = snapshot.get("bank_account") or {}
    inserted = item_rows.add({
        "application_id": data["application_id"], "round": round_, "batch_id": batch_id,
        "application_no": data["application_no"], "county": data["county"], "city": data["city"],
        "unit_id": data["unit_id"], "unit_name": snapshot["unit_name"], "applicant_name": snapshot["applicant_name"],
        "account_id": snapshot.get("account_id"), "amount_fen": snapshot["amount_fen"],
        "bank_holder": bank.get("holder"), "bank_name": bank.get("bank"), "bank_number": bank.get("number"),
        "bank_account_at": _time_or_none(snapshot.get("bank_account_at")),
        "status": "confirmed", "received_at": tx.now, "updated_at": tx.now})
    if inserted:
        settle_batch(tx, batch_id)


def _time_or_none(value: object) -> datetime | None:
    """The snapshot's ``bank_account_at`` (subsidy_review freezes it since issue 13; older snapshots
    have none): a time with its zone, else None (unknown)."""
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None
    return at if at is not None and at.tzinfo is not None else None


def receive_batch(tx: Tx, event: Envelope) -> None:
    """``city_batch.confirmed``: the batch's totals; it becomes 待拨付 once its applications add up."""
    data = event.data
    batches = tx.repository(BatchRepository)
    batches.lock(f"batch:{data['batch_id']}")
    inserted = batches.add({
        "id": data["batch_id"], "batch_no": data["batch_no"], "city": data["city"], "expected_count": data["count"],
        "amount_fen": data["amount_fen"], "status": "waiting_items", "received_at": tx.now, "updated_at": tx.now,
        "counties": [{"county": c["county"], "count": c["count"], "amount_fen": c["amount_fen"]}
                     for c in data["counties"]]})
    if inserted:
        settle_batch(tx, data["batch_id"])


def reconciliation(tx: Tx, batch: dict) -> Reconciliation:
    """The batch's announced county lines against the applications that have arrived."""
    return reconcile(batch["expected_count"], batch["amount_fen"], batch_lines(batch),
                     tx.repository(BatchRepository).arrived_by_county(batch["id"]))


def settle_batch(tx: Tx, batch_id: str) -> None:
    """Mark the batch ready when the batch and all its applications are here and agree (under the
    batch's advisory lock, so the last of several concurrent arrivals sees all the others)."""
    batches = tx.repository(BatchRepository)
    batch = batches.get(batch_id, lock=True)
    if batch is None or batch["status"] != "waiting_items":
        return
    result = reconciliation(tx, batch)
    if not result.ready:
        if result.complete:
            log.warning("batch %s does not add up: %s", batch["batch_no"], [d.message for d in result.discrepancies])
        return
    status = BATCH.next(batch["status"], "items_complete")
    batches.update(batch_id, {"status": status, "ready_at": tx.now, "updated_at": tx.now})
    tx.audit("disbursement_batch.ready", "disbursement_batch", batch_id, before={"status": batch["status"]},
             after={"status": status, **result.to_dict()}, region=batch["city"])
