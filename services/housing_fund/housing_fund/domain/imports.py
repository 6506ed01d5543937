"""职工批量导入: the template's columns (★ marks the required ones; 证件号码 and months are text
cells) and the rules for one row. A file is imported only when every row passes; each error names
its row number (the spreadsheet's, header = row 1) and its column."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from housing_fund.domain import employees as rules
from housing_fund.domain.levels import check_level, check_monthly_amount
from shared.errors import InvalidInput


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    text: bool = False
    width: int = 14
    note: str = ""

    @property
    def header(self) -> str:
        return ("★" if self.required else "") + self.label


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True),
    Column("id_type", "证件类型", False, text=True, width=16,
           note="居民身份证（默认）/港澳台居民居住证/外国人永久居留身份证/护照"),
    Column("id_number", "证件号码", True, text=True, width=22, note="文本格式，18位身份证号码"),
    Column("mobile", "手机号码", True, text=True, width=14),
    Column("level", "级别", True, text=True, width=12, note="级别代码或名称，如 01 或 科级以下"),
    Column("monthly_yuan", "每月缴费金额（元）", False, width=16, note="不填则按级别标准"),
    Column("start_month", "汇缴开始月份", True, text=True, width=14, note="文本格式 yyyyMM，如 202601"),
    Column("accumulated_periods", "累计缴纳期数", False, width=14),
    Column("accumulated_yuan", "累计缴纳金额（元）", False, width=18),
    Column("post", "职务", False, width=12),
)
HEADERS = tuple(c.header for c in COLUMNS)
MAX_ROWS = 20_000
MAX_REPORTED_ERRORS = 500
ID_TYPE_BY_LABEL = {label: key for key, label in rules.ID_TYPES.items()}


def check_headers(row: tuple) -> None:
    """The first row must be the template's (★ optional, order fixed)."""
    got = [str(v or "").strip().lstrip("★*").strip() for v in (row or ())][:len(COLUMNS)]
    want = [c.label for c in COLUMNS]
    if got != want:
        raise InvalidInput("文件不是职工批量导入模板，请下载模板后按模板填写（表头：" + "、".join(HEADERS) + "）",
                           code="import.template_mismatch", details={"expected": list(HEADERS), "got": got})


def yuan_to_fen(value: Any, field: str, label: str) -> int | None:
    """A yuan amount from a cell (number or text) as integer fen; at most 2 decimals, not negative."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise InvalidInput.field(field, "import.amount_format", f"{label}应为金额（元，最多2位小数）")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise InvalidInput.field(field, "import.amount_format", f"{label}应为金额（元，最多2位小数）") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput.field(field, "import.amount_format", f"{label}应为不小于0的金额（元，最多2位小数）")
    return int(amount * 100)


def _count(value: Any, field: str, label: str) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return rules.check_count(value, field, label)


def _text_cell(value: Any, column: Column) -> Any:
    """证件号码 must be a text cell: Excel keeps 15 significant digits of a number, so an 18-digit ID
    typed as a number is already wrong in the file."""
    if column.key == "id_number" and isinstance(value, int | float) and not isinstance(value, bool):
        raise InvalidInput.field(column.key, "import.id_not_text",
                                 "证件号码应设置为文本格式单元格（数字格式会丢失末位）")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else None


def parse_row(values: tuple, levels: dict[str, dict], today: date) -> dict:
    """One data row as an employee record (400 with the field on the first error)."""
    padded = tuple(values) + (None,) * (len(COLUMNS) - len(values))
    cells = dict(zip((c.key for c in COLUMNS), padded, strict=False))
    for column in COLUMNS:
        if column.text and cells[column.key] not in (None, ""):
            cells[column.key] = _text_cell(cells[column.key], column)
        if column.required and cells[column.key] in (None, ""):
            raise InvalidInput.field(column.key, "import.required", f"请填写{column.label}")
    id_type = cells["id_type"] or "居民身份证"
    id_type = ID_TYPE_BY_LABEL.get(id_type, id_type)
    record = rules.check_employee({
        "name": str(cells["name"]).strip(), "id_type": id_type, "id_number": cells["id_number"],
        "mobile": cells["mobile"], "start_month": cells["start_month"], "post": cells["post"],
        "accumulated_periods": _count(cells["accumulated_periods"], "accumulated_periods", "累计缴纳期数"),
        "accumulated_fen": yuan_to_fen(cells["accumulated_yuan"], "accumulated_fen", "累计缴纳金额") or 0}, today)
    level_key = str(cells["level"]).strip()
    by_name = {row["name"]: code for code, row in levels.items()}
    level = check_level(by_name.get(level_key, level_key), levels)
    record["level"] = level["code"]
    record["monthly_fen"] = check_monthly_amount(yuan_to_fen(cells["monthly_yuan"], "monthly_fen", "每月缴费金额"),
                                                 level)
    return record


def row_error(row_number: int, exc: InvalidInput, label_of: dict[str, str] | None = None) -> dict:
    """A row's error as the report lists it: row number, column label, code, message."""
    field = (exc.details or {}).get("field")
    if field is None and isinstance((exc.details or {}).get("fields"), dict) and exc.details["fields"]:
        field = next(iter(exc.details["fields"]))
    labels = label_of or {c.key: c.label for c in COLUMNS} | {"monthly_fen": "每月缴费金额（元）",
                                                               "accumulated_fen": "累计缴纳金额（元）"}
    return {"row": row_number, "field": field, "column": labels.get(field, field), "code": exc.code,
            "message": exc.message}
