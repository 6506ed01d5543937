"""How cases and batches look to a clerk (and to the gateway): JSON dicts with Chinese labels, money
in integer fen, times in ISO 8601."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from org_confirmation.domain.batches import AGGREGATED
from org_confirmation.domain.batches import STATUS_LABELS as BATCH_STATUS_LABELS
from org_confirmation.domain.cases import APPLICATION_STATUS, case_status_label
from shared import regions
from shared.contracts.statuses import DEGREES
from shared.contracts.waiting import waiting
from shared.validators import DocumentType

# What a clerk of the organisation department reads of the frozen application; the bank account and
# mobile stay out of sight (only city finance needs them, and it gets them from the event).
_APPLICANT_FIELDS = ("applicant_name", "id_type", "id_number", "unit_name", "degree", "start_date", "months",
                     "standard_fen", "amount_fen", "submitted_at", "policy_version")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _document_label(id_type: str | None) -> str | None:
    if id_type is None:
        return None
    try:
        return DocumentType(id_type).label
    except ValueError:
        return id_type


def degree_label(degree: str, snapshot: Mapping[str, Any] | None = None) -> str:
    """学历 in Chinese: as the snapshot labelled it, else from the shared degree table."""
    return (snapshot or {}).get("degree_label") or DEGREES.get(degree, degree)


def case(row: Mapping[str, Any]) -> dict:
    """A case as a list item."""
    return {
        "application_id": row["application_id"], "application_no": row["application_no"], "round": row["round"],
        "county": row["county"], "county_name": regions.name_of(row["county"]), "city": row["city"],
        "unit_id": row["unit_id"], "unit_name": row["unit_name"], "applicant_name": row["applicant_name"],
        "degree": row["degree"], "degree_label": degree_label(row["degree"], row["snapshot"]),
        "months": row["months"], "amount_fen": row["amount_fen"],
        "status": row["status"], "status_label": case_status_label(row["status"]),
        "application_status": APPLICATION_STATUS[row["status"]],
        "city_batch_id": row["city_batch_id"], "city_batch_no": row.get("city_batch_no"),
        "opinion": row["opinion"], "received_at": _iso(row["received_at"]), "updated_at": _iso(row["updated_at"]),
    }


def case_detail(row: Mapping[str, Any]) -> dict:
    """A case with the applicant's data as frozen at the county HRSS approval."""
    snapshot = row["snapshot"] or {}
    applicant = {key: snapshot.get(key) for key in _APPLICANT_FIELDS}
    applicant["id_type_label"] = _document_label(snapshot.get("id_type"))
    applicant["degree_label"] = degree_label(row["degree"], snapshot)
    return {**case(row), "applicant": applicant}


def county_totals(counties: list[Mapping[str, Any]]) -> list[dict]:
    """A batch's per-county lines with the county names."""
    return [{"county": c["county"], "county_name": regions.name_of(c["county"]), "count": c["count"],
             "amount_fen": c["amount_fen"]} for c in counties]


def batch(row: Mapping[str, Any]) -> dict:
    """A city batch as a list item."""
    return {
        "id": row["id"], "batch_no": row["batch_no"], "city": row["city"], "city_name": regions.name_of(row["city"]),
        "count": row["count"], "amount_fen": row["amount_fen"], "counties": county_totals(row["counties"]),
        "status": row["status"], "status_label": BATCH_STATUS_LABELS[row["status"]], "opinion": row["opinion"],
        "created_by_name": row["created_by_name"], "created_at": _iso(row["created_at"]),
        "decided_by_name": row["decided_by_name"], "decided_at": _iso(row["decided_at"]),
        "waiting": batch_waiting(row),
    }


def batch_waiting(row: Mapping[str, Any]) -> dict | None:
    """市组织部确认 (stage 10): a batch waits since the city HRSS aggregated it, until confirmed or returned
    (the list's and the counter's 超时 alike)."""
    return waiting(row["city"], 10, row["created_at"]) if row["status"] == AGGREGATED else None
