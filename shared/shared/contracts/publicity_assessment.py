"""Events produced by publicity_assessment: stages 5-7 (公示, 评审, 上报县组织部)."""
from typing import Any

from shared.contracts.applications import RETURN, app_event, handoff_event
from shared.contracts.base import DATE, INT, OPT_STR, REGION, STR, UUID, EventContract, array_of, obj
from shared.contracts.statuses import status_label

PRODUCER = "publicity_assessment"


def _c(type_: str, stage: int, schema: dict[str, Any], description: str) -> EventContract:
    return EventContract(type_, PRODUCER, schema, stage=stage, description=description)


BATCH = {"batch_id": UUID, "batch_no": STR, "county": REGION, "city": REGION}

CONTRACTS = [
    _c("publicity_batch.started", 5,
       obj({**BATCH, "starts_on": DATE, "ends_on": DATE, "count": INT, "application_ids": array_of(UUID)}),
       "公示批次开始"),
    _c("application.publicity_started", 5, app_event({"batch_id": UUID, "ends_on": DATE}), "申请进入公示"),
    _c("objection.lodged", 5,
       obj({"objection_id": UUID, "application_id": UUID, "batch_id": UUID, "county": REGION, "reason": STR},
           {"contact_name": OPT_STR, "contact_phone": OPT_STR}),
       "公示期收到异议"),
    _c("application.objection_upheld", 5, app_event(RETURN, {"objection_id": UUID}),
       "异议成立：退回县区人社局审核"),
    _c("objection.dismissed", 5,
       obj({"objection_id": UUID, "application_id": UUID, "county": REGION, "opinion": STR}), "异议不成立"),
    _c("application.publicity_ended", 5, app_event({"batch_id": UUID}), "公示期满无异议"),
    _c("application.assessment_passed", 6, app_event(), "评审通过"),
    _c("application.assessment_failed", 6, app_event(RETURN), "评审未通过（终结）"),
    _c("application.reported_to_county_org", 7, handoff_event(), "上报县区组织部"),
]


# -- the Chinese labels of this service's own statuses (the service, the portal and integrators) -----------
#: a publicity case (公示评审业务)
CASE_LABELS: dict[str, str] = {
    "awaiting_publicity": "待公示",
    "in_publicity": status_label("in_publicity"),
    "objection_upheld": "异议成立，已退回县人社局审核",
    "publicity_passed": status_label("publicity_passed"),
    "assessment_passed": status_label("assessment_passed"),
    "assessment_failed": status_label("assessment_failed"),
    "reported": "已上报县组织部",
}
#: a publicity batch (公示批次)
BATCH_LABELS: dict[str, str] = {"open": "公示中", "ended": "公示结束"}
#: an objection (公示异议)
OBJECTION_LABELS: dict[str, str] = {"pending": "待处理", "upheld": "异议成立", "dismissed": "异议不成立"}
