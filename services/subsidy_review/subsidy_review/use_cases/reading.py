"""Reading applications: one in detail, lists, the 13-stage timeline, to-dos and statistics."""
from __future__ import annotations

from typing import Any

from shared import contracts, regions
from shared.auth.roles import Role
from shared.contracts.statuses import APPLICATION_STATUSES, STAGE_NAMES, status_label
from shared.errors import NotFound
from shared.service import Tx
from subsidy_review.adapters.repository import ApplicationRepository
from subsidy_review.use_cases.common import applications, load
from subsidy_review.use_cases.materials import material_views
from subsidy_review.views import iso, serialize


def get_application(tx: Tx, application_id: str) -> dict:
    row = load(tx, application_id)
    if tx.principal.role not in (Role.INDIVIDUAL,):  # an officer reading personal data is on record
        tx.audit("application.read", "application", row["id"], region=row["county"])
    item = serialize(row, detail=True)
    item["attachments"] = material_views(tx, row["attachment_ids"] or [])
    return item


def list_applications(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    return tx.repository(ApplicationRepository).page(tx.principal, filters, page, page_size, serialize)


def get_timeline(tx: Tx, application_id: str) -> dict:
    """The application's path: the 13 stages, each with its latest actor, time and opinion, and the full
    history (returns and repeated rounds included)."""
    app = load(tx, application_id)
    history = [{
        "stage": e["stage"], "stage_name": STAGE_NAMES.get(e["stage"], ""), "event_type": e["event_type"],
        "description": contracts.get(e["event_type"]).description, "status": e["status"],
        "status_label": status_label(e["status"]) if e["status"] else None, "round": e["round"],
        "actor_role": e["actor_role"], "actor_name": e["actor_name"], "opinion": e["opinion"], "at": iso(e["at"]),
    } for e in tx.repository(ApplicationRepository).timeline_of(app["id"])]
    stages = []
    for number, name in STAGE_NAMES.items():
        latest = next((h for h in reversed(history) if h["stage"] == number), None)
        stages.append({"stage": number, "name": name, "done": latest is not None,
                       "actor_role": latest and latest["actor_role"], "actor_name": latest and latest["actor_name"],
                       "at": latest and latest["at"], "opinion": latest and latest["opinion"],
                       "description": latest and latest["description"]})
    return {"application": serialize(app), "stages": stages, "history": history}


TODOS: dict[str, list[tuple[str, str, str]]] = {  # by role (a Role is a str)
    Role.UNIT_ADMIN: [("pending_unit_review", "applications.pending_unit_review",
                       "您有【{n}】个大学生租房补助申请待审核"),
                      ("pending_report", "applications.pending_report", "您有【{n}】个大学生租房补助申请待上报")],
    Role.COUNTY_HRSS: [("pending_county_review", "applications.pending_county_review",
                        "您有【{n}】个大学生租房补助申请待审核")],
    Role.INDIVIDUAL: [("unit_returned,county_returned", "applications.returned", "您有【{n}】个补助申请被退回待修改")],
}


def todos(tx: Tx) -> list[dict]:
    result = []
    for statuses, key, label in TODOS.get(tx.principal.role, []):
        count = tx.repository(ApplicationRepository).count_in_status(tx.principal, statuses.split(","))
        result.append({"key": key, "count": count, "label": label.format(n=count),
                       "href": f"/portal/applications?status={statuses}"})
    return result


def statistics(tx: Tx, filters: dict) -> dict:
    """补助申报查询统计: counts and amounts per status, in scope."""
    by_status = {r.status: {"status": r.status, "status_label": status_label(r.status), "count": r.count,
                            "amount_fen": int(r.amount_fen)}
                 for r in tx.repository(ApplicationRepository).totals_by_status(tx.principal, filters.get("county"))}
    return {"by_status": sorted(by_status.values(), key=lambda e: e["status"]),
            "total": {"count": sum(e["count"] for e in by_status.values()),
                      "amount_fen": sum(e["amount_fen"] for e in by_status.values())}}


def verify_application(tx: Tx, application_id: str) -> dict:
    """The public verification of a printed 申请表 (anyone with its QR code): the number, where the
    application stands and its amount - no name, no ID number, no account, no unit."""
    row = applications(tx).get(str(application_id)) if isinstance(application_id, str) else None
    if row is None:
        raise NotFound("未找到该申请", code="application.not_found")
    stage = APPLICATION_STATUSES.get(row["status"], (0, ""))[0]
    return {"application_no": row["application_no"], "status": row["status"],
            "status_label": status_label(row["status"]), "stage": stage, "stage_name": STAGE_NAMES.get(stage, ""),
            "county_name": regions.name_of(row["county"]), "amount_fen": row["amount_fen"],
            "updated_at": iso(row["updated_at"])}
