"""Official documents as PDF (文书): a title, numbered facts and paragraphs, set in an embedded
CJK font so the document reads the same on any reader without the font installed.

The font is Noto Sans SC, installed from npm with the front-end libraries
(``@expo-google-fonts/noto-sans-sc``, a TrueType file: ``make install`` brings it, no system
package needed); Debian's ``fonts-noto-cjk`` collection is the fallback. ``HRSS_PDF_FONT``
names another file, ``HRSS_PDF_FONT_INDEX`` the face in a collection. fpdf2 embeds only the glyphs a
document uses (a subset), so a one-page notice is a few kilobytes. A machine without the font
refuses to render (``DocumentFontMissing``, a 503 in the error shape) rather than print
empty boxes.

Apps describe a document as data (``Document``) built from their records; this module only
lays it out, so the text of every notice and award stays with the app that owns it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from hrss.core.errors import DomainError

NPM_FONT = (
    Path(__file__).resolve().parents[2]
    / "node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf"
)
DEFAULT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_FONT_INDEX = 2  # the collection's faces: JP, KR, SC, TC, HK, then the Mono ones
_FAMILY = "cjk"
# fontTools logs every glyph of a subset at INFO; a document is not worth a log line per glyph.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class DocumentFontMissing(DomainError):
    status = 503
    code = "document_font_missing"


@dataclass(frozen=True)
class Document:
    """A document as data: who issues it, its title and number, facts, then paragraphs."""

    issuer: str
    title: str
    number: str
    facts: tuple[tuple[str, str], ...] = ()
    paragraphs: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    dated: dt.date | None = None
    subject: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)
    # A QR code (segno) for the public verification page, printed under the closing lines.
    qr_url: str = ""
    qr_caption: str = ""


def font_path() -> tuple[Path, int]:
    """The font file and the face in it: ``HRSS_PDF_FONT``, else npm's, else Debian's."""
    if os.environ.get("HRSS_PDF_FONT"):
        return Path(os.environ["HRSS_PDF_FONT"]), int(os.environ.get("HRSS_PDF_FONT_INDEX", "0"))
    if NPM_FONT.is_file():
        return NPM_FONT, 0
    return Path(DEFAULT_FONT), DEFAULT_FONT_INDEX


def render(document: Document) -> bytes:
    """The document as a PDF (A4, one column, the CJK font embedded as a subset)."""
    from fpdf import FPDF

    path, index = font_path()
    if not path.is_file():
        raise DocumentFontMissing(_("The document font is not installed on this server."))
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(auto=True, margin=25)
    pdf.add_font(_FAMILY, "", str(path), collection_font_number=index)
    pdf.set_title(f"{document.title} {document.number}".strip())
    pdf.set_author(document.issuer)
    pdf.set_subject(document.subject or document.title)
    if document.keywords:
        pdf.set_keywords(" ".join(document.keywords))
    pdf.set_creator("hrss")
    # A fixed creation date makes the same document the same bytes (its hash can be quoted).
    stamp = document.dated or dt.date(2000, 1, 1)
    pdf.set_creation_date(dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.UTC))
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(_FAMILY, size=16)
    pdf.multi_cell(width, 10, document.issuer, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FAMILY, size=20)
    pdf.multi_cell(width, 12, document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FAMILY, size=11)
    if document.number:
        pdf.multi_cell(width, 8, document.number, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(_FAMILY, size=12)
    # The labels' column fits the longest label (up to 45% of the width); a long label or
    # value wraps within its column and the next fact starts below the taller of the two.
    labels = [f"{label}：" for label, _value in document.facts]
    label_width = min(max((pdf.get_string_width(text) for text in labels), default=30) + 3, width * 0.45)
    for text, (_label, value) in zip(labels, document.facts, strict=True):
        value = value or "—"
        tall = max(
            _height(pdf.multi_cell(label_width, 7, text, dry_run=True, output="HEIGHT")),
            _height(pdf.multi_cell(width - label_width, 7, value, align="L", dry_run=True, output="HEIGHT")),
        )
        if pdf.get_y() + tall > pdf.h - pdf.b_margin:
            pdf.add_page()
        y = pdf.get_y()
        pdf.multi_cell(label_width, 7, text, new_x="RIGHT", new_y="TOP")
        pdf.set_xy(pdf.l_margin + label_width, y)
        pdf.multi_cell(width - label_width, 7, value, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(y + tall)
    if document.facts:
        pdf.ln(4)
    for paragraph in filter(None, document.paragraphs):
        pdf.multi_cell(width, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(8)
    for line in filter(None, document.closing):
        pdf.multi_cell(width, 8, line, align="R", new_x="LMARGIN", new_y="NEXT")
    if document.dated:
        pdf.multi_cell(
            width,
            8,
            f"{document.dated.year}年{document.dated.month}月{document.dated.day}日",
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if document.qr_url:
        _qr(pdf, document.qr_url, document.qr_caption)
    return bytes(pdf.output())


def _height(measured: Any) -> float:
    """What fpdf2's ``multi_cell(dry_run=True, output="HEIGHT")`` gives: the height in mm."""
    return float(measured)


def _qr(pdf: Any, url: str, caption: str) -> None:
    """The verification QR code, 32 mm square, bottom left of what was written, its caption beside it."""
    import segno

    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=8, border=2)
    image.seek(0)
    size = 32
    if pdf.get_y() + size > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 6
    pdf.image(image, x=pdf.l_margin, y=top, w=size, h=size)
    pdf.set_xy(pdf.l_margin + size + 4, top + 4)
    pdf.set_font(_FAMILY, size=9)
    pdf.multi_cell(pdf.epw - size - 4, 5, "\n".join(filter(None, (caption, url))), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top + size)
