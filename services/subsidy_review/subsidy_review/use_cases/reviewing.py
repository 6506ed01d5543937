"""Stages 2-4: the unit clerk reviews and reports, the county HRSS reviews."""
from __future__ import annotations

from typing import Any

from shared import jobs
from shared.auth.roles import Role
from shared.errors import Conflict, InvalidInput, NotFound, PlatformError
from shared.service import Tx
from subsidy_review.adapters.repository import ApplicantRepository
from subsidy_review.domain.application import bank_account_for_approval, optional_opinion, require_opinion
from subsidy_review.domain.workflow import REVIEW
from subsidy_review.use_cases.common import applications, change, check_entitlement, load, policy_of, timeline_entry
from subsidy_review.views import app_ref, serialize

BULK_APPROVE = "applications.bulk_approve_and_report"


def _step(tx: Tx, row: Any, action: str, event_type: str, **options: Any) -> Any:
    return change(tx, row, action, REVIEW.next(row["status"], action), event_type, **options)


def approve(tx: Tx, application_id: str, opinion: str | None = None) -> dict:
    """审核通过: stage 2 for the unit clerk, stage 4 for the county HRSS (which freezes the bank account
    and hands the full snapshot to publicity)."""
    row = load(tx, application_id, lock=True)
    opinion = optional_opinion(opinion)
    if tx.principal.role == Role.UNIT_ADMIN:
        return serialize(_step(tx, row, "unit_approve", "application.unit_approved", opinion=opinion))
    status = REVIEW.next(row["status"], "county_approve")
    person = tx.repository(ApplicantRepository).by_individual(row["individual_id"], lock=True)
    bank = bank_account_for_approval(person and person["bank_account"])
    check_entitlement(tx, person, policy_of(tx, row["city"]), dict(row), exclude=row["id"])
    return serialize(change(tx, row, "county_approve", status, "application.county_approved", opinion=opinion,
                            with_snapshot=True,
                            values={"round": row["round"] + 1, "bank_account": bank,
                                    "bank_account_at": person.get("bank_account_at"), "county_approved_at": tx.now}))


def return_application(tx: Tx, application_id: str, opinion: str) -> dict:
    """退回修改 with the reviewer's opinion."""
    row = load(tx, application_id, lock=True)
    opinion = require_opinion(opinion)
    if tx.principal.role == Role.UNIT_ADMIN:
        return serialize(_step(tx, row, "unit_return", "application.unit_returned", opinion=opinion))
    return serialize(_step(tx, row, "county_return", "application.county_returned", opinion=opinion))


def report(tx: Tx, application_ids: list[str]) -> dict:
    """上报至县人社局: the unit reports approved applications (all or nothing)."""
    if not application_ids:
        raise InvalidInput.field("application_ids", "application.none_selected", "请选择要上报的申请")
    reported = []
    for application_id in dict.fromkeys(application_ids):
        row = load(tx, application_id, lock=True)
        reported.append(serialize(_step(tx, row, "report", "application.reported", values={"reported_at": tx.now})))
    return {"reported": len(reported), "items": reported}


def send_back(tx: Tx, application_id: str) -> dict:
    """退回到单位待审核."""
    row = load(tx, application_id, lock=True)
    return serialize(_step(tx, row, "send_back", "application.sent_back_to_unit_review"))


def bulk_approve_and_report(tx: Tx, application_ids: list[str] | None) -> dict:
    """一键审核通过: approve every pending application of the unit (or the ticked ones) and report them
    to the county HRSS, as a job with per-item outcomes."""
    ticked = [str(i) for i in application_ids or []]
    for application_id in ticked:  # another unit's (or an unknown) id is 404, as for a single approve
        load(tx, application_id)
    ids = applications(tx).pending_of_unit(tx.principal.unit_id or "", ticked or None)
    if not ids:
        raise Conflict("没有待审核的申请", code="application.nothing_pending")
    return jobs.submit(tx, BULK_APPROVE, [{"application_id": i} for i in ids], region=None)


def bulk_item(tx: Tx, payload: dict) -> dict:
    """One application of :func:`bulk_approve_and_report`: approved, then reported."""
    row = load(tx, payload["application_id"], lock=True)
    row = _step(tx, row, "unit_approve", "application.unit_approved")
    row = _step(tx, row, "report", "application.reported", values={"reported_at": tx.now})
    return {"application_no": row["application_no"], "status": row["status"]}


def bulk_chunk(tx: Tx, payloads: list[dict]) -> list[dict | PlatformError]:
    """:func:`bulk_item` for a chunk of the job in a few statements (one lock, one update, the events,
    timeline entries and audit rows each in one insert): the same rows, events and outcomes as item by
    item, in the same order. An item that may not move (another's, gone, no longer pending) gets its
    refusal as its outcome; the others go on."""
    repo = applications(tx)
    rows = repo.get_many([p["application_id"] for p in payloads], tx.principal, lock=True)
    outcomes: list[dict | PlatformError] = []
    moving: list[Any] = []
    for payload in payloads:
        row = rows.get(str(payload["application_id"]))
        try:
            if row is None:
                raise NotFound("申请不存在或不在您的管辖范围内", code="application.not_found")
            middle = REVIEW.next(row["status"], "unit_approve")
            final = REVIEW.next(middle, "report")
        except PlatformError as exc:
            outcomes.append(exc)
            continue
        rows[row["id"]] = {**row, "status": final}  # the same id twice: the second is refused as item by item
        moving.append((len(outcomes), row, middle, final))
        outcomes.append({})
    if not moving:
        return outcomes
    now = tx.now
    after = repo.update_many([row["id"] for _, row, _, _ in moving],
                             {"status": moving[0][3], "updated_at": now, "opinion": None, "reported_at": now})
    events, audits = [], []
    for _, row, middle, final in moving:
        done = after[row["id"]]
        for event_type, status, action, before in (("application.unit_approved", middle, "unit_approve", row["status"]),
                                                   ("application.reported", final, "report", middle)):
            events.append({"event_type": event_type, "subject": row["id"], "region": done["county"],
                           "data": app_ref({**done, "status": status})})
            audits.append({"action": f"application.{action}", "subject_type": "application", "subject_id": row["id"],
                           "before": {"status": before}, "after": {"status": status, "opinion": None},
                           "region": done["county"]})
    envelopes = tx.emit_many(events)
    repo.add_timeline_entries([timeline_entry(after[e.subject], e) for e in envelopes])
    tx.audit_many(audits)
    for index, row, _, final in moving:
        outcomes[index] = {"application_no": row["application_no"], "status": final}
    return outcomes


def get_job(tx: Tx, job_id: str) -> dict:
    return tx.repository(jobs.JobRepository).get(job_id, account_id=tx.principal.account_id, with_items=True,
                                                 page_size=200)
