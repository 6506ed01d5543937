"""Employers (汇缴单位) of line B: status codes, the registration review, the data a registration
needs (seed 004's red-dot fields) and the trade code the bureau assigns at approval."""
from __future__ import annotations

import re
from typing import Any

from shared import validators
from shared.contracts.housing_fund import EMPLOYER_STATUSES, REVIEW_STATUSES
from shared.errors import Conflict, InvalidInput
from shared.workflow import Workflow

# employer status (单位状态): 01 正常, 02 开户, 03 缓缴, 04 销户, 05 封存
NORMAL, OPENING, DEFERRED, CLOSED, SEALED = "01", "02", "03", "04", "05"
#: a 缓缴 (deferred) employer may still remit and receive employees; a 销户/封存 one may not
ACTIVE_STATUSES = frozenset({NORMAL, DEFERRED})

PENDING, APPROVED, RETURNED = "pending", "approved", "returned"
REVIEW = Workflow("employer", {
    (PENDING, "approve"): APPROVED,
    (PENDING, "return"): RETURNED,
    (RETURNED, "resubmit"): PENDING,
})

#: the registration form: field -> (label, required); red dots of seed 004 are the required ones
FIELDS: dict[str, tuple[str, bool]] = {
    "name": ("单位名称", True), "uscc": ("统一社会信用代码", True), "region": ("所属县区", True),
    "address": ("单位地址", True), "legal_person": ("法定代表人", True), "contact_name": ("联系人", True),
    "contact_mobile": ("联系人手机", True), "bank_name": ("开户银行", True), "bank_account_name": ("银行户名", True),
    "bank_account_no": ("银行账号", True), "nature": ("单位性质", False), "phone": ("单位电话", False),
    "email": ("电子邮箱", False), "postcode": ("邮政编码", False),
}
#: what an approved employer may change through a request (单位信息变更); uscc and region may not
CHANGEABLE = ("name", "address", "legal_person", "contact_name", "contact_mobile", "bank_name",
              "bank_account_name", "bank_account_no", "nature", "phone", "email", "postcode")
#: the labels of what an employer's change record may touch: those fields and the status the bureau sets
CHANGE_LABELS = {**{k: label for k, (label, _) in FIELDS.items()}, "status": "单位状态"}
_BANK_NO = re.compile(r"^[0-9]{8,30}$")
_TRADE_CODE = re.compile(r"^[1-9][0-9]{4}$")


def status_label(status: str) -> str:
    """The Chinese label of an employer status code (the code itself if unknown)."""
    return EMPLOYER_STATUSES.get(status, status)


def review_label(status: str) -> str:
    return REVIEW_STATUSES.get(status, status)


def check_status_filter(status: object) -> str | None:
    """A list's status filter: empty means all, otherwise a known status code (400)."""
    if status in (None, ""):
        return None
    if status not in EMPLOYER_STATUSES:
        raise InvalidInput.field("status", "filter.status_unknown",
                                 "单位状态应为：" + "、".join(f"{k} {v}" for k, v in EMPLOYER_STATUSES.items()))
    return str(status)


def _text(data: dict, key: str, max_len: int = 100) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InvalidInput.field(key, "employer.field_format", f"{FIELDS[key][0]}格式不正确")
    value = value.strip()
    if len(value) > max_len:
        raise InvalidInput.field(key, "employer.field_too_long", f"{FIELDS[key][0]}不能超过{max_len}个字")
    return value


def check_fields(data: Any, keys: tuple[str, ...] | None = None, *, partial: bool = False) -> dict:
    """The registration (or change) data, normalised; every missing required field is named (400)."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写单位信息", code="employer.data_required")
    keys = keys or tuple(FIELDS)
    out: dict[str, Any] = {}
    missing = {}
    for key in keys:
        label, required = FIELDS[key]
        value = _text(data, key, 200 if key == "address" else 100)
        if value is None:
            if required and not partial:
                missing[key] = f"请填写{label}"
            continue
        out[key] = value
    if missing:
        raise InvalidInput("请填写所有必填项（带红点）", code="employer.fields_required", details={"fields": missing})
    if "uscc" in out:
        out["uscc"] = validators.uscc(out["uscc"])
    if "region" in out:
        out["region"] = validators.region_code(out["region"])
    if "contact_mobile" in out:
        out["contact_mobile"] = validators.mobile(out["contact_mobile"], "contact_mobile")
    if "email" in out:
        out["email"] = validators.email(out["email"])
    if "bank_account_no" in out:
        number = out["bank_account_no"].replace(" ", "")
        if not _BANK_NO.match(number):
            raise InvalidInput.field("bank_account_no", "employer.bank_account_format", "银行账号应为8-30位数字")
        out["bank_account_no"] = number
    return out


def org_code_of(uscc: str) -> str:
    """The login of line B: characters 9-17 of the USCC (组织机构代码)."""
    return validators.org_code_of_uscc(uscc)


def initial_password_of(org_code: str) -> str:
    """Seed 004: the initial password is the last 6 characters of the 组织机构代码."""
    return org_code[-6:]


def check_trade_code(code: object) -> str:
    if not isinstance(code, str) or not _TRADE_CODE.match(code.strip()):
        raise InvalidInput.field("trade_code", "employer.trade_code_format", "单位交易代码应为5位数字")
    return code.strip()


def check_active(status: str, name: str, business: str = "此业务") -> None:
    """Only a 正常 or 缓缴 employer remits, opens or imports employees and receives a transfer; 开户 (not yet
    approved), 销户 and 封存 ones get 409 ``employer.not_active`` naming the ``business`` refused."""
    if status not in ACTIVE_STATUSES:
        raise Conflict(f"单位“{name}”状态为{status_label(status)}，不能办理{business}", code="employer.not_active",
                       details={"status": status})


def check_can_receive(status: str, name: str) -> None:
    """A transfer or a new employee goes only to an active employer (409)."""
    check_active(status, name)
