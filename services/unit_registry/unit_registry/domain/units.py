"""Unit data (单位信息) as the registration form and the demo city give it."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from shared import regions, validators
from shared.errors import InvalidInput
from shared.hardening import visible

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


def _text(value: object, field: str, what: str, min_len: int, max_len: int) -> str:
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    if not min_len <= len(text) <= max_len or not visible(text):
        raise InvalidInput.field(field, f"unit.{field}_length", f"{what}应为{min_len}-{max_len}个字")
    return text


def check_county(value: object, field: str) -> str:
    """A county-level code: units sit in a county and are reviewed by a county HRSS."""
    code = validators.region_code(value, field)
    region = regions.get(code)
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
    uscc = validators.uscc(data.get("uscc"))
    region = check_county(data.get("region"), "region")
    return UnitData(
        name=_text(data.get("name"), "name", "单位名称", 2, 100),
        uscc=uscc, org_code=uscc[8:17], region=region,
        supervisor_region=check_county(data.get("supervisor_region") or region, "supervisor_region"),
        leader=_text(data.get("leader"), "leader", "单位负责人", 1, 50),
        leader_phone=check_phone(data.get("leader_phone")),
    )
