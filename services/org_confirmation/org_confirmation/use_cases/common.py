"""What the decisions on cases and batches share: loading within the caller's jurisdiction, a case's
move (update and audit), the per-application event and the batch's event data."""
from __future__ import annotations

from typing import Any

from org_confirmation import views
from org_confirmation.adapters.repository import BatchRepository, CaseRepository
from org_confirmation.domain.cases import APPLICATION_STATUS
from shared.errors import NotFound
from shared.service import Tx


def case_not_found(application_id: str) -> NotFound:
    return NotFound("申请不存在或不在您的管辖范围内", code="case.not_found",
                    details={"application_id": application_id})


def batch_not_found() -> NotFound:
    return NotFound("汇总批次不存在或不在您的管辖范围内", code="city_batch.not_found")


def load_case(tx: Tx, application_id: str) -> Any:
    """The case as a clerk sees it, if it lies in the caller's jurisdiction (404 otherwise)."""
    row = tx.repository(CaseRepository).get_shown(application_id)
    if row is None or not tx.principal.sees_region(row["county"]):
        raise case_not_found(application_id)
    return row


def cases_for_decision(tx: Tx, ids: list[str]) -> list:
    """The named cases, locked, each within the caller's jurisdiction; one that is missing or outside
    it fails the whole action with 404."""
    found = tx.repository(CaseRepository).locked(ids)
    for application_id in ids:
        row = found.get(application_id)
        if row is None or not tx.principal.sees_region(row["county"]):
            raise case_not_found(application_id)
    return [found[i] for i in ids]


def load_batch(tx: Tx, batch_id: str, *, lock: bool = False) -> Any:
    batch = tx.repository(BatchRepository).get(str(batch_id), lock=lock)
    if batch is None or not tx.principal.sees_region(batch["city"]):
        raise batch_not_found()
    return batch


def move(tx: Tx, row: Any, status: str, action: str, **values: Any) -> None:
    tx.repository(CaseRepository).update(row["application_id"], {"status": status, "updated_at": tx.now, **values})
    tx.audit(f"case.{action}", "case", row["application_id"], before={"status": row["status"]},
             after={"status": status, **values}, region=row["county"])


def emit_case(tx: Tx, event_type: str, row: Any, status: str, **extra: Any) -> None:
    """A per-application event: the application's reference (APP_REF) plus what the stage adds."""
    tx.emit(event_type, subject=row["application_id"], region=row["county"], data={
        "application_id": row["application_id"], "application_no": row["application_no"],
        "county": row["county"], "city": row["city"], "unit_id": row["unit_id"],
        "status": APPLICATION_STATUS[status], "round": row["round"], "applicant_name": row["applicant_name"],
        "unit_name": row["unit_name"], "amount_fen": row["amount_fen"], **extra})


def batch_event_data(batch: Any) -> dict:
    return {"batch_id": batch["id"], "batch_no": batch["batch_no"], "city": batch["city"], "count": batch["count"],
            "amount_fen": batch["amount_fen"],
            "counties": [{"county": c["county"], "count": c["count"], "amount_fen": c["amount_fen"]}
                         for c in batch["counties"]]}


def batch_with_cases(tx: Tx, batch: Any) -> dict:
    """A city batch with its applications (as they stand now), ordered by county."""
    return {**views.batch(batch),
            "cases": [views.case(r) for r in tx.repository(CaseRepository).shown(batch["application_ids"])]}
