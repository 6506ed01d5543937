"""The county finance bureau's files with its bank: the payment file (代发文件, .xlsx written with openpyxl's
write-only mode) and the bank's result file (回盘) read back into plain lines for finance_disbursement.

The payment file's columns are the result file's: the bank fills 支付结果 (成功 / 失败) and 失败原因 and
sends it back; 支付流水号 names the application's attempt, 账号 and 金额 must be those sent. Every cell is
text, so Excel keeps the card number's digits and the amount's two decimals.
"""
from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from typing import Any
from zipfile import BadZipFile

from gateway.portal.export import neutralise
from shared.errors import InvalidInput
from shared.money import fen_to_yuan

MAX_BYTES = 5 * 1024 * 1024
SHEET = "代发明细"
#: (key, header) of the file; the last two are the bank's answer
COLUMNS = (("line_key", "支付流水号"), ("application_no", "申请编号"), ("applicant_name", "姓名"),
           ("bank_holder", "户名"), ("bank_name", "开户行"), ("bank_number", "账号"), ("amount", "金额（元）"),
           ("result", "支付结果"), ("reason", "失败原因"))
REQUIRED = ("line_key", "bank_number", "amount", "result")


def payment_file(answer: dict) -> bytes:
    """The payment file of a transfer from finance_disbursement's ``bank_file`` answer."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append([header for _, header in COLUMNS])
    for line in answer["lines"]:
        values = {**line, "amount": f"{fen_to_yuan(line['amount_fen'])}", "result": "", "reason": ""}
        sheet.append([neutralise(str(values.get(key) or "")) for key, _ in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):  # a bank's software may write the amount as a number
        value = Decimal(repr(value))
    text = str(value).strip().lstrip("'")
    return text or None


def read_result(content: bytes) -> tuple[str, list[dict]]:
    """(SHA-256, lines) of a result file: each data row as ``{"row", key: text...}``. A file that is no
    .xlsx, too large or without the needed columns is refused whole (400), before anything is sent on."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not content:
        raise InvalidInput.field("file", "bank_result.file_required", "请选择银行回盘文件（.xlsx）")
    if len(content) > MAX_BYTES:
        raise InvalidInput.field("file", "bank_result.too_large", "回盘文件不能超过5MB")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError, InvalidFileException):
        raise InvalidInput.field("file", "bank_result.not_xlsx", "回盘文件应为Excel（.xlsx）文件") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [_cell(h) for h in next(rows, None) or ()]
        index = {key: header.index(label) for key, label in COLUMNS if label in header}
        missing = [label for key, label in COLUMNS if key in REQUIRED and key not in index]
        if missing:
            raise InvalidInput("回盘文件缺少列：" + "、".join(missing) + "（请使用下载的支付文件）",
                               code="bank_result.columns_missing", details={"columns": missing})
        lines = []
        for number, values in enumerate(rows, start=2):
            line = {key: _cell(values[i]) if i < len(values) else None for key, i in index.items()}
            if any(v is not None for v in line.values()):
                lines.append({"row": number, **line})
    finally:
        book.close()
    if not lines:
        raise InvalidInput.field("file", "bank_result.empty", "回盘文件没有数据行")
    return hashlib.sha256(content).hexdigest(), lines
