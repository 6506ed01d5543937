"""Publicity batches and the objections lodged during publicity (公示, 异议)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared import validators
from shared.errors import Conflict, InvalidInput
from shared.opinions import check_opinion as check_opinion_text
from shared.workflow import Workflow

OPEN = "open"
ENDED = "ended"
BATCH = Workflow("publicity_batch", {(OPEN, "end"): ENDED})

PENDING = "pending"
UPHELD = "upheld"
DISMISSED = "dismissed"
OBJECTION = Workflow("objection", {(PENDING, "uphold"): UPHELD, (PENDING, "dismiss"): DISMISSED})

MAX_CASES_PER_ACTION = 500


def batch_no(county: str, starts_on: date, sequence: int) -> str:
    """公示批次号: ``GS<county>-<yyyymmdd>-<nn>``, numbered per county and day from 01."""
    return f"GS{county}-{starts_on:%Y%m%d}-{sequence:02d}"


def is_over(today: date, ends_on: date) -> bool:
    """A publicity runs to the end of its last day in the city's time zone (``today`` is the local
    date): objections are taken all that day, and only then may the batch end."""
    return today > ends_on


def check_can_end(today: date, ends_on: date, pending_objections: int) -> None:
    """A publicity ends after its last day, once every objection is settled."""
    if not is_over(today, ends_on):
        raise Conflict(f"公示期至{ends_on.year}年{ends_on.month}月{ends_on.day}日24时，期满后方可结束公示",
                       code="publicity.not_ended", details={"ends_on": ends_on.isoformat()})
    if pending_objections:
        raise Conflict(f"该批次尚有{pending_objections}条异议未处理，请先处理异议",
                       code="publicity.objections_pending", details={"pending": pending_objections})


def check_objection_window(today: date, ends_on: date) -> None:
    """Objections are taken up to and including the last day of publicity."""
    if is_over(today, ends_on):
        raise Conflict("公示期已结束，不再受理异议", code="objection.publicity_ended",
                       details={"ends_on": ends_on.isoformat()})


@dataclass(frozen=True)
class ObjectionForm:
    """What a member of the public submits: which application, why, and how to reach them."""

    application_id: str | None
    application_no: str | None
    reason: str
    contact_name: str
    contact_phone: str


def check_objection(data: object) -> ObjectionForm:
    """Validate an objection (异议): an application id or number, a reason of 5-500 characters, a
    contact name and a mainland mobile number."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写异议内容", code="objection.invalid")
    application_id = _text(data.get("application_id"))
    application_no = _text(data.get("application_no"))
    if not application_id and not application_no:
        raise InvalidInput.field("application_no", "objection.application_required", "请填写被异议的申请编号")
    reason = _text(data.get("reason"))
    if not 5 <= len(reason) <= 500:
        raise InvalidInput.field("reason", "objection.reason_length", "异议理由应为5-500字")
    contact_name = _text(data.get("contact_name"))
    if not 1 <= len(contact_name) <= 50:
        raise InvalidInput.field("contact_name", "objection.contact_name_required", "请填写联系人姓名（1-50字）")
    phone = validators.mobile(data.get("contact_phone"), "contact_phone")
    return ObjectionForm(application_id or None, application_no or None, reason, contact_name, phone)


def check_opinion(opinion: object, *, required: bool = True) -> str | None:
    """审核意见: required for a decision that sends a case back or ends it; at most 500 characters."""
    return check_opinion_text(opinion, required=required, what="处理意见", missing="请填写处理意见",
                              not_text="required")


def check_ids(ids: object, field: str = "application_ids") -> list[str]:
    """The ticked records of a batch action: a non-empty list of ids, duplicates dropped."""
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i.strip() for i in ids):
        raise InvalidInput.field(field, "ids.required", "请至少选择一条记录")
    unique = list(dict.fromkeys(i.strip() for i in ids))
    if len(unique) > MAX_CASES_PER_ACTION:
        raise InvalidInput.field(field, "ids.too_many", f"一次最多选择{MAX_CASES_PER_ACTION}条记录")
    return unique


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
