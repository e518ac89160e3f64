"""Tests for clinic.letters.batch."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, replace

from pypdf import PdfReader
from reportlab.platypus import Flowable

from clinic.letters import LetterBase, Recipient, Registry, Template, render_batch
from clinic.letters.templates import appointment_confirmation
from tests.clinic.letters.samples import HEAD, NURSE, TODAY, ZOE, confirmation, gp_letter, pages_text


def people(count: int) -> list[appointment_confirmation.AppointmentConfirmation]:
    return [confirmation(replace(ZOE, name=f"Person {n}"), reference=f"H{n:06d}/1") for n in range(count)]


def test_one_pdf_to_print_and_each_letter_on_its_own_to_file() -> None:
    letters = [confirmation(), gp_letter(), confirmation(replace(ZOE, name="Łukasz Nowak"), reference="H2")]
    result = render_batch(letters)
    assert not result.failures and not result.cancelled and result.pdf is not None
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == 5
    assert [r.pages for r in result.letters] == [1, 3, 1]
    assert [r.data for r in result.letters] == letters
    assert [r.template.key for r in result.letters] == ["appointment_confirmation", "gp_letter",
                                                        "appointment_confirmation"]
    filed = pages_text(result.letters[2].pdf)
    assert len(filed) == 1 and "Łukasz Nowak" in filed[0] and "Page 1 of 1" in filed[0]
    assert result.letters[0].sha256 == hashlib.sha256(result.letters[0].pdf).hexdigest()


def test_the_filed_copies_are_byte_stable() -> None:
    first, second = render_batch(people(3)), render_batch(people(3))
    assert first.pdf == second.pdf
    assert [r.sha256 for r in first.letters] == [r.sha256 for r in second.letters]


def test_a_letter_that_cannot_be_made_is_named_and_the_rest_still_print() -> None:
    bad = confirmation(Recipient("Zoë Ó Súilleabháin", tuple(f"Line {n}" for n in range(9))), reference="H000002/1")
    letters = [*people(2), bad, *people(4)[2:]]
    result = render_batch(letters)
    assert [(f.label, f.data) for f in result.failures] == [("H000002/1 (Zoë Ó Súilleabháin)", bad)]
    assert "envelope window" in result.failures[0].message
    assert [r.data.reference for r in result.letters] == ["H000000/1", "H000001/1", "H000002/1", "H000003/1"]
    assert len(PdfReader(io.BytesIO(result.pdf or b"")).pages) == 4


class _TooTall(Flowable):
    """Taller than any page and unsplittable: reportlab cannot lay it out."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return availWidth, 5000

    def draw(self) -> None:
        pass


@dataclass(frozen=True, kw_only=True)
class Broken(LetterBase):
    pass


def test_a_letter_that_breaks_the_layout_is_found_and_left_out() -> None:
    registry = Registry()
    registry.register(appointment_confirmation.TEMPLATE)
    registry.register(Template(key="broken", title="Broken", category="admin", data_class=Broken,
                               body=lambda _: [_TooTall()]))
    broken = Broken(reference="B1", date=TODAY, recipient=ZOE, signatory=NURSE, letterhead=HEAD)
    result = registry.render_batch([confirmation(), broken, confirmation(reference="H9")])
    assert [f.label for f in result.failures] == ["B1 (Zoë Ó Súilleabháin)"]
    assert "could not be made" in result.failures[0].message
    assert [r.data.reference for r in result.letters] == ["H000123/4", "H9"]


def test_a_batch_where_nothing_can_be_made_has_nothing_to_print() -> None:
    result = render_batch([confirmation(reference="")])
    assert result.pdf is None and result.letters == () and [f.message for f in result.failures] == [
        "The letter has no reference."]


def test_progress_counts_two_steps_per_letter_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    render_batch(people(3), on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 6) for n in range(1, 7)]


def test_cancel_stops_the_batch_and_returns_nothing_to_print_or_file() -> None:
    asked = 0

    def cancel_after_a_few() -> bool:
        nonlocal asked
        asked += 1
        return asked > 5

    result = render_batch(people(50), should_cancel=cancel_after_a_few)
    assert result.cancelled and result.pdf is None and result.letters == ()
    assert asked == 6
