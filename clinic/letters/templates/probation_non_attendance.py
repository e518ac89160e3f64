"""Notification to Probation of a non-attendance at a required appointment."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from clinic.dates import uk_long
from clinic.letters.templates.probation_common import (
    ProbationLetter, attendance_table, letter_body, when_text,
)
from clinic.letters.styles import para

TITLE = "Notification of non-attendance"


def body(letter: ProbationLetter) -> list[Flowable]:
    missed = letter.attendance[0] if letter.attendance else None
    out: list[Flowable] = []
    if missed is not None:
        text = (f"{letter.person_name} did not attend the required appointment on {when_text(missed.when)}. "
                f"We recorded this as: {missed.outcome.lower()}.")
        if missed.reason:
            text += f" Reason accepted: {missed.reason}."
        out.append(para(text))
    out += [attendance_table(letter.attendance), Spacer(1, 3 * mm)]
    if letter.order.review_hearings:
        upcoming = ", ".join(uk_long(d) for d in letter.order.review_hearings)
        out.append(para(f"Review hearings: {upcoming}."))
    return letter_body(letter, TITLE, out)
