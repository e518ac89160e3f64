"""Progress report for a review hearing: attendance table, test results if
the order requires testing, and the worker's engagement summary."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from clinic.dates import uk_long
from clinic.letters.templates.probation_common import (
    ProbationLetter, attendance_table, letter_body, tests_table, totals,
)
from clinic.letters.styles import HEADING, para

TITLE = "Progress report for review hearing"


def body(letter: ProbationLetter) -> list[Flowable]:
    out: list[Flowable] = []
    if letter.hearing_on:
        out.append(para(f"Report for the review hearing on {uk_long(letter.hearing_on)}."))
    if letter.period_from and letter.period_to:
        out.append(para(f"Period covered: {uk_long(letter.period_from)} to {uk_long(letter.period_to)}. "
                        f"{totals(letter.attendance)}"))
    out += [para("Attendance", HEADING), attendance_table(letter.attendance), Spacer(1, 3 * mm)]
    out += tests_table(letter)
    out.append(para("Engagement", HEADING))
    out.append(para(letter.engagement_summary or "No summary was given."))
    return letter_body(letter, TITLE, out)
