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
