"""What other services tell subsidy_review: the later stages of an application (timeline and status
mirror) and the copies of units and applicants from unit_registry."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared.errors import NotFound
from shared.events import Envelope
from shared.service import Tx
from shared.validators import account_supersedes
from subsidy_review.adapters.repository import ApplicantRepository
from subsidy_review.domain.workflow import BEFORE_FREEZE, mirrored_status
from subsidy_review.use_cases.common import applications, record_timeline


def record_stage_event(tx: Tx, event: Envelope) -> None:
    """A stage event of another authority: into the timeline, and the status mirror moves if it should."""
    data = event.data
    row = applications(tx).get(data["application_id"], lock=True)
    if row is None:
        raise NotFound(f"unknown application {data['application_id']}", code="application.not_found")
    new_status = mirrored_status(row["status"], row["round"], event.type, data.get("status", ""), data.get("round"))
    if new_status is not None:
        values = {"status": new_status, "updated_at": tx.now}
        if data.get("opinion"):
            values["opinion"] = data["opinion"]
        applications(tx).update(row["id"], values)
    record_timeline(tx, row, event)   # after the status: the entry recomputes waiting_since


def upsert_unit(tx: Tx, data: dict) -> None:
    values = {"name": data["name"], "uscc": data.get("uscc"), "region": data["region"],
              "status": data.get("status", "approved"), "updated_at": tx.now}
    tx.repository(ApplicantRepository).put_unit(data["unit_id"], values)


def _date_or_none(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def upsert_applicant(tx: Tx, data: dict, *, status: str = "approved", at: datetime | None = None) -> bool:
    """Keep the copy of unit_registry's individual. The bank account travels only in
    ``individual.approved`` and ``individual.bank_account_changed`` (an ``individual.updated`` or
    ``individual.left_unit`` leaves the copy's account as it is); it replaces the copy's only when it was
    stated later (``at``, the event's time) than the one held. Whether the account was replaced."""
    values = {"account_id": data.get("account_id"), "unit_id": data["unit_id"], "unit_name": data.get("unit_name"),
              "name": data["name"], "id_type": data["id_type"], "id_number": data["id_number"],
              "mobile": data.get("mobile"), "degree": data.get("degree"),
              "graduated_on": _date_or_none(data.get("graduated_on")), "region": data["region"],
              "status": status, "updated_at": tx.now}
    people = tx.repository(ApplicantRepository)
    replaced = False
    if "bank_account" in data:
        person = people.by_individual(data["individual_id"], lock=True)
        stated_at = at or tx.now
        if person is None or account_supersedes(stated_at, person.get("bank_account_at")):
            values.update(bank_account=data["bank_account"], bank_account_at=stated_at)
            replaced = True
    people.put(data["individual_id"], values)
    return replaced


def correct_bank_account(tx: Tx, event: Envelope) -> None:
    """``individual.bank_account_changed``: the graduate corrected their account in unit_registry.

    The rule (domain.md: the account is frozen into the application when the county approves it):
    - the copy of the person takes the corrected account unless a later one is already held, so every
      approval from now on freezes it (a later application of the same person included);
    - the person's applications not yet frozen (:data:`BEFORE_FREEZE`: before the county approval, or
      returned to stage 4 for a new round) that still show an earlier round's account show the
      corrected one, which their next approval freezes anyway;
    - an application approved (frozen) keeps its account: it is in a snapshot downstream and perhaps in
      a bank payment file, so it never changes silently; finance_disbursement takes the same event and
      retries a failed payment with it.
    The inbox drops a repeat of the event; an older correction arriving late changes nothing."""
    data = event.data
    if not (data.get("bank_account") or {}).get("number"):
        return
    at = datetime.fromisoformat(event.time)
    if upsert_applicant(tx, data, status=data.get("status") or "approved", at=at):
        applications(tx).correct_unfrozen_accounts(data["individual_id"], BEFORE_FREEZE, data["bank_account"], at)
