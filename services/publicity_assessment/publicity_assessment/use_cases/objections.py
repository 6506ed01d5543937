"""Objections (异议) during publicity: anyone lodges one, the county HRSS upholds or dismisses it."""
from __future__ import annotations

import uuid
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from publicity_assessment.adapters.repository import BatchRepository, CaseRepository, ObjectionRepository
from publicity_assessment.domain.cases import IN_PUBLICITY
from publicity_assessment.domain.publicity import (
    DISMISSED,
    OBJECTION,
    OPEN,
    PENDING,
    UPHELD,
    check_objection,
    check_objection_window,
    check_opinion,
)
from publicity_assessment.use_cases.records import CASE_NOT_FOUND, emit_for_case, load_case, load_objection, move_case
from publicity_assessment.use_cases.views import objection_view
from shared import throttle
from shared.clock import to_local
from shared.contracts.publicity_assessment import OBJECTION_LABELS
from shared.errors import Conflict, InvalidInput, NotFound
from shared.service import Tx

LIMITS_FILE = Path(__file__).resolve().parents[1] / "data" / "objection_limits.yaml"
TOO_MANY = "objection.too_many_requests"


@cache
def objection_limits() -> dict:
    """The public form's throttle (numbers as data: ``data/objection_limits.yaml``)."""
    return yaml.safe_load(LIMITS_FILE.read_text(encoding="utf-8"))


def _throttle(tx: Tx, count: str, *, client_ip: str | None = None, application_id: str | None = None) -> None:
    limits = objection_limits()
    window = timedelta(minutes=limits["window_minutes"])
    lodged = tx.repository(ObjectionRepository).lodged_since(tx.now - window, client_ip=client_ip,
                                                              application_id=application_id)
    throttle.check(lodged, limits[count], window, tx.now,
                   code=TOO_MANY, message="提交异议过于频繁，请{minutes}分钟后再试", details={"limit": count})


def _lock(tx: Tx, key: str) -> None:
    tx.repository(ObjectionRepository).serialise(key)


def lodge_objection(tx: Tx, data: Any, client_ip: str | None = None) -> dict:
    """A member of the public objects to an application in publicity, up to the period's last day.
    Throttled (``data/objection_limits.yaml``) per client address, per address and application and per
    application: 429 ``objection.too_many_requests`` with ``retry_after``, nothing stored. Emits
    ``objection.lodged`` (integrators receive it with the contact data masked)."""
    form = check_objection(data)
    ip = (client_ip or "")[:45] or None
    if ip:
        _lock(tx, "ip:" + ip)          # concurrent requests from one address are counted one after another
        _throttle(tx, "per_ip", client_ip=ip)
    case = tx.repository(CaseRepository).latest(application_id=form.application_id,
                                                application_no=form.application_no)
    if case is None:
        raise NotFound("未找到该申请，请核对公示名单上的申请编号", code=CASE_NOT_FOUND[1])
    if case["status"] != IN_PUBLICITY:
        raise Conflict("该申请当前不在公示期，无法提出异议", code="objection.not_in_publicity")
    _lock(tx, "application:" + case["application_id"])
    _throttle(tx, "per_application", application_id=case["application_id"])
    if ip:
        _throttle(tx, "per_ip_application", client_ip=ip, application_id=case["application_id"])
    # shares the batch's lock with end_publicity: an objection cannot slip in while a batch ends
    batch = tx.repository(BatchRepository).get(case["batch_id"], share=True)
    if batch is None or batch["status"] != OPEN:
        raise Conflict("该申请当前不在公示期，无法提出异议", code="objection.not_in_publicity")
    check_objection_window(to_local(tx.now).date(), batch["ends_on"])
    objection_id = str(uuid.uuid4())
    tx.repository(ObjectionRepository).add({
        "id": objection_id, "application_id": case["application_id"], "batch_id": batch["id"],
        "county": case["county"], "reason": form.reason, "contact_name": form.contact_name,
        "contact_phone": form.contact_phone, "status": PENDING, "lodged_at": tx.now, "client_ip": ip})
    tx.emit("objection.lodged", subject=objection_id, region=case["county"], data={
        "objection_id": objection_id, "application_id": case["application_id"], "batch_id": batch["id"],
        "county": case["county"], "reason": form.reason, "contact_name": form.contact_name,
        "contact_phone": form.contact_phone})
    tx.audit("objection.lodge", "objection", objection_id, region=case["county"],
             after={"application_id": case["application_id"], "batch_id": batch["id"], "status": PENDING})
    return {"id": objection_id, "application_id": case["application_id"], "application_no": case["application_no"],
            "status": PENDING, "status_label": OBJECTION_LABELS[PENDING], "lodged_at": tx.now.isoformat(),
            "message": "异议已受理，县区人社局将进行核查并与您联系"}


def _resolve(tx: Tx, objection: Any, status: str, opinion: str | None) -> None:
    tx.repository(ObjectionRepository).update(objection["id"], {
        "status": status, "opinion": opinion, "resolved_at": tx.now, "resolved_by": tx.principal.account_id})
    tx.audit(f"objection.{'uphold' if status == UPHELD else 'dismiss'}", "objection", objection["id"],
             region=objection["county"], before={"status": objection["status"]},
             after={"status": status, "opinion": opinion})


def uphold_objection(tx: Tx, objection_id: Any, opinion: Any) -> dict:
    """异议成立: the application leaves publicity and goes back to the county HRSS review (stage 4).
    The case's other pending objections are settled with it. Emits ``application.objection_upheld``."""
    text = check_opinion(opinion)
    objection = load_objection(tx, objection_id, lock=True)
    OBJECTION.next(objection["status"], "uphold")
    case = move_case(tx, load_case(tx, objection["application_id"], lock=True), "uphold_objection",
                     audit_action="case.objection_upheld", opinion=text)
    _resolve(tx, objection, UPHELD, text)
    others = tx.repository(ObjectionRepository).other_pending(case["application_id"], objection["id"])
    for other in others:
        _resolve(tx, other, UPHELD, text)
    emit_for_case(tx, "application.objection_upheld", case, opinion=text, objection_id=objection["id"],
                  batch_id=case["batch_id"])
    return get_objection(tx, objection["id"])


def dismiss_objection(tx: Tx, objection_id: Any, opinion: Any) -> dict:
    """异议不成立: the application stays in publicity. Emits ``objection.dismissed``."""
    text = check_opinion(opinion)
    objection = load_objection(tx, objection_id, lock=True)
    OBJECTION.next(objection["status"], "dismiss")
    _resolve(tx, objection, DISMISSED, text)
    tx.emit("objection.dismissed", subject=objection["id"], region=objection["county"], data={
        "objection_id": objection["id"], "application_id": objection["application_id"],
        "county": objection["county"], "opinion": text})
    return get_objection(tx, objection["id"])


def get_objection(tx: Tx, objection_id: Any) -> dict:
    """One objection of the caller's county, with the application's number and applicant."""
    objection = load_objection(tx, objection_id)
    case = tx.repository(CaseRepository).get(objection["application_id"])
    return objection_view(objection, case)


def list_objections(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """The county's objections, newest first; filters ``status``, ``batch_id``, ``application_id``,
    ``q`` (applicant name or application number)."""
    if filters.get("status") and filters["status"] not in OBJECTION_LABELS:
        raise InvalidInput.field("status", "filter.status_invalid", "异议状态应为pending、upheld或dismissed")
    return tx.repository(ObjectionRepository).page(tx.principal.region, filters, page, page_size,
                                                   lambda r: objection_view(r._mapping, r._mapping))
