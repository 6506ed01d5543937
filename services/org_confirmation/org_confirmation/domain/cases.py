"""An application as the organisation departments see it (a *case*): its statuses, the workflow of
stages 8-10, when a report from stage 7 opens or reopens it, and the checks on a clerk's input."""
from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from shared.contracts.statuses import status_label
from shared.errors import InvalidInput
from shared.opinions import check_opinion as check_opinion_text
from shared.workflow import Workflow

PENDING_COUNTY_ORG = "pending_county_org"
COUNTY_ORG_CONFIRMED = "county_org_confirmed"
COUNTY_ORG_RETURNED = "county_org_returned"
CITY_AGGREGATED = "city_aggregated"
CITY_ORG_CONFIRMED = "city_org_confirmed"
CITY_ORG_RETURNED = "city_org_returned"

STATUSES = (PENDING_COUNTY_ORG, COUNTY_ORG_CONFIRMED, COUNTY_ORG_RETURNED, CITY_AGGREGATED,
            CITY_ORG_CONFIRMED, CITY_ORG_RETURNED)

# A returned case waits here for the county HRSS to approve the application again (a new round).
RETURNED = frozenset({COUNTY_ORG_RETURNED, CITY_ORG_RETURNED})

CASE_FLOW = Workflow("case", {
    (PENDING_COUNTY_ORG, "county_confirm"): COUNTY_ORG_CONFIRMED,
    (PENDING_COUNTY_ORG, "county_return"): COUNTY_ORG_RETURNED,
    (COUNTY_ORG_CONFIRMED, "aggregate"): CITY_AGGREGATED,
    (CITY_AGGREGATED, "city_confirm"): CITY_ORG_CONFIRMED,
    (CITY_AGGREGATED, "city_return"): CITY_ORG_RETURNED,
}, error_subject="application")  # the clerk acts on an application: its refusals say so

# The application's overall status (shared vocabulary) once a case is in one of our statuses: a
# return sends the application back to the county HRSS review of stage 4.
APPLICATION_STATUS = {
    PENDING_COUNTY_ORG: "pending_county_org",
    COUNTY_ORG_CONFIRMED: "county_org_confirmed",
    COUNTY_ORG_RETURNED: "pending_county_review",
    CITY_AGGREGATED: "city_aggregated",
    CITY_ORG_CONFIRMED: "city_org_confirmed",
    CITY_ORG_RETURNED: "pending_county_review",
}

# The returned statuses are this service's own; the others are labelled by the shared vocabulary.
_OWN_LABELS = {
    COUNTY_ORG_RETURNED: "县组织部已退回，待县人社局重新审核",
    CITY_ORG_RETURNED: "市组织部已退回，待县人社局重新审核",
}

MAX_IDS = 1000
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def case_status_label(status: str) -> str:
    """The Chinese label of a case status as the clerk sees it."""
    return _OWN_LABELS.get(status) or status_label(status)


class Arrival(StrEnum):
    """What a report from stage 7 does to the case it names."""

    OPEN = "open"        # first report of this application
    REOPEN = "reopen"    # a returned case comes back for a new round
    IGNORE = "ignore"    # stale or repeated: the case already went through this round


def arrival(status: str | None, recorded_round: int | None, incoming_round: int) -> Arrival:
    """Open an unknown case; reopen a returned one only for a later round; ignore anything else.

    A later round for a case that was not returned cannot be a genuine re-entry (only our returns
    send an application back once it reached stage 8), so it is ignored rather than allowed to
    pull a case out of a city batch.
    """
    if status is None:
        return Arrival.OPEN
    if status in RETURNED and incoming_round > (recorded_round or 0):
        return Arrival.REOPEN
    return Arrival.IGNORE


def check_application_ids(value: Any, field: str = "application_ids") -> list[str]:
    """The clerk's ticked check boxes: a non-empty list of application ids, duplicates dropped,
    order kept."""
    if not isinstance(value, list | tuple) or not value:
        raise InvalidInput.field(field, "application_ids.required", "请至少选择一个申请")
    if len(value) > MAX_IDS:
        raise InvalidInput.field(field, "application_ids.too_many", f"一次最多选择{MAX_IDS}个申请")
    ids: list[str] = []
    for item in value:
        if not isinstance(item, str) or not _UUID.match(item.strip().lower()):
            raise InvalidInput.field(field, "application_ids.invalid", "申请编号不正确")
        normalised = item.strip().lower()
        if normalised not in ids:
            ids.append(normalised)
    return ids


def check_opinion(value: Any, *, required: bool) -> str | None:
    """审核意见: required for a return (the county HRSS must know why), optional for a confirmation."""
    return check_opinion_text(value, required=required, not_text="invalid")


def advance(case: Mapping[str, Any], action: str) -> str:
    """The case's status after ``action``, or 409 naming the application and its current status."""
    return CASE_FLOW.next(case["status"], action, details={"application_id": case["application_id"]},
                          message=f"申请{case['application_no']}当前状态为“{case_status_label(case['status'])}”，"
                                  "不能办理此操作")
