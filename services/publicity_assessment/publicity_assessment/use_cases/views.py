"""How cases, batches and objections look to callers: JSON dicts with Chinese labels, money in fen."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from publicity_assessment.domain.cases import APPLICATION_STATUS, case_label, degree_label
from publicity_assessment.domain.publicity import OPEN
from shared import regions
from shared.contracts.publicity_assessment import BATCH_LABELS, OBJECTION_LABELS
from shared.contracts.statuses import status_label
from shared.contracts.waiting import waiting
from shared.validators import mask_id, mask_name


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_item(row: Any) -> dict:
    """A case in a clerk's list; the ID number masked (the detail shows it in full)."""
    application_status = APPLICATION_STATUS.get(row["status"], row["status"])
    return {
        "id": row["application_id"], "application_id": row["application_id"],
        "application_no": row["application_no"], "round": row["round"],
        "county": row["county"], "county_name": regions.name_of(row["county"]), "city": row["city"],
        "unit_id": row["unit_id"], "unit_name": row["unit_name"], "applicant_name": row["applicant_name"],
        "id_number": mask_id(row["id_number"]), "degree": row["degree"], "degree_label": degree_label(row["degree"]),
        "months": row["months"], "standard_fen": row["standard_fen"], "amount_fen": row["amount_fen"],
        "status": row["status"], "status_label": case_label(row["status"]),
        "application_status": application_status, "application_status_label": status_label(application_status),
        "batch_id": row["batch_id"], "opinion": row["opinion"],
        "received_at": _iso(row["received_at"]), "updated_at": _iso(row["updated_at"]),
    }


def case_detail(row: Any) -> dict:
    """A case as the county HRSS examines it: the ID number in full, the start date of the subsidy.
    The bank account stays in the snapshot for stage 7; no screen of these stages needs it."""
    snapshot = row["snapshot"] or {}
    return {**case_item(row), "id_number": row["id_number"], "id_type": snapshot.get("id_type"),
            "start_date": snapshot.get("start_date"), "submitted_at": snapshot.get("submitted_at")}


def batch_view(row: Any, case_count: int | None = None, pending_objections: int | None = None) -> dict:
    """A publicity batch; the counts when the caller computed them."""
    return {
        "id": row["id"], "batch_no": row["batch_no"], "county": row["county"],
        "county_name": regions.name_of(row["county"]), "city": row["city"],
        "starts_on": _iso(row["starts_on"]), "ends_on": _iso(row["ends_on"]),
        "status": row["status"], "status_label": BATCH_LABELS.get(row["status"], row["status"]),
        "created_by": row["created_by"], "created_at": _iso(row["created_at"]), "ended_at": _iso(row["ended_at"]),
        "case_count": case_count, "pending_objections": pending_objections,
        # 公示 (stage 5) at the county HRSS since the batch started, until the publicity ends
        "waiting": waiting(row["city"], 5, row["created_at"]) if row["status"] == OPEN else None,
    }


def objection_view(row: Any, case: Any | None = None) -> dict:
    """An objection as the county HRSS handles it (contact data in full: they call the objector)."""
    return {
        "id": row["id"], "application_id": row["application_id"], "batch_id": row["batch_id"],
        "county": row["county"], "reason": row["reason"], "contact_name": row["contact_name"],
        "contact_phone": row["contact_phone"], "status": row["status"],
        "status_label": OBJECTION_LABELS.get(row["status"], row["status"]), "opinion": row["opinion"],
        "lodged_at": _iso(row["lodged_at"]), "resolved_at": _iso(row["resolved_at"]),
        "resolved_by": row["resolved_by"],
        "application_no": case["application_no"] if case is not None else None,
        "applicant_name": case["applicant_name"] if case is not None else None,
    }


def public_item(row: Any) -> dict:
    """A line of the publicity notice (公示名单): masked name, unit, degree, amount, period; no ID
    number, no bank data."""
    return {
        "application_id": row["application_id"], "application_no": row["application_no"],
        "applicant_name": mask_name(row["applicant_name"]), "unit_name": row["unit_name"],
        "degree": row["degree"], "degree_label": degree_label(row["degree"]), "months": row["months"],
        "amount_fen": row["amount_fen"], "county": row["county"], "county_name": regions.name_of(row["county"]),
        "batch_no": row["batch_no"], "starts_on": _iso(row["starts_on"]), "ends_on": _iso(row["ends_on"]),
    }
