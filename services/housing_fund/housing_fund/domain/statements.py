"""Bank statements (银行对账单/到账流水) as the bureau uploads them: .xlsx or CSV with the columns
date, amount, payer account, payer name, memo, bank serial (Chinese or English headers). Parsing
either gives every line or one error naming the row and the column; nothing partial."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from shared.errors import InvalidInput

#: column key -> (label, accepted headers)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "date": ("交易日期", ("交易日期", "日期", "date")),
    "amount": ("金额", ("金额", "交易金额", "贷方金额", "amount")),
    "payer_account": ("付款账号", ("付款账号", "对方账号", "payer_account", "payer account")),
    "payer_name": ("付款户名", ("付款户名", "对方户名", "payer_name", "payer name")),
    "memo": ("摘要", ("摘要", "附言", "memo")),
    "serial": ("银行流水号", ("银行流水号", "流水号", "bank_serial", "serial", "bank serial")),
}
MAX_LINES = 200_000
_CENT = Decimal("0.01")
_AMOUNT = re.compile(r"^[+-]?[0-9][0-9,]*(\.[0-9]+)?$")


@dataclass(frozen=True)
class Line:
    row: int
    date: str
    amount_fen: int
    payer_account: str
    payer_name: str
    memo: str
    serial: str

    def to_dict(self) -> dict:
        return self.__dict__.copy()


def _bad(row: int, column: str, code: str, message: str) -> InvalidInput:
    return InvalidInput(f"第{row}行“{COLUMNS[column][0]}”列：{message}", code=code,
                        details={"row": row, "column": COLUMNS[column][0], "field": column})


def _header_map(header: list[Any]) -> dict[str, int]:
    names = [str(h or "").strip().lower() for h in header]
    out, missing = {}, []
    for key, (label, accepted) in COLUMNS.items():
        index = next((i for i, n in enumerate(names) if n in {a.lower() for a in accepted}), None)
        if index is None:
            missing.append(label)
        else:
            out[key] = index
    if missing:
        raise InvalidInput(f"对账单缺少列：{'、'.join(missing)}", code="statement.missing_column",
                           details={"row": 1, "columns": missing})
    return out


def _amount(value: Any, row: int) -> int:
    if isinstance(value, bool) or value is None or value == "":
        raise _bad(row, "amount", "statement.amount_invalid", "金额不能为空")
    if isinstance(value, int):
        return value * 100
    try:
        if isinstance(value, float):
            amount = Decimal(repr(value))
        else:
            text = str(value).strip()
            if not _AMOUNT.match(text):
                raise InvalidOperation
            amount = Decimal(text.replace(",", ""))
    except (InvalidOperation, ValueError):
        raise _bad(row, "amount", "statement.amount_invalid", f"金额“{value}”不是数字") from None
    return int(amount.quantize(_CENT, rounding=ROUND_HALF_UP) * 100)


def _date(value: Any, row: int) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value or "").strip().replace("/", "-")
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise _bad(row, "date", "statement.date_invalid", f"日期“{value}”格式不正确")


def _text(value: Any, row: int, column: str, max_len: int, required: bool = True) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _bad(row, column, "statement.value_required", "不能为空")
    return text[:max_len]


def _lines(rows: list[list[Any]]) -> list[Line]:
    if not rows:
        raise InvalidInput("对账单为空", code="statement.empty")
    cols = _header_map(rows[0])
    out: list[Line] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(str(v or "").strip() for v in raw):
            continue
        def cell(key: str, raw: list = raw) -> Any:
            return raw[cols[key]] if cols[key] < len(raw) else None
        line = Line(row=number, date=_date(cell("date"), number), amount_fen=_amount(cell("amount"), number),
                    payer_account=_text(cell("payer_account"), number, "payer_account", 40, required=False),
                    payer_name=_text(cell("payer_name"), number, "payer_name", 100, required=False),
                    memo=_text(cell("memo"), number, "memo", 200, required=False),
                    serial=_text(cell("serial"), number, "serial", 64))
        if line.serial in seen:
            raise _bad(number, "serial", "statement.serial_duplicate", f"流水号与第{seen[line.serial]}行重复")
        seen[line.serial] = number
        out.append(line)
    if not out:
        raise InvalidInput("对账单没有流水行", code="statement.empty")
    if len(out) > MAX_LINES:
        raise InvalidInput(f"一次最多上传{MAX_LINES}行流水", code="statement.too_many_lines")
    return out


def parse(content: bytes, filename: str) -> list[Line]:
    """Every line of a statement file (.xlsx by its zip magic, otherwise CSV in UTF-8 or GB18030)."""
    if content.startswith(b"PK\x03\x04"):
        import openpyxl  # local: a heavy import only the xlsx path needs

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same user error
            raise InvalidInput("无法读取Excel文件", code="statement.unreadable") from None
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
        return _lines(rows)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput("无法识别文件编码，请使用UTF-8或GBK编码的CSV", code="statement.unreadable")
    return _lines([list(r) for r in csv.reader(io.StringIO(text))])
