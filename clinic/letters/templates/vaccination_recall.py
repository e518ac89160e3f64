"""Recalls the person for the next dose of a course, without saying so:
"your next appointment is due". The wording comes from
``clinic.services.vaccination.courses.vaccination_due_letter``; ``recall_common``
refuses any that names a vaccine, a virus or a result."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable

from clinic.letters.model import LetterBase
from clinic.letters.registry import Template, register
from clinic.letters.templates.recall_common import check_recall, recall_body

HEADING = "Your next appointment is due"


@dataclass(frozen=True, kw_only=True)
class VaccinationRecall(LetterBase):
    #: "Your next appointment with our nurse is due on …", then how to book.
    paragraphs: tuple[str, ...]


def check(letter: VaccinationRecall) -> None:
    check_recall(letter, HEADING, letter.paragraphs)


def body(letter: VaccinationRecall) -> list[Flowable]:
    return recall_body(letter, HEADING, letter.paragraphs)


TEMPLATE = register(Template(
    key="vaccination_recall", title="Vaccination recall", category="clinical",
    data_class=VaccinationRecall, body=body, check=check,
))
