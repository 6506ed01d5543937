"""subsidy_review's use cases: stages 1-4 of an application, its timeline across all 13 stages, and
the copies of units and applicants kept from unit_registry's events. Each takes the unit of work
(``tx``) first; the nameko class only wires them. One module per group keeps the files small; this
package is their single entry."""
from subsidy_review.use_cases.applying import (
    applicant_profile,
    resubmit_application,
    submit_application,
    withdraw_application,
)
from subsidy_review.use_cases.materials import attachment_for_download, record_attachment
from subsidy_review.use_cases.mirrors import correct_bank_account, record_stage_event, upsert_applicant, upsert_unit
from subsidy_review.use_cases.policy import get_policy, set_policy
from subsidy_review.use_cases.reading import (
    get_application,
    get_timeline,
    list_applications,
    statistics,
    todos,
    verify_application,
)
from subsidy_review.use_cases.reviewing import (
    BULK_APPROVE,
    approve,
    bulk_approve_and_report,
    bulk_chunk,
    bulk_item,
    get_job,
    report,
    return_application,
    send_back,
)
from subsidy_review.use_cases.stage_times import (
    batch_clocks,
    get_stage_limits,
    overdue_todos,
    set_stage_limits,
    stage_clocks,
    stage_time_report,
)
from subsidy_review.use_cases.windows import add_window, cancel_window, list_windows

__all__ = [
    "BULK_APPROVE", "add_window", "applicant_profile", "cancel_window", "list_windows",
    "approve", "attachment_for_download", "bulk_approve_and_report", "bulk_chunk",
    "bulk_item", "correct_bank_account", "get_application", "get_job",
    "get_policy", "get_timeline", "list_applications", "record_attachment",
    "record_stage_event", "report", "resubmit_application", "return_application", "send_back", "set_policy",
    "get_stage_limits", "set_stage_limits", "overdue_todos", "stage_clocks", "batch_clocks", "stage_time_report",
    "statistics", "submit_application", "todos", "upsert_applicant", "upsert_unit", "verify_application",
    "withdraw_application",
]
