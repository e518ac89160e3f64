"""Type styles, and the one safe way to put user text into a paragraph.

reportlab paragraphs parse a small XML markup, so a name like "O'Brien & Co"
or a note containing "<" must be escaped or the letter fails to build:
``para`` escapes everything it is given. Templates never build
``Paragraph`` from user text by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from clinic.letters.fonts import BOLD, REGULAR

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#ededed")

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14, textColor=INK, spaceAfter=7)
STRONG = ParagraphStyle("strong", parent=BODY, fontName=BOLD)
HEADING = ParagraphStyle("heading", parent=BODY, fontName=BOLD, fontSize=11, spaceBefore=6, spaceAfter=5,
                         keepWithNext=1)
CELL = ParagraphStyle("cell", parent=BODY, spaceAfter=0, leading=13)
CELL_LABEL = ParagraphStyle("cell_label", parent=CELL, fontName=BOLD)
SIGNATURE = ParagraphStyle("signature", parent=BODY, spaceAfter=0, leading=13)
SIGNATURE_NAME = ParagraphStyle("signature_name", parent=SIGNATURE, fontName=BOLD)


def markup(text: str) -> str:
    """``text`` escaped for a paragraph, its line breaks kept."""
    return "<br/>".join(escape(line) for line in text.split("\n"))


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of user-supplied (or template) text, escaped."""
    return Paragraph(markup(text), style)


def label_value_table(rows: Sequence[tuple[str, str]], *, label_width: float = 45 * mm,
                      width: float = 170 * mm) -> Table:
    """Two columns, label in bold: the shape of every summary box.

    Values wrap; a row never splits across a page (a label separated from
    its value is easy to misread).
    """
    data = [[para(label, CELL_LABEL), para(value, CELL)] for label, value in rows]
    table = Table(data, colWidths=(label_width, width - label_width), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table

