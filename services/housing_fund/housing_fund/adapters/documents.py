"""Documents of line B: the reconciliation report as .xlsx. (The printed 缴款通知书 and 缴款凭证 are drawn
by the gateway like line A's forms: embedded CJK font, verification QR code; gateway/gateway/printing.)"""
from __future__ import annotations

import io


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
