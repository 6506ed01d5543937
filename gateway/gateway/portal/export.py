"""Export of a list as CSV (UTF-8 with BOM, so Excel opens it in Chinese) or xlsx.

A cell that starts with ``= + - @`` (or a tab / carriage return) would be run as a formula by a
spreadsheet: a name typed by an applicant must never become a formula on a clerk's machine, so such
cells get a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from urllib.parse import quote

from flask import Response

from gateway.portal.formatting import cn_date, cn_datetime, dig
from shared.money import format_yuan

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: str) -> str:
    """``'=1+1`` for ``=1+1``: shown as text, never evaluated."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell(item: dict, column) -> str:
    value = dig(item, column.key)
    if value is None:
        return ""
    if column.kind == "money" and isinstance(value, int):
        text = format_yuan(value)
    elif column.kind == "date":
        text = cn_date(value)
    elif column.kind == "datetime":
        text = cn_datetime(value)
    else:
        text = str(value)
    return neutralise(text)


def table(columns, rows) -> list[list[str]]:
    header = [c.label + ("（元）" if c.kind == "money" and "元" not in c.label else "") for c in columns]
    return [header] + [[cell(row, c) for c in columns] for row in rows]


def _filename(title: str, ext: str) -> str:
    return f"{title}_{datetime.now():%Y%m%d%H%M}.{ext}"


def _attachment(name: str) -> str:
    # RFC 5987: a Chinese file name for every browser, plus an ASCII fallback
    return f"attachment; filename=\"export.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"


def download(title: str, columns, rows, kind: str = "csv") -> Response:
    data = table(columns, rows)
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = title[:31]
        for line in data:
            sheet.append(line)
        buffer = io.BytesIO()
        book.save(buffer)
        name = _filename(title, "xlsx")
        return Response(buffer.getvalue(), mimetype=XLSX_TYPE, headers={"Content-Disposition": _attachment(name)})
    text = io.StringIO()
    csv.writer(text).writerows(data)
    name = _filename(title, "csv")
    return Response("\ufeff" + text.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": _attachment(name)})


def file_response(content: bytes, name: str, mimetype: str) -> Response:
    """A ready-made file (a service's template) as a download named ``name``."""
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": _attachment(name)})
