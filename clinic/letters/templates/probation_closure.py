"""Order completion or closure letter."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from clinic.dates import uk_long
from clinic.letters.templates.probation_common import (
    ProbationLetter, attendance_table, letter_body, totals,
)
from clinic.letters.styles import HEADING, para

TITLE = "Order completion and closure"

_WHY = {
    "completed": "has completed the order",
    "revoked": "is no longer subject to the order, which has been revoked",
    "breached": "has been returned to court for breach of the order, as you told us",
    "transferred": "has transferred to another area; the order will be supervised there",
}


def body(letter: ProbationLetter) -> list[Flowable]:
    out: list[Flowable] = []
    ended = uk_long(letter.ended_on) if letter.ended_on else "the date above"
    why = _WHY.get(letter.closure_status, "is no longer on the order")
    out.append(para(f"{letter.person_name} {why}. Our work under the order ended on {ended}. "
                    f"{totals(letter.attendance)}"))
    out += [para("Attendance over the whole order", HEADING), attendance_table(letter.attendance), Spacer(1, 3 * mm)]
    return letter_body(letter, TITLE, out)
