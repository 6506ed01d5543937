"""A case: one county-approved application on its way through publicity (5), assessment (6) and the
report to the county organisation department (7)."""
from __future__ import annotations

from enum import Enum

from shared.contracts.publicity_assessment import CASE_LABELS
from shared.contracts.statuses import DEGREES
from shared.workflow import Workflow

AWAITING_PUBLICITY = "awaiting_publicity"
IN_PUBLICITY = "in_publicity"
OBJECTION_UPHELD = "objection_upheld"
PUBLICITY_PASSED = "publicity_passed"
ASSESSMENT_PASSED = "assessment_passed"
ASSESSMENT_FAILED = "assessment_failed"
REPORTED = "reported"

CASE = Workflow("case", {
    (AWAITING_PUBLICITY, "start_publicity"): IN_PUBLICITY,
    (IN_PUBLICITY, "uphold_objection"): OBJECTION_UPHELD,
    (IN_PUBLICITY, "end_publicity"): PUBLICITY_PASSED,
    (PUBLICITY_PASSED, "pass_assessment"): ASSESSMENT_PASSED,
    (PUBLICITY_PASSED, "fail_assessment"): ASSESSMENT_FAILED,
    (ASSESSMENT_PASSED, "report_to_county_org"): REPORTED,
})

# The application's overall status (shared.contracts.statuses) each case status stands for in events.
APPLICATION_STATUS = {
    AWAITING_PUBLICITY: "county_approved",
    IN_PUBLICITY: "in_publicity",
    # an upheld objection sends the application back to the county HRSS review (stage 4)
    OBJECTION_UPHELD: "pending_county_review",
    PUBLICITY_PASSED: "publicity_passed",
    ASSESSMENT_PASSED: "assessment_passed",
    ASSESSMENT_FAILED: "assessment_failed",
    REPORTED: "pending_county_org",
}

LABELS = CASE_LABELS
STATUSES = frozenset(LABELS)

# A case here waits for the county HRSS to approve it again: after an upheld objection, or after the
# organisation departments (stages 8-10) returned it to stage 4 (we only see the new approval).
AWAITING_NEW_ROUND = frozenset({AWAITING_PUBLICITY, OBJECTION_UPHELD, REPORTED})


def case_label(status: str) -> str:
    """The Chinese label of a case status."""
    return LABELS.get(status, status)


def degree_label(degree: str) -> str:
    """学历 in Chinese (``bachelor`` -> 本科)."""
    return DEGREES.get(degree, degree)


class Arrival(Enum):
    """What a county approval (``application.county_approved``) does to the case."""

    CREATE = "create"
    NEW_ROUND = "new_round"
    IGNORE = "ignore"


def arrival_of(current_status: str | None, current_round: int | None, new_round: int) -> Arrival:
    """A first approval creates the case; a later round restarts a case that waits for one; anything
    else (a repeat, a stale round, a case in the middle of its stages or finally failed) is ignored."""
    if current_status is None:
        return Arrival.CREATE
    if new_round <= (current_round or 0):
        return Arrival.IGNORE
    return Arrival.NEW_ROUND if current_status in AWAITING_NEW_ROUND else Arrival.IGNORE

