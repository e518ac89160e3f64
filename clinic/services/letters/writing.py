"""From "a person and a letter type" to a letter's data and its PDF.

The steps, each a plain function so the UI can run them on a worker:

1. ``draft`` builds the template's plain data object from the pieces every
   letter shares (``parts``: letterhead, signature, address, reference) and
   the letter type's own data, which the concept it is about supplies
   (``PREFILL``: ``appointments/letters.py``, ``ost/letters.py``, the BBV and
   vaccination recall wording, the journey's plan); no SQL runs inside a
   template;
2. ``render`` turns it into PDF bytes in memory (clinic.letters);
3. after the letter has been printed or saved, ``filing.file_rendered`` files
   the exact bytes; a batch is filed by ``batch.file_batch``.

Who may write which letter follows its category (``filing.permission_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from clinic.letters import registry
from clinic.letters.templates import (appointment_confirmation, appointment_reminder, gp_letter, missed_appointment,
                                      ost_review_gp, pharmacy_missed_doses, results_ready, safe_storage_leaflet,
                                      vaccination_recall)
from clinic.permissions import Actor, require
from clinic.services.appointments import letters as appointment_letters
from clinic.services.bbv import results_ready_letter
from clinic.services.journey.letters import recovery_plan_handout
from clinic.services.letters import filing
from clinic.services.letters.parts import (build, handed_over, letterhead, next_reference, recipient_for, signatory,
                                          to_gp)
from clinic.services.ost import letters as ost_letters
from clinic.services.people.register import on_register
from clinic.services.vaccination.courses import RecallLetter, vaccination_due_letter
from clinic.uow import UnitOfWork
from db.tables.people import Person
from db.tables.staff import Staff

# -- the person's letters, as the Letters tab lists them ----------------------


@dataclass(frozen=True)
class LetterRow:
    """A filed letter with the names the UI shows beside it."""

    letter: filing.LetterSummary
    author: str
    person_name: str

    @property
    def id(self) -> int:
        return self.letter.id

    @property
    def created_at(self) -> datetime:
        return self.letter.created_at


def filed_letters(uow: UnitOfWork, actor: Actor, person_id: int) -> list[LetterRow]:
    """The person's letters the actor may read, newest first."""
    summaries = filing.list_for_person(uow, actor, person_id)
    return _with_names(uow, summaries)


def held_letters(uow: UnitOfWork, actor: Actor) -> list[LetterRow]:
    """Letters waiting for their person to collect them, oldest first."""
    return _with_names(uow, filing.held_for_collection(uow, actor))


def _with_names(uow: UnitOfWork, summaries: list[filing.LetterSummary]) -> list[LetterRow]:
    staff_ids = {s.author_id for s in summaries}
    person_ids = {s.person_id for s in summaries if s.person_id is not None}
    authors = dict(uow.session.execute(select(Staff.id, Staff.full_name).where(Staff.id.in_(staff_ids))).all()) \
        if staff_ids else {}
    people = {}
    if person_ids:
        for row in uow.session.execute(select(Person).where(Person.id.in_(person_ids))).scalars():
            people[row.id] = f"{row.surname.upper()}, {row.forename}"
    return [LetterRow(s, authors.get(s.author_id, "?"), people.get(s.person_id or -1, "")) for s in summaries]


# -- drafting, rendering, filing ------------------------------------------------

@dataclass(frozen=True)
class LetterType:
    """A template as the "Write letter" dialog offers it."""

    key: str
    title: str
    category: str


def letter_types(actor: Actor) -> list[LetterType]:
    """The letter types the actor may write to or about a person."""
    out = []
    for key in PERSON_LETTERS:
        t = registry.REGISTRY.get(key)
        if actor.can(filing.permission_for(t.category)):
            out.append(LetterType(t.key, t.title, t.category))
    return out


def draft(uow: UnitOfWork, actor: Actor, person_id: int, letter_type: str, **form: Any) -> Any:
    """The letter's data, pre-filled from the person's record, the settings
    and the author; ``form`` (what the user typed, as text, or the
    template's own values) overrides the pre-fill. ``appointment_id``
    picks the appointment an appointment letter is about."""
    template = registry.REGISTRY.get(letter_type)
    require(actor, filing.permission_for(template.category))
    person = on_register(uow, person_id)
    form = dict(form)
    values: dict[str, Any] = dict(
        reference=next_reference(uow, person_id), date=uow.clock.today(), recipient=recipient_for(person),
        signatory=signatory(actor), letterhead=letterhead(uow),
    )
    prefill = PREFILL.get(letter_type)
    if prefill is not None:
        values |= prefill(uow, actor, person, form)
    return build(template.data_class, values, form_to_values(letter_type, form))


def render(data: Any) -> bytes:
    """The letter's PDF, in memory; ``ValueError`` if it cannot be printed."""
    return registry.render(data)


def draft_and_render(uow: UnitOfWork, actor: Actor, person_id: int, letter_type: str,
                     **form: Any) -> tuple[Any, bytes]:
    data = draft(uow, actor, person_id, letter_type, **form)
    return data, render(data)


# -- what each letter type takes from the record ------------------------------


@dataclass(frozen=True)
class FormField:
    """A field the writer may edit: ``kind`` says how the form shows it."""

    name: str
    label: str
    #: "paragraphs": free text, a blank line between paragraphs;
    #: "rows": one "Label: value" per line; "choice": an id from ``options``.
    kind: str
    hint: str = ""


FORMS: dict[str, tuple[FormField, ...]] = {
    gp_letter.TEMPLATE.key: (
        FormField("summary", "Summary", "rows", "One per line, like “Medication: methadone 60 mg daily”"),
        FormField("paragraphs", "Letter", "paragraphs", "Leave a blank line between paragraphs"),
    ),
    # Pre-filled from the latest OST review; the writer may add to it.
    ost_review_gp.TEMPLATE.key: (
        FormField("summary", "Summary", "rows", "One per line, like “Attendance: Good”"),
        FormField("paragraphs", "Letter", "paragraphs", "Leave a blank line between paragraphs"),
    ),
    # The prescriber's decision, or "do not dispense until reviewed".
    pharmacy_missed_doses.TEMPLATE.key: (
        FormField("instruction", "Before the next dose", "text",
                  "What the pharmacist should do before giving the next dose"),
    ),
}


def form_fields(letter_type: str) -> tuple[FormField, ...]:
    registry.REGISTRY.get(letter_type)
    return FORMS.get(letter_type, ())


def form_to_values(letter_type: str, form: dict[str, Any]) -> dict[str, Any]:
    """Typed text as the template's fields: paragraphs split on blank lines,
    summary rows split on the first colon."""
    out: dict[str, Any] = {}
    kinds = {f.name: f.kind for f in form_fields(letter_type)}
    for name, value in form.items():
        kind = kinds.get(name)
        if kind == "paragraphs" and isinstance(value, str):
            out[name] = tuple(p.strip() for p in value.replace("\r\n", "\n").split("\n\n") if p.strip())
        elif kind == "rows" and isinstance(value, str):
            rows = []
            for line in value.splitlines():
                if not line.strip():
                    continue
                label, sep, text = line.partition(":")
                if not sep:
                    raise ValueError(f"Summary line “{line.strip()}” needs a label and a colon, "
                                     "like “Medication: methadone 60 mg daily”.")
                rows.append((label.strip(), text.strip()))
            out[name] = tuple(rows)
        else:
            out[name] = value
    return out


def values_to_form(letter_type: str, data: Any) -> dict[str, str]:
    """The draft's editable fields as text for the form (the reverse of
    ``form_to_values``)."""
    out = {}
    for f in form_fields(letter_type):
        value = getattr(data, f.name)
        if f.kind == "paragraphs":
            out[f.name] = "\n\n".join(value)
        elif f.kind == "rows":
            out[f.name] = "\n".join(f"{label}: {text}" for label, text in value)
        else:
            out[f.name] = str(value)
    return out


# -- each letter type's data ------------------------------------------------


def _paragraphs(letter: Callable[[UnitOfWork, Actor, int], RecallLetter]) -> Prefill:
    """A recall-style letter whose concept supplies only its paragraphs."""
    return lambda uow, actor, person, form: {"paragraphs": letter(uow, actor, person.id).paragraphs}


def _recovery_plan(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    return {"recipient": handed_over(person)} | recovery_plan_handout(uow, actor, person.id)


Prefill = Callable[[UnitOfWork, Actor, Person, dict[str, Any]], dict[str, Any]]
#: Each letter type's data, supplied by the concept it is about.
PREFILL: dict[str, Prefill] = {
    appointment_confirmation.TEMPLATE.key: appointment_letters.booked,
    appointment_reminder.TEMPLATE.key: appointment_letters.booked,
    missed_appointment.TEMPLATE.key: appointment_letters.missed,
    gp_letter.TEMPLATE.key: to_gp,
    vaccination_recall.TEMPLATE.key: _paragraphs(vaccination_due_letter),
    results_ready.TEMPLATE.key: _paragraphs(results_ready_letter),
    ost_review_gp.TEMPLATE.key: ost_letters.review_to_gp,
    pharmacy_missed_doses.TEMPLATE.key: ost_letters.to_pharmacy_missed,
    safe_storage_leaflet.TEMPLATE.key: ost_letters.safe_storage_handout,
    "recovery_plan": _recovery_plan,  # clinic/letters/templates/recovery_plan.py
}
#: Written to or about a person: the dialog offers these.
PERSON_LETTERS = tuple(PREFILL)
