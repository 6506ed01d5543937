"""Stage 6, 评审, and stage 7, 上报县组织部."""
from __future__ import annotations

from typing import Any

from publicity_assessment.domain.publicity import check_ids, check_opinion
from publicity_assessment.use_cases.records import emit_for_case, load_case, load_cases, move_case
from publicity_assessment.use_cases.views import case_detail, case_item
from shared.service import Tx


def assessment_pass(tx: Tx, application_ids: Any) -> dict:
    """评审通过 for the ticked applications that passed publicity; all or none.
    Emits ``application.assessment_passed`` per application."""
    moved = []
    for row in load_cases(tx, check_ids(application_ids)):
        case = move_case(tx, row, "pass_assessment", audit_action="case.assessment_passed")
        emit_for_case(tx, "application.assessment_passed", case)
        moved.append(case)
    return {"count": len(moved), "items": [case_item(c) for c in moved]}


def assessment_fail(tx: Tx, application_id: Any, opinion: Any) -> dict:
    """评审未通过, with the reason: final (the application is rejected).
    Emits ``application.assessment_failed``."""
    text = check_opinion(opinion)
    case = move_case(tx, load_case(tx, application_id, lock=True), "fail_assessment",
                     audit_action="case.assessment_failed", opinion=text)
    emit_for_case(tx, "application.assessment_failed", case, opinion=text)
    return case_detail(case)


def report_to_county_org(tx: Tx, application_ids: Any) -> dict:
    """上报县组织部: hand the assessed applications, with their full snapshot, to the county
    organisation department (org_confirmation). Emits ``application.reported_to_county_org``."""
    moved = []
    for row in load_cases(tx, check_ids(application_ids)):
        case = move_case(tx, row, "report_to_county_org", audit_action="case.reported_to_county_org")
        emit_for_case(tx, "application.reported_to_county_org", case, snapshot=case["snapshot"])
        moved.append(case)
    return {"count": len(moved), "items": [case_item(c) for c in moved]}
