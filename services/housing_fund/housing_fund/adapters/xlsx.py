"""Spreadsheets of line B: streaming reads (openpyxl read-only: a 10,000-row file stays in flat
memory) and templates whose ID and month columns are text cells, so Excel keeps leading zeros and
the 18 digits of an ID number."""
from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from housing_fund.domain.imports import Column
from shared.errors import InvalidInput

TEXT = "@"
MAX_BYTES = 20 * 1024 * 1024


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, datetime | date):
        return value
    return value


def _header_key(text: Any) -> str:
    return str(text or "").replace("*", "").replace("＊", "").strip()


def read_sheet(content: bytes | Path | BinaryIO, columns: tuple[Column, ...],
               sheet: str | None = None) -> Iterator[tuple[int, dict]]:
    """Yield ``(row number, {key: value})`` of the data rows, streaming. ``content`` is the file's
    bytes, or better its path in the attachment store (read from disk, never held whole in memory).
    The header row (row 1) is matched by label (a trailing ``*`` ignored); a missing required column
    is a 400 before any row. Entirely empty rows are skipped."""
    if isinstance(content, bytes | bytearray):
        if len(content) > MAX_BYTES:
            raise InvalidInput("导入文件不能超过20MB", code="import.too_large")
        content = io.BytesIO(content)
    elif isinstance(content, Path):
        if content.stat().st_size > MAX_BYTES:
            raise InvalidInput("导入文件不能超过20MB", code="import.too_large")
        with content.open("rb") as handle:  # a handle: openpyxl would judge a path by its extension
            yield from read_sheet(handle, columns, sheet)
        return
    try:
        book = load_workbook(content, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError, InvalidFileException):
        raise InvalidInput("文件不是有效的Excel（.xlsx）文件，请下载模板填写", code="import.not_xlsx") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InvalidInput(f"导入文件缺少工作表“{sheet}”", code="import.sheet_missing", details={"sheet": sheet})
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        index = {_header_key(h): i for i, h in enumerate(header) if h is not None}
        missing = [c.label for c in columns if c.required and c.label not in index]
        if missing:
            raise InvalidInput("导入文件缺少必填列：" + "、".join(missing) + "（请使用下载的模板）",
                               code="import.columns_missing", details={"columns": missing, "sheet": sheet})
        positions = [(c.key, index.get(c.label)) for c in columns]
        for number, values in enumerate(rows, start=2):
            record = {key: _cell(values[i]) if i is not None and i < len(values) else None for key, i in positions}
            if any(v is not None for v in record.values()):
                yield number, record
    finally:
        book.close()


def template(sheets: list[tuple[str, tuple[Column, ...], list[list[Any]]]]) -> bytes:
    """A workbook with one sheet per ``(title, columns, example rows)``: required headers marked
    ``*`` and red, text columns formatted as text."""
    book = Workbook(write_only=False)
    book.remove(book.active)
    red, fill = Font(bold=True, color="C00000"), PatternFill("solid", fgColor="FFF2CC")
    for title, columns, examples in sheets:
        ws = book.create_sheet(title)
        for col, column in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=col, value=column.label + ("*" if column.required else ""))
            cell.font = red if column.required else Font(bold=True)
            cell.fill = fill
            letter = cell.column_letter
            ws.column_dimensions[letter].width = max(12, len(column.label) * 2 + 4)
            if column.text:
                for row in range(2, 1002):
                    ws.cell(row=row, column=col).number_format = TEXT
        for r, example in enumerate(examples, start=2):
            for col, value in enumerate(example, start=1):
                ws.cell(row=r, column=col, value=value).number_format = TEXT if columns[col - 1].text else "General"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
