"""Events produced by subsidy_review: stages 1-4 of an application."""
from typing import Any

from shared.contracts.applications import RETURN, app_event, handoff_event
from shared.contracts.base import EventContract

PRODUCER = "subsidy_review"


def _c(type_: str, stage: int, schema: dict[str, Any], description: str) -> EventContract:
    return EventContract(type_, PRODUCER, schema, stage=stage, description=description)


CONTRACTS = [
    _c("application.submitted", 1, handoff_event(), "个人提交补助申请"),
    _c("application.resubmitted", 1, handoff_event(), "个人修改后重新提交补助申请"),
    _c("application.withdrawn", 1, app_event(), "个人撤回补助申请"),
    _c("application.unit_approved", 2, app_event(), "单位审核通过"),
    _c("application.unit_returned", 2, app_event(RETURN), "单位退回修改"),
    _c("application.reported", 3, app_event(), "单位上报至县人社局"),
    _c("application.sent_back_to_unit_review", 3, app_event(), "退回到单位待审核"),
    _c("application.county_approved", 4, handoff_event(), "县区人社局审核通过（含完整申请快照与银行账户）"),
    _c("application.county_returned", 4, app_event(RETURN), "县区人社局退回"),
]
