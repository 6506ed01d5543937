"""What other services tell subsidy_review: the later stages of an application (timeline and status
mirror) and the copies of units and applicants from unit_registry."""
from __future__ import annotations

from datetime import date
from typing import Any

from shared.errors import NotFound
from shared.events import Envelope
from shared.service import Tx
from subsidy_review.adapters.repository import ApplicantRepository
from subsidy_review.domain.workflow import mirrored_status
from subsidy_review.use_cases.common import applications, record_timeline


def record_stage_event(tx: Tx, event: Envelope) -> None:
    """A stage event of another authority: into the timeline, and the status mirror moves if it should."""
    data = event.data
    row = applications(tx).get(data["application_id"], lock=True)
    if row is None:
        raise NotFound(f"unknown application {data['application_id']}", code="application.not_found")
    record_timeline(tx, row, event)
    new_status = mirrored_status(row["status"], row["round"], event.type, data.get("status", ""), data.get("round"))
    if new_status is not None:
        values = {"status": new_status, "updated_at": tx.now}
        if data.get("opinion"):
            values["opinion"] = data["opinion"]
        applications(tx).update(row["id"], values)


def upsert_unit(tx: Tx, data: dict) -> None:
    values = {"name": data["name"], "uscc": data.get("uscc"), "region": data["region"],
              "status": data.get("status", "approved"), "updated_at": tx.now}
    tx.repository(ApplicantRepository).put_unit(data["unit_id"], values)


def _date_or_none(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def upsert_applicant(tx: Tx, data: dict, *, status: str = "approved") -> None:
    values = {"account_id": data.get("account_id"), "unit_id": data["unit_id"], "unit_name": data.get("unit_name"),
              "name": data["name"], "id_type": data["id_type"], "id_number": data["id_number"],
              "mobile": data.get("mobile"), "degree": data.get("degree"),
              "graduated_on": _date_or_none(data.get("graduated_on")), "region": data["region"],
              "status": status, "bank_account": data.get("bank_account"), "updated_at": tx.now}
    tx.repository(ApplicantRepository).put(data["individual_id"], values)
