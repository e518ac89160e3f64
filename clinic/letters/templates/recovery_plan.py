"""The person's recovery plan, handed to them (seed 002 §15 PI 3a, 3b): the
goals agreed with their target dates, when it was agreed and reviewed, who
their key worker is and when the next review is due.

Handed over, never posted (``layout.HANDOUT_PAGES``): a plan names the
person's goals, which must not sit in a letterbox. The data comes from
``clinic.services.journey.letters.recovery_plan_handout``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from clinic.dates import uk_long
from clinic.letters.layout import HANDOUT_PAGES, TEXT_WIDTH, check_handout
from clinic.letters.model import LetterBase
from clinic.letters.registry import Template, register
from clinic.letters.styles import (
    CELL,
    CELL_LABEL,
    HEADING,
    INK,
    SIGNATURE,
    SIGNATURE_NAME,
    label_value_table,
    para,
)

TITLE = "Your recovery plan"


@dataclass(frozen=True, kw_only=True)
class RecoveryPlanHandout(LetterBase):
    agreed_on: date
    #: (goal, target date, met on or None)
    goals: tuple[tuple[str, date, date | None], ...]
    reviewed_on: tuple[date, ...] = ()
    next_review_due: date | None = None
    key_worker: str = ""


def check(letter: RecoveryPlanHandout) -> None:
    check_handout(letter)
    if not any(goal.strip() for goal, _, _ in letter.goals):
        raise ValueError("The plan has no goals to print.")


def _goals(letter: RecoveryPlanHandout) -> Table:
    rows = [[para("Goal", CELL_LABEL), para("By", CELL_LABEL), para("Met", CELL_LABEL)]]
    rows += [[para(goal.strip(), CELL), para(uk_long(target), CELL), para(uk_long(met) if met else "", CELL)]
             for goal, target, met in letter.goals if goal.strip()]
    table = Table(rows, colWidths=(TEXT_WIDTH - 70 * mm, 35 * mm, 35 * mm), hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, INK), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def body(letter: RecoveryPlanHandout) -> list[Flowable]:
    facts = [("For", letter.recipient.name.strip()), ("Agreed on", uk_long(letter.agreed_on))]
    if letter.key_worker.strip():
        facts.append(("Your key worker", letter.key_worker.strip()))
    if letter.reviewed_on:
        facts.append(("Reviewed", ", ".join(uk_long(d) for d in letter.reviewed_on)))
    if letter.next_review_due:
        facts.append(("Next review by", uk_long(letter.next_review_due)))
    return [
        para(TITLE, HEADING.clone("title", fontSize=16, leading=20, spaceBefore=0, spaceAfter=8)),
        label_value_table(tuple(facts), width=TEXT_WIDTH),
        Spacer(1, 5 * mm),
        para("These are the goals we agreed together. We will look at them again with you at each review, "
             "and you can ask to change them at any time."),
        para("Your goals", HEADING),
        _goals(letter),
        Spacer(1, 6 * mm),
        KeepTogether([
            para("Agreed with", SIGNATURE),
            para(letter.signatory.name, SIGNATURE_NAME),
            *([para(letter.signatory.role, SIGNATURE)]
              if letter.signatory.role.strip() and not letter.recipient.discreet else []),
        ]),
    ]


TEMPLATE = register(Template(
    key="recovery_plan", title="Recovery plan (handed to the person)", category="clinical",
    data_class=RecoveryPlanHandout, body=body, check=check, pages=HANDOUT_PAGES,
))
