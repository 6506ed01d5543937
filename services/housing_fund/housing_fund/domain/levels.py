"""Levels (级别) and their monthly amounts: a data table per housing bureau (amounts in fen). An
employer's table is its county bureau's when that bureau keeps one, else its city bureau's."""
from __future__ import annotations

from typing import Any

from shared.errors import InvalidInput

#: the example table of domain.md, seeded for a city bureau; a bureau edits its own
DEFAULT_LEVELS: tuple[tuple[str, str, int], ...] = (
    ("01", "科级以下", 80000), ("02", "副科", 90000), ("03", "正科", 100000), ("04", "副处", 110000),
    ("05", "正处", 120000), ("06", "副司", 140000), ("07", "正司", 160000),
)


def check_level(code: Any, table: dict[str, dict], field: str = "level") -> dict:
    """The level row for ``code`` in the employer's table (400 naming the levels that exist)."""
    row = table.get(str(code).strip()) if code not in (None, "") else None
    if row is None:
        if code in (None, ""):
            raise InvalidInput.field(field, "employee.level_required", "请选择级别")
        names = "、".join(f"{r['code']} {r['name']}" for r in table.values())
        raise InvalidInput.field(field, "employee.level_unknown", f"级别不存在，应为：{names}")
    return row


def check_monthly_amount(fen: Any, level: dict, field: str = "monthly_fen") -> int:
    """The monthly amount (每月缴费金额, fen): the level's standard when not given; otherwise more than
    zero and not above the level's standard (a part-month or part-time amount may be lower)."""
    if fen in (None, ""):
        return int(level["monthly_fen"])
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise InvalidInput.field(field, "employee.amount_format", "每月缴费金额应为整数（分）")
    if fen <= 0 or fen > int(level["monthly_fen"]):
        raise InvalidInput.field(field, "employee.amount_range",
                                 f"每月缴费金额应大于0且不超过{level['name']}标准{level['monthly_fen'] / 100:.2f}元")
    return fen


MAX_MONTHLY_FEN = 10_000_000  # 100,000 yuan a month: a typing error beyond it


def check_level_table(items: Any) -> list[dict]:
    """A bureau's whole level table as it will apply: rows of code (1-10 characters, unique), name
    (1-30) and monthly_fen (a positive integer of fen)."""
    if not isinstance(items, list) or not items:
        raise InvalidInput.field("items", "levels.empty", "请至少填写一个级别")
    out, seen = [], set()
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InvalidInput.field("items", "levels.row_format", f"第{n}行格式不正确")
        code, name, fen = str(item.get("code") or "").strip(), str(item.get("name") or "").strip(), \
            item.get("monthly_fen")
        if not 1 <= len(code) <= 10 or not code.isalnum():
            raise InvalidInput.field(f"items.{n - 1}.code", "levels.code_format",
                                     f"第{n}行：级别代码应为1-10位字母或数字")
        if code in seen:
            raise InvalidInput.field(f"items.{n - 1}.code", "levels.code_duplicate", f"第{n}行：级别代码{code}重复")
        if not 1 <= len(name) <= 30:
            raise InvalidInput.field(f"items.{n - 1}.name", "levels.name_required",
                                     f"第{n}行：请填写级别名称（30字以内）")
        if isinstance(fen, bool) or not isinstance(fen, int) or not 0 < fen <= MAX_MONTHLY_FEN:
            raise InvalidInput.field(f"items.{n - 1}.monthly_fen", "levels.amount_range",
                                     f"第{n}行：每月缴费金额应大于0且不超过100000元")
        seen.add(code)
        out.append({"code": code, "name": name, "monthly_fen": fen})
    return out


def check_level_month(value: Any, current: str) -> str:
    """The month a new table applies from (yyyyMM): this month or later (amounts already due stay)."""
    text = str(value or "").strip()
    if len(text) != 6 or not text.isdigit() or not 1 <= int(text[4:]) <= 12:
        raise InvalidInput.field("effective_month", "month.format", "生效月份应为6位年月，如202601")
    if text < current:
        raise InvalidInput.field("effective_month", "levels.month_past", f"生效月份不能早于本月（{current}）")
    return text
