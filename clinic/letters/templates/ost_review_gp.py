"""The OST review summary to the person's GP: the GP letter's layout (who it
is about, a summary table, then paragraphs), filed under its own key so the
person's record says what was sent. The rows and paragraphs come from
``clinic.services.ost.letters.gp_review_summary``.

The review has ten short facts; in one column they push the signature onto
a second page, so short values sit two to a row (in the order given) and
long ones (the medication, on-top use) keep a row of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from clinic.letters.fonts import REGULAR
from clinic.letters.layout import TEXT_WIDTH
from clinic.letters.registry import Template, register
from clinic.letters.styles import CELL, CELL_LABEL, RULE, para
from clinic.letters.templates.gp_letter import LetterToGP, check, story

LABEL = 32 * mm
VALUE = TEXT_WIDTH / 2 - LABEL


@dataclass(frozen=True, kw_only=True)
class OstReviewToGP(LetterToGP):
    """A ``LetterToGP`` in every field; its own class so it has its own template."""


def _fits_half(value: str) -> bool:
    return "\n" not in value and stringWidth(value, REGULAR, CELL.fontSize) <= VALUE - 6


def summary_table(rows: Sequence[tuple[str, str]]) -> Table:
    """Label/value pairs, two to a row where both values are short."""
    data: list[list[object]] = []
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    i = 0
    while i < len(rows):
        label, value = rows[i]
        if _fits_half(value) and i + 1 < len(rows) and _fits_half(rows[i + 1][1]):
            other_label, other_value = rows[i + 1]
            data.append([para(label, CELL_LABEL), para(value, CELL), para(other_label, CELL_LABEL),
                         para(other_value, CELL)])
            i += 2
        else:
            data.append([para(label, CELL_LABEL), para(value, CELL), "", ""])
            spans.append(("SPAN", (1, len(data) - 1), (3, len(data) - 1)))
            i += 1
    table = Table(data, colWidths=(LABEL, VALUE, LABEL, VALUE), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        *spans,
    ]))
    return table


def body(letter: OstReviewToGP) -> list[Flowable]:
    # The practice is the recipient (no GP is named on the record), so not "Dear Riverside Surgery".
    return story(letter, summary_heading="Opioid substitution treatment (OST) review", salutation="Dear Doctor,",
                 table=summary_table)


TEMPLATE = register(Template(
    key="ost_review_gp", title="OST review summary to GP", category="clinical",
    data_class=OstReviewToGP, body=body, check=check,
))
