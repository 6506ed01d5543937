"""What the use cases of an application share: loading it within the caller's jurisdiction and moving
it through a transition (update, event, timeline entry, audit row)."""
from __future__ import annotations

import uuid
from typing import Any

from shared import contracts
from shared.errors import Conflict, NotFound
from shared.events import Envelope
from shared.service import Tx
from subsidy_review.adapters.repository import ApplicationRepository, PolicyRepository
from subsidy_review.domain.application import Period, check_allowance, check_registered_degree
from subsidy_review.domain.workflow import COUNTED
from subsidy_review.views import app_ref, snapshot


def applications(tx: Tx) -> ApplicationRepository:
    return tx.repository(ApplicationRepository)


def load(tx: Tx, application_id: Any, *, lock: bool = False) -> Any:
    """The application if the caller may see it, else 404 (whether it exists is not revealed)."""
    try:
        uuid.UUID(str(application_id))
    except ValueError:
        raise NotFound("申请不存在", code="application.not_found") from None
    row = applications(tx).get(str(application_id), tx.principal, lock=lock)
    if row is None:
        raise NotFound("申请不存在或不在您的管辖范围内", code="application.not_found")
    return row


def policy_of(tx: Tx, city: str) -> Any:
    """The city's subsidy policy (standards, longest period), or 409 when the city has none yet."""
    row = tx.repository(PolicyRepository).get(city)
    if row is None:
        raise Conflict("本市尚未设置补助标准，请联系市人社局", code="policy.missing")
    return row


def check_entitlement(tx: Tx, person: Any, policy: Any, application: dict, *, exclude: str | None = None) -> None:
    """What one person may be paid, checked at submission and again at the county approval (the
    caller holds the person's row lock): the degree recorded at registration, at most the policy's
    longest period over all their counted applications, and no overlapping periods.
    ``application`` has degree, start_date, months (and application_no once numbered)."""
    if person is None:
        raise Conflict("申请人的个人注册信息不存在", code="applicant.not_registered")
    check_registered_degree(application["degree"], person["degree"])
    others = [Period(r["application_no"], r["start_date"], r["months"])
              for r in applications(tx).periods_of(person["individual_id"], COUNTED, exclude=exclude)]
    new = Period(application.get("application_no") or "", application["start_date"], application["months"])
    check_allowance(new, others, max_months=policy["max_months"])


def timeline_entry(row: Any, event: Envelope, *, opinion: str | None = None) -> dict:
    """The timeline entry of ``event`` of application ``row``."""
    contract = contracts.get(event.type)
    actor = event.actor or {}
    return {
        "application_id": row["id"], "stage": contract.stage or 13, "event_type": event.type,
        "status": event.data.get("status"), "round": int(event.data.get("round") or max(1, row["round"])),
        "actor_role": actor.get("role"), "actor_account": actor.get("account_id"), "actor_name": actor.get("name"),
        "opinion": opinion if opinion is not None else event.data.get("opinion"), "event_id": event.id,
        "at": event.time}


def record_timeline(tx: Tx, row: Any, event: Envelope, *, opinion: str | None = None) -> None:
    """Append one timeline entry for ``event`` of application ``row``."""
    applications(tx).add_timeline_entry(timeline_entry(row, event, opinion=opinion))


def change(tx: Tx, row: Any, action: str, status: str, event_type: str, *, opinion: str | None = None,
           values: dict | None = None, with_snapshot: bool = False) -> Any:
    """Put the application in ``status`` (the use case computed it from the workflow once): update,
    event, timeline entry, audit row. Returns the application as it now is."""
    after = applications(tx).update(row["id"], {"status": status, "updated_at": tx.now, "opinion": opinion,
                                                **(values or {})})
    data = app_ref(after, opinion=opinion)
    if with_snapshot:
        data["snapshot"] = snapshot(after)
    event = tx.emit(event_type, subject=after["id"], region=after["county"], data=data)
    record_timeline(tx, after, event, opinion=opinion)
    tx.audit(f"application.{action}", "application", after["id"], before={"status": row["status"]},
             after={"status": status, "opinion": opinion}, region=after["county"])
    return after
