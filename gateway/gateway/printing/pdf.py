"""A4 PDF documents with Chinese text in an embedded TrueType CJK font and a QR code.

The font is a file of the machine (a Debian package that ``make pdf-deps`` installs), embedded as a
subset so the PDF reads the same anywhere, unlike a CID font the viewer must supply. Noto CJK (the
browser tests' font) has PostScript outlines, which reportlab cannot embed: a TrueType one is needed.
"""
from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from shared.errors import PlatformError

FONT_ENV = "PLATFORM_PDF_FONT"
#: TrueType CJK fonts of Debian packages, first found wins (``make pdf-deps`` installs fonts-wqy-zenhei)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FONT = "PlatformCJK"
QR_SIZE = 90          # points
MARGIN = 50


class FontMissing(PlatformError):
    status = 503
    code = "print.font_missing"
    message = "服务器未安装中文字体，暂时无法生成PDF（请运行 make pdf-deps）"


def font_path() -> Path:
    """The CJK TrueType font: ``$PLATFORM_PDF_FONT`` or the first installed of FONT_CANDIDATES."""
    chosen = os.environ.get(FONT_ENV)
    for candidate in ([chosen] if chosen else []) + list(FONT_CANDIDATES):
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing()


def _register_font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path = font_path()
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0) if path.suffix == ".ttc"
                                else TTFont(FONT, str(path)))
    return FONT


@dataclass
class Document:
    """What a printed form shows: a title, label/value rows, an optional table, notes, and the URL
    its QR code holds."""

    title: str
    verify_url: str
    subtitle: str = ""
    rows: Sequence[tuple[str, str]] = ()
    table_header: Sequence[str] = ()
    table_rows: Sequence[Sequence[str]] = ()
    column_widths: Sequence[float] = ()
    notes: Sequence[str] = field(default_factory=list)
    wide: bool = False
    author: str = "大学生租房补助平台"


def _qr(c: canvas.Canvas, url: str, x: float, y: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


def render(doc: Document) -> bytes:
    """The document as PDF bytes (several pages when the table is long; the QR code on each)."""
    font = _register_font()
    size = landscape(A4) if doc.wide else A4
    width, height = size
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, pageCompression=1)
    c.setTitle(doc.title)
    c.setAuthor(doc.author)

    def header() -> float:
        _qr(c, doc.verify_url, width - MARGIN - QR_SIZE, height - MARGIN - QR_SIZE)
        c.setFont(font, 8)
        c.drawCentredString(width - MARGIN - QR_SIZE / 2, height - MARGIN - QR_SIZE - 10, "扫码核验")
        c.setFont(font, 18)
        c.drawCentredString(width / 2, height - MARGIN - 30, doc.title)
        if doc.subtitle:
            c.setFont(font, 10)
            c.drawCentredString(width / 2, height - MARGIN - 50, doc.subtitle)
        return height - MARGIN - QR_SIZE - 30

    y = header()
    c.setFont(font, 11)
    for label, value in doc.rows:
        c.drawString(MARGIN, y, f"{label}：")
        c.drawString(MARGIN + 120, y, value)
        c.line(MARGIN + 115, y - 4, width - MARGIN, y - 4)
        y -= 22
    if doc.table_header:
        widths = list(doc.column_widths) or [(width - 2 * MARGIN) / len(doc.table_header)] * len(doc.table_header)
        y -= 6

        def table_row(cells: Sequence[str], y: float, bold: bool = False) -> None:
            c.setFont(font, 9.5 if bold else 9)
            x: float = MARGIN
            for text, w in zip(cells, widths, strict=False):
                c.drawString(x + 3, y + 5, _fit(text, w - 6, 9))
                c.rect(x, y, w, 18)
                x += w

        table_row(doc.table_header, y, bold=True)
        y -= 18
        for cells in doc.table_rows:
            if y < MARGIN + 60:
                c.showPage()
                y = header()
                table_row(doc.table_header, y, bold=True)
                y -= 18
            table_row(cells, y)
            y -= 18
    y -= 14
    c.setFont(font, 9)
    for note in doc.notes:
        if y < MARGIN:
            c.showPage()
            y = header()
            c.setFont(font, 9)
        c.drawString(MARGIN, y, note)
        y -= 15
    c.showPage()
    c.save()
    return buf.getvalue()


def _fit(text: str, width: float, size: float) -> str:
    """``text`` cut (with …) to fit ``width`` points at ``size``."""
    text = str(text)
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"
