"""Confirmation of attendance (one appointment, or a weekly/monthly summary)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from clinic.dates import uk_long
from clinic.letters.templates.probation_common import (
    ProbationLetter, attendance_table, letter_body, tests_table, totals,
)
from clinic.letters.styles import HEADING, para

TITLE = "Confirmation of attendance"


def body(letter: ProbationLetter) -> list[Flowable]:
    out: list[Flowable] = []
    if letter.period_from and letter.period_to and letter.period_from != letter.period_to:
        period = f"from {uk_long(letter.period_from)} to {uk_long(letter.period_to)}"
    elif letter.period_from:
        period = f"on {uk_long(letter.period_from)}"
    else:
        period = "in this period"
    out.append(para(f"Attendance at required appointments {period}. {totals(letter.attendance)}"))
    out += [para("Attendance", HEADING), attendance_table(letter.attendance), Spacer(1, 3 * mm)]
    out += tests_table(letter)
    return letter_body(letter, TITLE, out)
