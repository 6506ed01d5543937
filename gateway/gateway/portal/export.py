"""Export of a list as CSV (UTF-8 with BOM, so Excel opens it in Chinese) or xlsx.

A cell that starts with ``= + - @`` (or a tab / carriage return) would be run as a formula by a
spreadsheet: a name typed by an applicant must never become a formula on a clerk's machine, so such
cells get a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO
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


def download(title: str, columns, rows: Iterable[dict], kind: str = "csv") -> Response:
    """The rows as a CSV or xlsx download without holding them: ``rows`` may be a generator (a list's
    pages read one after another) and the file is written row by row into a temporary file (openpyxl's
    write-only workbook for xlsx), whose bytes are then sent in chunks and removed. Every page is read
    before the answer starts, so a failing read is still an error answer, never a cut-off file."""
    spool = tempfile.TemporaryFile()
    try:
        lines = itertools.chain([table(columns, [])[0]], ([cell(row, c) for c in columns] for row in rows))
        if kind == "xlsx":
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet(title[:31])
            for line in lines:
                sheet.append(line)
            book.save(spool)
            mimetype, ext = XLSX_TYPE, "xlsx"
        else:
            text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
            text.write("\ufeff")
            csv.writer(text).writerows(lines)
            text.flush()
            text.detach()
            mimetype, ext = "text/csv; charset=utf-8", "csv"
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    name = _filename(title, ext)
    return Response(_chunks(spool), mimetype=mimetype, headers={"Content-Disposition": _attachment(name)},
                    direct_passthrough=True)


def _chunks(spool: IO[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    try:
        while chunk := spool.read(size):
            yield chunk
    finally:
        spool.close()


def file_response(content: bytes, name: str, mimetype: str) -> Response:
    """A ready-made file (a service's template) as a download named ``name``."""
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": _attachment(name)})
