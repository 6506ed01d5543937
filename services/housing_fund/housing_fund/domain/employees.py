"""Employees (职工) of line B: status codes and their transitions (封存/启封, 转出), the data of an
employee record, and the months (yyyyMM) the ledger and the remittances speak in."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal, overload

from shared import validators
from shared.contracts.housing_fund import BUSINESS_CODES, EMPLOYEE_STATUSES
from shared.errors import IllegalTransition, InvalidInput
from shared.workflow import Workflow

# employee status (个人账户状态)
NORMAL, SEALED, MERGED, TRANSFERRED_OUT, WITHDRAWN, FROZEN, OTHER = "01", "02", "03", "04", "05", "06", "99"
# business codes (业务类型) used by part 1
REMIT, BACK_PAY, OPEN, UNSEAL, SEAL, INTERNAL_TRANSFER = "01", "02", "03", "04", "05", "06"

LIFECYCLE = Workflow("employee", {
    (NORMAL, "seal"): SEALED,
    (SEALED, "unseal"): NORMAL,
    (NORMAL, "change"): NORMAL,
    (SEALED, "change"): SEALED,
    (NORMAL, "transfer_out"): NORMAL,   # stays 正常: the receiving employer accepts, then it moves
    (SEALED, "transfer_out"): SEALED,
})
_MONTH = re.compile(r"^(19|20)[0-9]{2}(0[1-9]|1[0-2])$")
ID_TYPES = {"resident_id": "居民身份证", "hmt_residence": "港澳台居民居住证",
            "foreigner_permanent": "外国人永久居留身份证", "passport": "护照"}
#: fields an employee record has; the ones a change needs the bureau for are marked
FIELDS: dict[str, str] = {"name": "姓名", "id_type": "证件类型", "id_number": "证件号码", "mobile": "手机号码",
                          "level": "级别", "monthly_fen": "每月缴费金额", "start_month": "汇缴开始月份",
                          "accumulated_periods": "累计缴纳期数", "accumulated_fen": "累计缴纳金额",
                          "gender": "性别", "post": "职务"}
#: a change of these is checked by the housing bureau before it takes effect (职工信息变更)
NEEDS_APPROVAL = frozenset({"name", "id_type", "id_number", "level", "monthly_fen"})


def status_label(status: str) -> str:
    return EMPLOYEE_STATUSES.get(status, status)


def business_label(code: str) -> str:
    return BUSINESS_CODES.get(code, code)


def next_status(employee: dict, action: str) -> str:
    """The status after ``action``; 409 naming the employee and the status that forbids it."""
    try:
        return LIFECYCLE.next(employee["status"], action)
    except IllegalTransition as exc:
        raise IllegalTransition(
            f"职工{employee['name']}当前状态为“{status_label(employee['status'])}”，不能办理此业务",
            code=exc.code, details={**exc.details, "employee_id": employee["id"], "name": employee["name"]}) from None


@overload
def check_month(value: Any, field: str, label: str = ..., *, required: Literal[True] = ...) -> str: ...
@overload
def check_month(value: Any, field: str, label: str = ..., *, required: bool) -> str | None: ...
def check_month(value: Any, field: str, label: str = "月份", *, required: bool = True) -> str | None:
    """A month as yyyyMM text (``202601``); Excel's numbers are refused so a lost leading zero shows."""
    if value in (None, ""):
        if required:
            raise InvalidInput.field(field, "month.required", f"请填写{label}（yyyyMM）")
        return None
    text = str(value).strip()
    if not _MONTH.match(text):
        raise InvalidInput.field(field, "month.format", f"{label}应为6位年月，如202601")
    return text


def month_of(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}"


def check_id(id_type: Any, number: Any, today: date | None = None) -> tuple[str, str]:
    id_type = id_type or "resident_id"
    if id_type not in ID_TYPES:
        raise InvalidInput.field("id_type", "employee.id_type_unknown", "证件类型不存在")
    return id_type, validators.id_document(id_type, number, "id_number", today=today)


def check_name(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= 50:
        raise InvalidInput.field("name", "employee.name_required", "请填写姓名（1-50字）")
    return value.strip()


def check_count(value: Any, field: str, label: str) -> int:
    """A non-negative integer (accumulated periods or fen); empty is 0."""
    if value in (None, ""):
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput.field(field, "employee.count_format", f"{label}应为不小于0的整数")
    return value


def check_employee(data: Any, today: date | None = None) -> dict:
    """An employee's personal data (level and amount are checked against the employer's table apart)."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写职工信息", code="employee.data_required")
    id_type, id_number = check_id(data.get("id_type"), data.get("id_number"), today)
    out = {"name": check_name(data.get("name")), "id_type": id_type, "id_number": id_number,
           "mobile": validators.mobile(data.get("mobile")),
           "start_month": check_month(data.get("start_month"), "start_month", "汇缴开始月份"),
           "accumulated_periods": check_count(data.get("accumulated_periods"), "accumulated_periods", "累计缴纳期数"),
           "accumulated_fen": check_count(data.get("accumulated_fen"), "accumulated_fen", "累计缴纳金额")}
    post = data.get("post")
    if post not in (None, ""):
        if not isinstance(post, str) or len(post.strip()) > 50:
            raise InvalidInput.field("post", "employee.post_format", "职务不能超过50字")
        out["post"] = post.strip()
    return out


def gender_label(id_type: str, id_number: str) -> str | None:
    if id_type in ("resident_id", "hmt_residence", "foreigner_permanent") and len(id_number) == 18:
        return "男" if int(id_number[16]) % 2 else "女"
    return None
