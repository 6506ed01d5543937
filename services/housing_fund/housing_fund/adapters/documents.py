"""Printable documents of line B: the 缴款通知书 (payment notice) and the 缴款凭证 (payment receipt) as
PDF with Chinese text (reportlab's built-in CID font STSong-Light: no font file to ship), and the
reconciliation report as .xlsx."""
from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from shared.money import format_yuan

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def pdf(title: str, rows: list[tuple[str, str]], notes: Sequence[str] = ()) -> bytes:
    """A one-page A4 form: a title, label/value rows, then notes."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(title)
    width, height = A4
    c.setFont(FONT, 20)
    c.drawCentredString(width / 2, height - 80, title)
    y = height - 130
    c.setFont(FONT, 12)
    for label, value in rows:
        c.drawString(70, y, f"{label}：")
        c.drawString(200, y, value)
        c.line(195, y - 4, width - 70, y - 4)
        y -= 28
    y -= 10
    c.setFont(FONT, 10)
    for note in notes:
        c.drawString(70, y, note)
        y -= 18
    c.showPage()
    c.save()
    return buf.getvalue()


def yuan(fen: int) -> str:
    return f"{format_yuan(fen)} 元"


def xlsx(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
