"""The application's workflow in subsidy_review (stages 1-4) and how downstream stage events move the
mirrored status, framework-free."""
from __future__ import annotations

from shared.contracts.statuses import APPLICATION_STATUSES
from shared.workflow import Workflow

REVIEW = Workflow("application", {
    ("pending_unit_review", "unit_approve"): "pending_report",
    ("pending_unit_review", "unit_return"): "unit_returned",
    ("pending_unit_review", "withdraw"): "withdrawn",
    ("unit_returned", "resubmit"): "pending_unit_review",
    ("unit_returned", "withdraw"): "withdrawn",
    ("county_returned", "resubmit"): "pending_unit_review",
    ("county_returned", "withdraw"): "withdrawn",
    ("pending_report", "report"): "pending_county_review",
    ("pending_report", "send_back"): "pending_unit_review",
    ("pending_county_review", "county_approve"): "county_approved",
    ("pending_county_review", "county_return"): "county_returned",
})

#: the statuses in which an application's bank account is not yet frozen for payment: the county HRSS
#: approval freezes the applicant's account of that moment into it (domain.md, stage 4) and a return to
#: stage 4 opens a new round that freezes again; until then a correction of the graduate
#: (``individual.bank_account_changed``) is what the approval will freeze. After the approval the frozen
#: account never changes here: the snapshot has gone downstream, and a correction reaches the money only
#: through finance_disbursement (a failed payment's retry)
BEFORE_FREEZE = frozenset(status for status, _action in REVIEW.transitions)

#: a new application may be submitted only when the individual has none in these statuses
ACTIVE = set(APPLICATION_STATUSES) - {"withdrawn", "assessment_failed", "receipt_confirmed"}

#: the applications that count towards a person's allowance (longest period, no overlap): granted or
#: in progress, i.e. all but the withdrawn and the failed ones
COUNTED = set(APPLICATION_STATUSES) - {"withdrawn", "assessment_failed"}

#: downstream events whose status sends the application back to the county HRSS review (stage 4)
RETURN_EVENTS = {"application.objection_upheld", "application.county_org_returned",
                 "application.city_org_returned"}

#: order of the statuses after the county approval, to keep the mirror monotonic when events of
#: different types arrive out of order (each type has its own queue)
DOWNSTREAM_ORDER = ["county_approved", "in_publicity", "publicity_passed", "assessment_passed",
                    "assessment_failed", "pending_county_org", "county_org_confirmed", "city_aggregated",
                    "city_org_confirmed", "funds_released", "payment_failed", "payment_returned", "paid",
                    "receipt_disputed", "receipt_confirmed"]


def mirrored_status(current: str, current_round: int, event_type: str, event_status: str,
                    event_round: int | None) -> str | None:
    """The application's new status after a downstream stage event, or None to leave it unchanged.

    - an event of an older round is history: timeline only;
    - a return (objection upheld, county/city org return) of the current round sends it back to
      ``pending_county_review``;
    - once returned in a round, later events of that same round do not move it again;
    - otherwise the status only moves forward in DOWNSTREAM_ORDER.
    """
    event_round = event_round or 1
    if event_round != current_round:
        return None
    if event_type in RETURN_EVENTS:
        return "pending_county_review" if current in DOWNSTREAM_ORDER else None
    if current not in DOWNSTREAM_ORDER or event_status not in DOWNSTREAM_ORDER:
        return None
    if DOWNSTREAM_ORDER.index(event_status) > DOWNSTREAM_ORDER.index(current):
        return event_status
    return None
