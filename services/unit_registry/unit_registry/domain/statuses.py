"""Review statuses shared by unit and individual registrations (审核状态), with their labels."""
from __future__ import annotations

from shared.errors import InvalidInput
from shared.opinions import check_opinion as check_opinion_text

PENDING, APPROVED, RETURNED = "pending", "approved", "returned"

STATUS_LABELS: dict[str, str] = {PENDING: "待审核", APPROVED: "审核通过", RETURNED: "退回修改"}


def status_label(status: str) -> str:
    """The Chinese label of a registration status (the status itself if unknown)."""
    return STATUS_LABELS.get(status, status)


def check_status_filter(status: object) -> str | None:
    """A list's status filter: empty means all, otherwise one of the known statuses (400)."""
    if status in (None, ""):
        return None
    if status not in STATUS_LABELS:
        raise InvalidInput.field("status", "filter.status_unknown", "审核状态应为待审核、审核通过或退回修改")
    return str(status)


def check_opinion(opinion: object, *, required: bool) -> str | None:
    """A reviewer's opinion (审核意见): at most 500 characters; a return must say why."""
    return check_opinion_text(opinion, required=required)
