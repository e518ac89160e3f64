"""Type styles, and the one safe way to put user text into a paragraph.

reportlab paragraphs parse a small XML markup, so a name like "O'Brien & Co"
or a note containing "<" must be escaped or the letter fails to build:
``para`` escapes everything it is given. Templates never build
``Paragraph`` from user text by hand.

A batch of 200 letters makes some 6,000 paragraphs, most of them the same
few template sentences and labels: ``para`` parses each distinct text once
per style (``_parsed``, a small bounded cache) and gives every paragraph its
own copy of the fragments, which cut the batch's parsing to a fraction.
Each paragraph also keeps its last line breaking (``_Paragraph``): reportlab
asks a paragraph in a table cell or beside a signature for its size two or
three times at the same width, and breaking the lines afresh each time was
most of a batch's layout (issue 21).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags  # type: ignore[attr-defined]
from reportlab.platypus.paraparser import ParaFrag, ParaParser

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
    cleaned, parsed_style, frags = _parsed(markup(text), style)
    return _Paragraph(cleaned, parsed_style, frags=[frag.clone() for frag in frags])


class _Paragraph(Paragraph):
    """A paragraph that breaks its lines once per width.

    ``Paragraph.wrap`` depends only on the width offered (the height is not
    read) and leaves its lines in ``blPara``; asked again at the width it
    last broke at, with those lines still in place, this returns the same
    size. ``split`` drops ``blPara`` when the paragraph cannot be split and
    makes new paragraphs when it can: both break afresh.
    """

    _wrapped: tuple[float, object, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        last = self._wrapped
        if last is not None and last[0] == availWidth and last[1] is self.__dict__.get("blPara"):
            return last[2]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, self.__dict__.get("blPara"), size)
        return size


@lru_cache(maxsize=1024)
def _parsed(text: str, style: ParagraphStyle) -> tuple[str, ParagraphStyle, tuple[ParaFrag, ...]]:
    """What ``Paragraph`` itself does with ``text`` before laying it out."""
    cleaned = cleanBlockQuotedText(text)
    parsed_style, frags, _bullet = ParaParser().parse(cleaned, style)  # type: ignore[no-untyped-call]
    if frags is None:
        raise ValueError(f"a letter paragraph could not be parsed ({len(text)} characters)")
    textTransformFrags(frags, parsed_style)
    return cleaned, parsed_style, tuple(frags)


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

