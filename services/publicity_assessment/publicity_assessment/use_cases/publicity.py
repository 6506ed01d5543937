"""Stage 5, 公示: batches of county-approved applications published for a period, then ended."""
from __future__ import annotations

import uuid
from typing import Any

from publicity_assessment.adapters.repository import BatchRepository, CaseRepository
from publicity_assessment.domain.cases import IN_PUBLICITY
from publicity_assessment.domain.publicity import (
    BATCH,
    ENDED,
    OPEN,
    batch_no,
    check_can_end,
    check_ids,
)
from publicity_assessment.use_cases.records import emit_for_case, load_batch, load_cases, move_case
from publicity_assessment.use_cases.settings import period_end
from publicity_assessment.use_cases.views import batch_view, case_item, public_item
from shared import validators
from shared.clock import to_local
from shared.contracts.publicity_assessment import BATCH_LABELS
from shared.errors import Conflict, InvalidInput
from shared.service import Tx


def _today(tx: Tx):
    return to_local(tx.now).date()


def _next_batch_no(tx: Tx, county: str, starts_on) -> str:
    prefix = batch_no(county, starts_on, 0)[:-2]
    taken = tx.repository(BatchRepository).numbers_taken(prefix)  # under a lock on the prefix
    return batch_no(county, starts_on, taken + 1)


def start_publicity(tx, application_ids: Any) -> dict:
    """Publish the ticked 待公示 applications as one batch from today (local date) to the end the
    city's policy and the holiday schedule give. Emits ``publicity_batch.started`` and
    ``application.publicity_started`` per application."""
    ids = check_ids(application_ids)
    rows = load_cases(tx, ids)
    county, city = tx.principal.region, rows[0]["city"]
    starts_on = _today(tx)
    ends_on = period_end(tx, city, starts_on)
    batch_id = str(uuid.uuid4())
    number = _next_batch_no(tx, county, starts_on)
    moved = [move_case(tx, row, "start_publicity", audit_action="case.start_publicity", batch_id=batch_id,
                       opinion=None) for row in rows]
    tx.repository(BatchRepository).add({
        "id": batch_id, "batch_no": number, "county": county, "city": city, "starts_on": starts_on,
        "ends_on": ends_on, "status": OPEN, "created_by": tx.principal.account_id, "created_at": tx.now})
    tx.emit("publicity_batch.started", subject=batch_id, region=county, data={
        "batch_id": batch_id, "batch_no": number, "county": county, "city": city,
        "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "count": len(moved),
        "application_ids": [c["application_id"] for c in moved]})
    for case in moved:
        emit_for_case(tx, "application.publicity_started", case, batch_id=batch_id, ends_on=ends_on.isoformat())
    tx.audit("publicity_batch.start", "publicity_batch", batch_id, region=county, after={
        "batch_no": number, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "count": len(moved)})
    return get_batch(tx, batch_id)


def list_batches(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """The county's publicity batches, newest first; ``status`` (open|ended), ``q`` batch number."""
    if filters.get("status") and filters["status"] not in BATCH_LABELS:
        raise InvalidInput.field("status", "filter.status_invalid", "批次状态应为open或ended")
    return tx.repository(BatchRepository).page(tx.principal.region, filters, page, page_size,
                                               lambda r: batch_view(r._mapping, r.case_count, r.pending))


def get_batch(tx: Tx, batch_id: Any) -> dict:
    """A batch with its applications and the number of objections still pending."""
    batch = load_batch(tx, batch_id)
    rows = tx.repository(CaseRepository).in_batch(batch["id"])
    pending = tx.repository(BatchRepository).pending_objections(batch["id"])
    return {**batch_view(batch, len(rows), pending), "cases": [case_item(r) for r in rows]}


def end_publicity(tx: Tx, batch_id: Any) -> dict:
    """结束公示 by hand: the timer ends every due batch on its own (:func:`end_due_batch`); a clerk may
    end one once its period is over (after its last day, by the injectable clock) and every objection
    is settled, never before."""
    batch = load_batch(tx, batch_id, lock=True)
    _end(tx, batch)
    return get_batch(tx, batch["id"])


def due_batch_ids(tx) -> list[str]:
    """Open batches whose last day is over (local date) and with no objection pending, oldest first:
    what the timer ends, including those that fell due while the service was down."""
    return tx.repository(BatchRepository).due_ids(OPEN, _today(tx))


def end_due_batch(tx, batch_id: str) -> int | None:
    """End one due batch for the timer (its own transaction): how many of its applications passed, or
    None when it is no longer due (ended by a clerk meanwhile, or an objection arrived)."""
    batch = tx.repository(BatchRepository).get(batch_id, lock=True)
    if batch is None or batch["status"] != OPEN:
        return None
    try:
        return _end(tx, batch)
    except Conflict:  # refused before writing anything: not over after all, or an objection came in
        return None


def _end(tx, batch: Any) -> int:
    """End ``batch`` (locked): its applications still in publicity pass (公示无异议). Emits
    ``application.publicity_ended`` per application; returns how many passed."""
    status = BATCH.next(batch["status"], "end")
    batches = tx.repository(BatchRepository)
    check_can_end(_today(tx), batch["ends_on"], batches.pending_objections(batch["id"]))
    rows = tx.repository(CaseRepository).locked_in_batch(batch["id"], IN_PUBLICITY)
    for row in rows:
        case = move_case(tx, row, "end_publicity", audit_action="case.publicity_passed")
        emit_for_case(tx, "application.publicity_ended", case, batch_id=batch["id"])
    batches.update(batch["id"], {"status": status, "ended_at": tx.now})
    tx.audit("publicity_batch.end", "publicity_batch", batch["id"], region=batch["county"],
             before={"status": batch["status"]}, after={"status": ENDED, "passed": len(rows)})
    return len(rows)


def public_publicity(tx: Tx, county: Any = None, page: Any = 1, page_size: Any = 20) -> dict:
    """The publicity notice anyone may read: applications in open batches whose last day is not over
    (a batch the timer has not ended yet is not listed either), names masked."""
    county = validators.region_code(county, "county") if county else None
    return tx.repository(BatchRepository).public_page(OPEN, IN_PUBLICITY, _today(tx), county, page, page_size,
                                                      lambda r: public_item(r._mapping))
