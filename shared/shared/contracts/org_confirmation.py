"""Events produced by org_confirmation: stages 8-10 (县组织部确认, 市人社局汇总, 市组织部确认)."""
from typing import Any

from shared.contracts.applications import RETURN, app_event, handoff_event
from shared.contracts.base import FEN, INT, OPINION, REGION, STR, UUID, EventContract, array_of, obj
from shared.contracts.statuses import status_label

PRODUCER = "org_confirmation"


def _c(type_: str, stage: int, schema: dict[str, Any], description: str) -> EventContract:
    return EventContract(type_, PRODUCER, schema, stage=stage, description=description)


COUNTY_TOTAL = obj({"county": REGION, "count": INT, "amount_fen": FEN})
CITY_BATCH = {"batch_id": UUID, "batch_no": STR, "city": REGION, "count": INT, "amount_fen": FEN,
              "counties": array_of(COUNTY_TOTAL)}

CONTRACTS = [
    _c("application.county_org_confirmed", 8, app_event(), "县区组织部确认"),
    _c("application.county_org_returned", 8, app_event(RETURN), "县区组织部退回：回到县区人社局审核"),
    _c("city_batch.aggregated", 9, obj(CITY_BATCH, {"application_ids": array_of(UUID)}), "市人社局汇总"),
    _c("application.city_aggregated", 9, app_event({"batch_id": UUID}), "申请纳入市级汇总批次"),
    _c("city_batch.confirmed", 10, obj(CITY_BATCH, {"opinion": OPINION}), "市组织部确认汇总批次，通知市财政局"),
    _c("application.city_org_confirmed", 10, handoff_event({"batch_id": UUID}), "市组织部确认"),
    _c("city_batch.returned", 10, obj({**CITY_BATCH, "opinion": STR}), "市组织部退回汇总批次"),
    _c("application.city_org_returned", 10, app_event(RETURN, {"batch_id": UUID}), "市组织部退回：回到县区人社局审核"),
]


# -- the Chinese labels of this service's own statuses (the service, the portal and integrators) -----------
#: a case at the organisation departments: the returned statuses are this service's own, the others the
#: application's shared vocabulary
CASE_LABELS: dict[str, str] = {
    "pending_county_org": status_label("pending_county_org"),
    "county_org_confirmed": status_label("county_org_confirmed"),
    "county_org_returned": "县组织部已退回，待县人社局重新审核",
    "city_aggregated": status_label("city_aggregated"),
    "city_org_confirmed": status_label("city_org_confirmed"),
    "city_org_returned": "市组织部已退回，待县人社局重新审核",
}
#: a city batch (市级汇总批次)
BATCH_LABELS: dict[str, str] = {"aggregated": "已汇总，待市组织部确认",
                                "confirmed": "市组织部已确认，已通知市财政局", "returned": "市组织部已退回"}
