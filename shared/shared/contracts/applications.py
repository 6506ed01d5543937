"""Schemas shared by the per-application stage events of line A.

Every per-application event carries :data:`APP_REF` so that any consumer (the timeline in
subsidy_review, integrators) can place it without asking anyone. Hand-off events additionally carry
the full :data:`SNAPSHOT` (event-carried state transfer): the downstream authority keeps its own copy.
"""
from typing import Any

from shared.contracts.base import DATE, FEN, OPINION, OPT_STR, POS_INT, REGION, STR, UUID, obj

APP_REF = {"application_id": UUID, "application_no": STR, "county": REGION, "city": REGION,
           "unit_id": UUID, "status": STR}
APP_REF_OPT = {"opinion": OPINION, "applicant_name": OPT_STR, "unit_name": OPT_STR,
               "amount_fen": FEN, "batch_id": {"type": ["string", "null"]},
               # how many times the county HRSS has approved it: a return to stage 4 starts a new round,
               # so a downstream service can tell a genuine re-entry from a stale event
               "round": {"type": "integer", "minimum": 1}}

BANK_ACCOUNT = obj({"holder": STR, "bank": STR, "number": STR})
SNAPSHOT = obj(
    {"application_no": STR, "applicant_name": STR, "id_type": STR, "id_number": STR, "unit_id": UUID,
     "unit_name": STR, "county": REGION, "city": REGION, "degree": STR, "start_date": DATE,
     "months": POS_INT, "standard_fen": FEN, "amount_fen": FEN},
    {"individual_id": UUID, "account_id": UUID, "mobile": OPT_STR, "bank_account": BANK_ACCOUNT,
     "policy_version": {"type": ["integer", "null"]}, "round": {"type": "integer", "minimum": 1},
     "degree_label": OPT_STR, "submitted_at": OPT_STR,
     # when unit_registry stated the frozen bank account (ISO time): a correction later than it is newer
     "bank_account_at": OPT_STR,
     # 申请材料 by id (the files stay in the store; subsidy_review authorises their download)
     "attachment_ids": {"type": "array", "items": {"type": "string"}}},
)


def round_of(data: dict[str, Any]) -> int:
    """The county-approval round an application event is about: its own ``round``, else its snapshot's,
    else 1 (events of the first round may leave it out)."""
    return int(data.get("round") or (data.get("snapshot") or {}).get("round") or 1)


def app_event(required: dict[str, Any] | None = None, optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return obj({**APP_REF, **(required or {})}, {**APP_REF_OPT, **(optional or {})})


def handoff_event(required: dict[str, Any] | None = None, optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return app_event({"snapshot": SNAPSHOT, **(required or {})}, optional)


RETURN = {"opinion": {"type": "string", "minLength": 1, "maxLength": 500}}
