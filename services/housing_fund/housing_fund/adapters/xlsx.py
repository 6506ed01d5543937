"""Spreadsheets of line B: the 职工批量导入 template (written) and an uploaded file (read streaming:
openpyxl's read-only mode parses the sheet row by row, so a 10,000-row file never sits in memory as
a workbook)."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from housing_fund.domain.imports import COLUMNS
from shared.errors import InvalidInput


def template_bytes(levels: dict[str, dict]) -> bytes:
    """The template: ★ headers, text format on 证件号码/级别/months, an example row, the level table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "职工信息"
    ws.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="FFF2CC" if column.required else "EEEEEE")
        if column.note:
            cell.comment = Comment(column.note, "住房补贴汇缴平台")
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.text:  # the whole column as text: 18-digit IDs and 01 levels keep every character
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    info = wb.create_sheet("级别标准")
    info.append(["级别代码", "级别名称", "每月缴费金额（元）"])
    for row in levels.values():
        info.append([row["code"], row["name"], row["monthly_fen"] / 100])
    info.append([])
    info.append(["说明：带★的列必填；证件号码、级别、汇缴开始月份请使用文本格式；一个文件有任何错误则整批不导入。"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rows(handle: BinaryIO) -> Iterator[tuple]:
    """The first sheet's rows as value tuples, streamed. 400 when the file is not an xlsx workbook."""
    try:
        wb = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput("文件不是有效的 Excel（.xlsx）文件，请使用下载的模板", code="import.not_xlsx") from exc
    try:
        ws = wb.worksheets[0]
        yield from ws.iter_rows(values_only=True)
    finally:
        wb.close()
