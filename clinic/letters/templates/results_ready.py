"""Asks the person to come back, without saying why: "please come back to
see us". Used when a result is waiting to be given; the letter never says
so, nor which test, nor what it showed. The wording comes from
``clinic.services.bbv.results_ready_letter``; ``recall_common`` refuses
any that gives it away."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable

from clinic.letters.model import LetterBase
from clinic.letters.registry import Template, register
from clinic.letters.templates.recall_common import check_recall, recall_body

HEADING = "Please come back to see us"


@dataclass(frozen=True, kw_only=True)
class ResultsReady(LetterBase):
    paragraphs: tuple[str, ...]


def check(letter: ResultsReady) -> None:
    check_recall(letter, HEADING, letter.paragraphs)


def body(letter: ResultsReady) -> list[Flowable]:
    return recall_body(letter, HEADING, letter.paragraphs)


TEMPLATE = register(Template(
    key="results_ready", title="Results ready: please come back", category="clinical",
    data_class=ResultsReady, body=body, check=check,
))
