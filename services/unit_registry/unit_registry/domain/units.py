"""Unit data (单位信息) as the registration form and the demo city give it."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from shared import regions, validators
from shared.errors import InvalidInput
from shared.hardening import visible
from shared.workflow import Workflow
from unit_registry.domain.statuses import APPROVED, PENDING, RETURNED

# The county HRSS of the unit's 主管部门 reviews a registration; a returned one is corrected and resubmitted.
REGISTRATION = Workflow("unit", {
    (PENDING, "approve"): APPROVED,
    (PENDING, "return"): RETURNED,
    (RETURNED, "resubmit"): PENDING,
})
# A change of the reviewed fields waits for the same county; a returned change is closed (a new one may follow).
CHANGE = Workflow("unit_change", {
    (PENDING, "approve"): APPROVED,
    (PENDING, "return"): RETURNED,
})
#: fields whose change needs the county's review (单位名称, 统一社会信用代码, 行政区划 and its 主管部门)
REVIEWED_FIELDS = ("name", "uscc", "region", "supervisor_region")
FIELDS = ("name", "uscc", "region", "supervisor_region", "leader", "leader_phone")

_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")


@dataclass(frozen=True)
class UnitData:
    """A unit's registration data, validated and normalised."""

    name: str
    uscc: str
    org_code: str
    region: str
    supervisor_region: str
    leader: str
    leader_phone: str

    def as_dict(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FIELDS}

    def reviewed_changes(self, current: dict) -> dict[str, tuple]:
        """The reviewed fields that differ from ``current`` (name -> (old, new))."""
        return {f: (current.get(f), getattr(self, f)) for f in REVIEWED_FIELDS if current.get(f) != getattr(self, f)}


def _text(value: object, field: str, what: str, min_len: int, max_len: int) -> str:
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    if not min_len <= len(text) <= max_len or not visible(text):
        raise InvalidInput.field(field, f"unit.{field}_length", f"{what}应为{min_len}-{max_len}个字")
    return text


def check_county(value: object, field: str) -> str:
    """A county-level code: units sit in a county and are reviewed by a county HRSS."""
    code = validators.region_code(value, field)
    region = regions.get(code)
    assert region is not None  # region_code refuses a code the table does not know
    is_county = region.level == "county" or [r.code for r in regions.counties_of(code)] == [code]
    if not is_county:
        raise InvalidInput.field(field, "region.not_county", "请选择县（市、区）一级的行政区划")
    return code


def check_phone(value: object, field: str = "leader_phone") -> str:
    """负责人联系方式: a mobile number or a landline with its area code (0750-1234567)."""
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", value)) if isinstance(value, str) else ""
    if _LANDLINE.fullmatch(text):
        return text
    try:
        return validators.mobile(text, field)
    except InvalidInput:
        raise InvalidInput.field(field, "phone.format", "联系方式应为手机号码或带区号的固定电话") from None


def check_unit(data: dict) -> UnitData:
    """Validate a unit's data; the 组织机构代码 is taken from the 统一社会信用代码 (characters 9-17)."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写单位信息", code="unit.data_required")
    name = _text(data.get("name"), "name", "单位名称", 2, 100)
    uscc = validators.uscc(data.get("uscc"))
    region = check_county(data.get("region"), "region")
    supervisor = check_county(data.get("supervisor_region") or region, "supervisor_region")
    if regions.city_of(supervisor) != regions.city_of(region):
        raise InvalidInput.field("supervisor_region", "unit.supervisor_outside_city",
                                 "主管部门应为单位所在地级市的县区人社局")
    return UnitData(
        name=name, uscc=uscc, org_code=uscc[8:17], region=region, supervisor_region=supervisor,
        leader=_text(data.get("leader"), "leader", "单位负责人", 1, 50),
        leader_phone=check_phone(data.get("leader_phone")),
    )
