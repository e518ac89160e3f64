"""What a probation letter may say, and the blocks every probation letter shares.

``ProbationLetter`` is the whole of what Probation can ever be told: the
person's name and date of birth, the order, attendance outcomes, and drug
test results (only when the order requires testing and consent is recorded;
the builder leaves ``tests`` empty otherwise). There is deliberately no field
that could carry BBV, vaccination, OST, sexual-health or safeguarding
information, and the builder (``clinic.services.probation.letter_data``)
has no route to those tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from clinic.dates import uk_long
from clinic.letters.layout import greeting, signed
from clinic.letters.model import LetterBase
from clinic.letters.styles import BODY, CELL, CELL_LABEL, HEADING, RULE, SHADE, STRONG, label_value_table, para

KINDS = ("non_attendance", "attendance_confirmation", "progress_report", "closure")
TEMPLATE_KEYS = {k: f"probation_{k}" for k in KINDS}


@dataclass(frozen=True)
class OrderFacts:
    order_type: str  # DRR | ATR
    court: str
    order_date: date
    start_on: date
    expected_end: date
    length_months: int
    frequency: str  # as printed: "Weekly"
    testing_required: bool
    probation_reference: str
    review_hearings: tuple[date, ...]

    @property
    def name(self) -> str:
        return "Drug Rehabilitation Requirement" if self.order_type == "DRR" else "Alcohol Treatment Requirement"


@dataclass(frozen=True)
class AttendanceLine:
    when: datetime
    outcome: str  # as printed: "Attended late"
    reason: str = ""  # acceptable absence: the reason and evidence seen


@dataclass(frozen=True)
class TestLine:
    tested_on: date
    substance: str
    result: str


@dataclass(frozen=True)
class Correction:
    """This letter replaces one already sent."""

    previous_reference: str
    previous_date: date


@dataclass(frozen=True, kw_only=True)
class ProbationLetter(LetterBase):
    kind: str
    person_name: str
    date_of_birth: date
    order: OrderFacts
    attendance: tuple[AttendanceLine, ...] = ()
    tests: tuple[TestLine, ...] = ()
    period_from: date | None = None
    period_to: date | None = None
    hearing_on: date | None = None
    engagement_summary: str = ""
    closure_status: str = ""
    ended_on: date | None = None
    correction: Correction | None = None

    @property
    def template(self) -> str:
        return TEMPLATE_KEYS[self.kind]


#: Wide enough for "Appointments required" on one line: with the default the
#: labels wrapped, and a one-paragraph letter spilled its sign-off onto a
#: second page (UI-36).
SUBJECT_LABEL_WIDTH = 52 * mm


def when_text(when: datetime) -> str:
    return f"{uk_long(when.date())}, {when:%H:%M}"


def heading(letter: ProbationLetter, title: str) -> list[Flowable]:
    out: list[Flowable] = []
    if letter.correction is not None:
        c = letter.correction
        out.append(para(f"CORRECTED LETTER — this replaces our letter {c.previous_reference} of "
                        f"{uk_long(c.previous_date)}, which should be disregarded.", STRONG))
    out.append(para(f"{title}: {letter.order.name} ({letter.order.order_type})", HEADING))
    return out


def subject_table(letter: ProbationLetter) -> Table:
    o = letter.order
    rows = [
        ("Name", letter.person_name),
        ("Date of birth", uk_long(letter.date_of_birth)),
    ]
    if o.probation_reference:
        rows.append(("Probation reference", o.probation_reference))
    rows += [
        ("Order", f"{o.name}, made by {o.court} on {uk_long(o.order_date)}"),
        ("Length", f"{o.length_months} months: {uk_long(o.start_on)} to {uk_long(o.expected_end)}"),
        ("Appointments required", o.frequency),
        ("Drug testing required", "Yes" if o.testing_required else "No"),
    ]
    return label_value_table(rows, label_width=SUBJECT_LABEL_WIDTH)


def attendance_table(lines: tuple[AttendanceLine, ...]) -> Flowable:
    if not lines:
        return para("No required appointments fell in this period.")
    data = [[para("Appointment", CELL_LABEL), para("Outcome", CELL_LABEL), para("Reason accepted", CELL_LABEL)]]
    data += [[para(when_text(a.when), CELL), para(a.outcome, CELL), para(a.reason, CELL)] for a in lines]
    table = Table(data, colWidths=(50 * mm, 72 * mm, 48 * mm), hAlign="LEFT", repeatRows=1)  # outcomes on one line
    table.setStyle(_GRID)
    return table


def tests_table(letter: ProbationLetter) -> list[Flowable]:
    if not letter.order.testing_required or not letter.tests:
        return []
    data = [[para("Date", CELL_LABEL), para("Substance", CELL_LABEL), para("Result", CELL_LABEL)]]
    data += [[para(uk_long(t.tested_on), CELL), para(t.substance, CELL), para(t.result.capitalize(), CELL)]
             for t in letter.tests]
    table = Table(data, colWidths=(50 * mm, 60 * mm, 60 * mm), hAlign="LEFT", repeatRows=1)
    table.setStyle(_GRID)
    return [para("Drug test results", HEADING), table, Spacer(1, 4 * mm)]


def totals(lines: tuple[AttendanceLine, ...]) -> str:
    counts: dict[str, int] = {}
    for a in lines:
        counts[a.outcome] = counts.get(a.outcome, 0) + 1
    if not counts:
        return "No required appointments in this period."
    parts = "; ".join(f"{k}: {v}" for k, v in counts.items())
    return f"{len(lines)} required appointment{'s' if len(lines) != 1 else ''} — {parts}."


def letter_body(letter: ProbationLetter, title: str, middle: list[Flowable]) -> list[Flowable]:
    """Heading, who and which order, greeting, the letter's own text, signature."""
    return [*heading(letter, title), subject_table(letter), Spacer(1, 4 * mm), greeting(letter), *middle,
            signed(letter, para(
                "This letter reports attendance only. It contains no clinical information, which is not shared "
                "with Probation. Please contact us if anything here does not match your records.", BODY))]


_GRID = TableStyle([
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ("LEFTPADDING", (0, 0), (-1, -1), 2),
])
