"""Loading records inside the caller's jurisdiction, moving cases along their workflow, and the
data every per-application event carries."""
from __future__ import annotations

from typing import Any

from publicity_assessment.adapters.repository import BatchRepository, CaseRepository, ObjectionRepository
from publicity_assessment.domain.cases import APPLICATION_STATUS, CASE, case_label
from shared.errors import IllegalTransition, InvalidInput, NotFound
from shared.service import Tx

# One code for "missing" and "outside your county", so a 404 never reveals that a record exists.
CASE_NOT_FOUND = ("申请不存在或不在您的管辖范围内", "case.not_found")
BATCH_NOT_FOUND = ("公示批次不存在或不在您的管辖范围内", "publicity_batch.not_found")
OBJECTION_NOT_FOUND = ("异议不存在或不在您的管辖范围内", "objection.not_found")


def _check_id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput.field(field, "id.invalid", "编号格式不正确")
    return value.strip()


def _visible(tx: Tx, row: Any, missing: tuple[str, str]) -> Any:
    if row is None or not tx.principal.sees_region(row["county"]):
        raise NotFound(missing[0], code=missing[1])
    return row


def load_case(tx: Tx, application_id: Any, *, lock: bool = False) -> Any:
    """The case of ``application_id`` in the caller's county (404 otherwise)."""
    row = tx.repository(CaseRepository).get(_check_id(application_id, "application_id"), lock=lock)
    return _visible(tx, row, CASE_NOT_FOUND)


def load_cases(tx: Tx, application_ids: list[str]) -> list[Any]:
    """The ticked cases, locked, in the order given; 404 names the first one missing or outside."""
    found = tx.repository(CaseRepository).locked(application_ids)
    for application_id in application_ids:
        row = found.get(application_id)
        if row is None or not tx.principal.sees_region(row["county"]):
            raise NotFound(CASE_NOT_FOUND[0], code=CASE_NOT_FOUND[1], details={"application_id": application_id})
    return [found[i] for i in application_ids]


def load_batch(tx: Tx, batch_id: Any, *, lock: bool = False) -> Any:
    """The publicity batch ``batch_id`` of the caller's county (404 otherwise)."""
    row = tx.repository(BatchRepository).get(_check_id(batch_id, "batch_id"), lock=lock)
    return _visible(tx, row, BATCH_NOT_FOUND)


def load_objection(tx: Tx, objection_id: Any, *, lock: bool = False) -> Any:
    """The objection ``objection_id`` against an application of the caller's county (404 otherwise)."""
    row = tx.repository(ObjectionRepository).get(_check_id(objection_id, "objection_id"), lock=lock)
    return _visible(tx, row, OBJECTION_NOT_FOUND)


def next_status(case: Any, action: str) -> str:
    """The case's status after ``action``; 409 naming the application when its status forbids it."""
    try:
        return CASE.next(case["status"], action)
    except IllegalTransition as exc:
        raise IllegalTransition(
            f"申请{case['application_no']}当前状态为“{case_label(case['status'])}”，不能办理此业务",
            code=exc.code, details={**exc.details, "application_id": case["application_id"],
                                    "application_no": case["application_no"]}) from None


def move_case(tx: Tx, case: Any, action: str, *, audit_action: str, **values: Any) -> dict:
    """Apply ``action`` to ``case`` (plus ``values``), audit it, and return the row as it is now."""
    status = next_status(case, action)
    tx.repository(CaseRepository).update(case["application_id"], {"status": status, "updated_at": tx.now, **values})
    after = {**case, "status": status, "updated_at": tx.now, **values}
    tx.audit(audit_action, "case", case["application_id"], region=case["county"],
             before={"status": case["status"], "round": case["round"]},
             after={"status": status, "round": case["round"], **{k: v for k, v in values.items() if k != "snapshot"}})
    return after


def application_event(case: Any, **extra: Any) -> dict:
    """APP_REF (with the application's overall status) plus round, names and amount."""
    return {
        "application_id": case["application_id"], "application_no": case["application_no"],
        "county": case["county"], "city": case["city"], "unit_id": case["unit_id"],
        "status": APPLICATION_STATUS[case["status"]], "round": case["round"],
        "applicant_name": case["applicant_name"], "unit_name": case["unit_name"],
        "amount_fen": int(case["amount_fen"]), **extra,
    }


def emit_for_case(tx: Tx, event_type: str, case: Any, **extra: Any) -> None:
    """Write a per-application event about ``case`` (subject the application, region its county)."""
    tx.emit(event_type, subject=case["application_id"], region=case["county"],
            data=application_event(case, **extra))
