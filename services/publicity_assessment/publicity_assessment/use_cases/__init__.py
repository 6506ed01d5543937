"""publicity_assessment's use cases. Each takes the unit of work (``tx``) first; the nameko class only
wires them. One module per stage keeps the files small; this package is their single entry."""
from publicity_assessment.use_cases.arrivals import receive_county_approval
from publicity_assessment.use_cases.assessment import assessment_fail, assessment_pass, report_to_county_org
from publicity_assessment.use_cases.cases import get_case, list_cases, todos
from publicity_assessment.use_cases.objections import (
    dismiss_objection,
    get_objection,
    list_objections,
    lodge_objection,
    uphold_objection,
)
from publicity_assessment.use_cases.publicity import (
    due_batch_ids,
    end_due_batch,
    end_publicity,
    get_batch,
    list_batches,
    public_publicity,
    start_publicity,
)
from publicity_assessment.use_cases.settings import (
    confirm_calendar_year,
    get_policy,
    list_calendar_days,
    set_calendar_day,
    set_policy,
    working_calendar,
)
from publicity_assessment.use_cases.verification import verify_batch

__all__ = [
    "assessment_fail", "assessment_pass", "confirm_calendar_year", "dismiss_objection", "due_batch_ids",
    "end_due_batch", "end_publicity", "get_batch", "get_case",
    "get_objection", "get_policy", "list_batches", "list_calendar_days", "list_cases", "list_objections",
    "lodge_objection", "public_publicity", "receive_county_approval", "report_to_county_org", "set_calendar_day",
    "set_policy", "start_publicity", "todos", "uphold_objection", "verify_batch", "working_calendar",
]
