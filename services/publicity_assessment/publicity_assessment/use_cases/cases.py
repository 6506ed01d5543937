"""The county HRSS's lists of cases and its to-do counters."""
from __future__ import annotations

from typing import Any

from publicity_assessment.adapters.repository import BatchRepository, CaseRepository, ObjectionRepository
from publicity_assessment.domain.cases import (
    APPLICATION_STATUS,
    ASSESSMENT_PASSED,
    AWAITING_PUBLICITY,
    PUBLICITY_PASSED,
    STATUSES,
)
from publicity_assessment.domain.publicity import PENDING
from publicity_assessment.use_cases.records import load_case
from publicity_assessment.use_cases.settings import calendar_todos
from publicity_assessment.use_cases.views import batch_view, case_detail, case_item, objection_view
from shared.auth.roles import Role
from shared.errors import InvalidInput
from shared.service import Tx


def list_cases(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """The county's cases, newest first; filters ``status`` (a case status), ``batch_id`` and ``q``
    (applicant name or application number)."""
    if filters.get("status") and filters["status"] not in STATUSES:
        raise InvalidInput.field("status", "filter.status_invalid", "状态筛选条件不正确")
    return tx.repository(CaseRepository).page(tx.principal.region, filters, page, page_size,
                                              lambda r: case_item(r._mapping))


def get_case(tx: Tx, application_id: Any) -> dict:
    """One case with its publicity batch and objections; the read of personal data is audited."""
    case = load_case(tx, application_id)
    batch = None
    if case["batch_id"]:
        row = tx.repository(BatchRepository).get(case["batch_id"])
        batch = batch_view(row) if row else None
    lodged = tx.repository(ObjectionRepository).of_application(case["application_id"])
    tx.audit("case.view", "case", case["application_id"], region=case["county"])
    return {**case_detail(case), "batch": batch, "objections": [objection_view(o, case) for o in lodged]}


COUNTERS = [
    ("publicity.awaiting", "您有【{n}】个申请待公示", "/portal/publicity/cases?status=" + AWAITING_PUBLICITY),
    ("publicity.objections", "您有【{n}】个公示异议待处理", "/portal/publicity/objections?status=" + PENDING),
    ("assessment.pending", "您有【{n}】个申请待评审", "/portal/assessments?status=" + PUBLICITY_PASSED),
    ("assessment.to_report", "您有【{n}】个申请待上报县组织部", "/portal/assessments?status=" + ASSESSMENT_PASSED),
]


def todos(tx: Tx) -> list[dict]:
    """The county HRSS's counters for stages 5-7; the admin's missing holiday schedules; other roles
    have none here."""
    if tx.principal.role == Role.SYS_ADMIN:
        return calendar_todos(tx)
    if tx.principal.role != Role.COUNTY_HRSS:
        return []
    county = tx.principal.region
    by_status = tx.repository(CaseRepository).count_by_status(county)
    pending = tx.repository(ObjectionRepository).pending_in(county)
    counts = {"publicity.awaiting": by_status.get(AWAITING_PUBLICITY, 0), "publicity.objections": pending,
              "assessment.pending": by_status.get(PUBLICITY_PASSED, 0),
              "assessment.to_report": by_status.get(ASSESSMENT_PASSED, 0)}
    # the applications a counter counts, in the shared vocabulary: its 其中超时 (subsidy_review's clocks)
    counted = {"publicity.awaiting": AWAITING_PUBLICITY, "assessment.pending": PUBLICITY_PASSED,
               "assessment.to_report": ASSESSMENT_PASSED}
    return [{"key": key, "count": counts[key], "label": label.format(n=counts[key]), "href": href,
             **({"application_statuses": [APPLICATION_STATUS[counted[key]]]} if key in counted else {})}
            for key, label, href in COUNTERS]
