"""职工信息变更: what a change request may touch, which fields need the housing bureau's approval
before they take effect (name, 证件, level, amount) and which apply at once (mobile, post)."""
from __future__ import annotations

from typing import Any

from housing_fund.domain import employees as rules
from shared import validators
from shared.errors import InvalidInput
from shared.workflow import Workflow

APPLIED, PENDING, APPROVED, RETURNED = "applied", "pending", "approved", "returned"
STATUS_LABELS = {APPLIED: "已生效", PENDING: "待住建局审核", APPROVED: "审核通过，已生效", RETURNED: "住建局退回"}
REVIEW = Workflow("employee_change", {(PENDING, "approve"): APPROVED, (PENDING, "return"): RETURNED})
#: the fields a change request may carry
CHANGEABLE = ("name", "id_type", "id_number", "mobile", "level", "monthly_fen", "post")


def needs_approval(changes: dict) -> bool:
    return any(k in rules.NEEDS_APPROVAL for k in changes)


def check_changes(data: Any, current: dict) -> dict:
    """The fields that really change (normalised); 400 for an unknown field or nothing changed.
    Level and amount are checked against the level table by the caller."""
    if not isinstance(data, dict) or not data:
        raise InvalidInput("请填写要变更的信息", code="employee_change.empty")
    unknown = sorted(set(data) - set(CHANGEABLE))
    if unknown:
        raise InvalidInput("以下信息不能通过职工信息变更修改：" + "、".join(unknown),
                           code="employee_change.field_unknown", details={"fields": unknown})
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = rules.check_name(data["name"])
    if "id_number" in data or "id_type" in data:
        id_type, number = rules.check_id(data.get("id_type", current["id_type"]),
                                         data.get("id_number", current["id_number"]))
        out["id_type"], out["id_number"] = id_type, number
    if "mobile" in data:
        out["mobile"] = validators.mobile(data["mobile"])
    if "level" in data:
        out["level"] = str(data["level"]).strip()
    if "monthly_fen" in data:
        out["monthly_fen"] = data["monthly_fen"]
    if "post" in data:
        post = data["post"]
        if post is not None and (not isinstance(post, str) or len(post.strip()) > 50):
            raise InvalidInput.field("post", "employee.post_format", "职务不能超过50字")
        out["post"] = post.strip() if post else None
    out = {k: v for k, v in out.items() if current.get(k) != v}
    if not out:
        raise InvalidInput("变更后的信息与原信息相同", code="employee_change.nothing_changed")
    return out
