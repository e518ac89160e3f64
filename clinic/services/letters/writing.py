"""From "a person and a letter type" to a filed letter.

The steps, each a plain function so the UI can run them on a worker:

1. ``draft`` reads the person's record, the site's letterhead settings and
   the signed-in author's signature block and returns the template's plain
   data object (no SQL ever runs inside a template);
2. ``render`` turns it into PDF bytes in memory (clinic.letters);
3. after the letter has been printed or saved, ``file_rendered`` files the
   exact bytes (clinic.services.letters.filing); a "no post" person's letter is
   held for collection instead.

Who may write which letter follows its category (clinic.services.letters.filing).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from clinic.appointment_status import AppointmentStatus
from clinic.changes import Area, Changes
from clinic.clock import SITE_TZ
from clinic.letters import registry
from clinic.letters.templates import (appointment_confirmation, appointment_reminder, day_sheet, gp_letter,
                                      missed_appointment, ost_review_gp, pharmacy_missed_doses, results_ready,
                                      safe_storage_leaflet, vaccination_recall)
from clinic.letters.templates.appointment_details import Appointment as AppointmentDetails
from clinic.letters.logo import logo_image
from clinic.letters.model import Letterhead, Recipient, Signatory
from clinic.permissions import REGISTERED_ROLES, Actor, PermissionDenied, Role, require
from clinic.services.safeguarding import consent
from clinic.services.letters import filing
from clinic.services.appointments.book import book_range
from clinic.uow import UnitOfWork
from db import audit
from db.tables.appointments import Appointment, Room
from db.tables.letters import FiledLetter
from db.tables.people import GpPractice, Person
from db.tables.staff import Staff

_LOGO_FIX = "Choose another logo in Settings, or remove it."


# -- the pieces every letter shares -------------------------------------------


def letterhead(uow: UnitOfWork) -> Letterhead:
    """The letterhead from the site settings; ``ValueError`` if the logo is
    not a usable PNG (so a batch fails once, clearly, not per letter)."""
    s = uow.settings
    return Letterhead(
        service_name=s["site.service_name"].strip(),
        address_lines=_lines(s["site.address"]),
        phone=s["site.phone"].strip(),
        secure_email=s["site.secure_email"].strip(),
        return_address=s["site.return_address"].strip(),
        footer=s["site.letter_footer"].strip(),
        logo_png=decode_logo(s["site.logo_png_base64"]),
    )


def decode_logo(text: str) -> bytes | None:
    """The logo setting as PNG bytes, None when there is none."""
    if not text.strip():
        return None
    try:
        png = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"The letterhead logo in Settings is not a readable image file. {_LOGO_FIX}") from None
    logo_image(png)  # ValueError naming what is wrong
    return png


def signatory(actor: Actor) -> Signatory:
    """The signature block: name, role, and registration where the role has one."""
    roles = sorted(actor.roles - {Role.ADMIN}) or sorted(actor.roles)
    registration = (actor.registration_number or "").strip()
    if not any(r in REGISTERED_ROLES for r in actor.roles):
        registration = ""
    return Signatory(name=actor.full_name, role=", ".join(r.label for r in roles), registration=registration)


def recipient_for(person: Person) -> Recipient:
    """The person as the address block shows them. A person with no address
    gets an empty one, which the engine marks "for collection"."""
    name = display_name(person)
    address = _lines(person.address_lines)
    postcode = (person.postcode or "").strip().upper()
    if address and postcode:
        address = (*address, postcode)
    return Recipient(name=name, address_lines=address, discreet=bool(person.discreet_envelope),
                     no_post=bool(person.no_post))


def display_name(person: Person) -> str:
    """How a letter addresses someone: their preferred forename if they gave one."""
    forename = (person.preferred_name or "").strip() or person.forename.strip()
    return f"{forename} {person.surname.strip()}".strip()


def next_reference(uow: UnitOfWork, person_id: int) -> str:
    """``H000123/4``: the person's number and their fourth letter."""
    count = uow.session.execute(
        select(func.count()).select_from(FiledLetter).where(FiledLetter.person_id == person_id)
    ).scalar_one()
    return f"H{person_id:06d}/{count + 1}"


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


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
    person = uow.session.get(Person, person_id)
    if person is None:
        raise ValueError("That person is not on the register.")
    form = dict(form)
    values: dict[str, Any] = dict(
        reference=next_reference(uow, person_id), date=uow.clock.today(), recipient=recipient_for(person),
        signatory=signatory(actor), letterhead=letterhead(uow),
    )
    prefill = PREFILL.get(letter_type)
    if prefill is not None:
        values |= prefill(uow, actor, person, form)
    return build(template.data_class, values, form_to_values(letter_type, form))


def build(data_class: type, values: dict[str, Any], form: dict[str, Any]) -> Any:
    """``data_class(**values | form)``, refusing fields it does not have."""
    known = {f.name for f in fields(data_class)}
    unknown = sorted(set(form) - known)
    if unknown:
        raise ValueError(f"The letter has no field {unknown[0]!r}.")
    try:
        return data_class(**{k: v for k, v in (values | form).items() if k in known})
    except TypeError as exc:  # a required field nobody filled
        raise ValueError(f"The letter is missing something it needs: {exc}.") from None


def to_person(letter_type: str) -> bool:
    """Whether the letter goes to the person themselves rather than to
    someone about them (a GP, a pharmacy)."""
    return letter_type not in ABOUT_A_PERSON


def held_if_no_post(letter_type: str) -> bool:
    """Whether a "no post" person's printed copy is held for collection: not
    for a letter to someone else, nor for one handed to them in person."""
    return to_person(letter_type) and letter_type not in HANDED_OVER


def render(data: Any) -> bytes:
    """The letter's PDF, in memory; ``ValueError`` if it cannot be printed."""
    return registry.render(data)


def draft_and_render(uow: UnitOfWork, actor: Actor, person_id: int, letter_type: str,
                     **form: Any) -> tuple[Any, bytes]:
    data = draft(uow, actor, person_id, letter_type, **form)
    return data, render(data)


def file_rendered(uow: UnitOfWork, actor: Actor, person_id: int | None, letter_type: str, pdf: bytes,
                  disposition: str, *, reference: str = "", supersedes: int | None = None,
                  exported: bool = False) -> filing.Filed:
    """File a letter that has been printed or saved (a no-post person's is
    held instead of printed). ``supersedes`` marks an earlier letter as
    corrected by this one; ``exported`` audits a Save as PDF."""
    template = registry.REGISTRY.get(letter_type)
    require(actor, filing.permission_for(template.category))
    consent.check_letter(uow, person_id, letter_type)  # an outside recipient needs the person's consent
    filed = filing.file_letter(uow, actor, filing.FileLetter(
        person_id, template.key, template.category, template.title, reference or "—", pdf, disposition,
        to_person=held_if_no_post(letter_type)))
    if supersedes is not None:
        filing.supersede(uow, actor, supersedes, filed.letter.id)
    if exported:
        filing.record_export(uow, actor, filed.letter.id)
    return filed


# -- batches ----------------------------------------------------------------------


@dataclass(frozen=True)
class BatchItem:
    """One letter of a batch: whom it is about, and its drafted data."""

    person_id: int | None
    data: Any

    @property
    def label(self) -> str:
        return str(getattr(self.data, "label", type(self.data).__name__))


@dataclass(frozen=True)
class ToFile:
    person_id: int | None
    letter_type: str
    reference: str
    pdf: bytes
    label: str


@dataclass(frozen=True)
class BatchFiled:
    filed: tuple[filing.LetterSummary, ...]
    #: (label, message) for each letter that could not be filed.
    failures: tuple[tuple[str, str], ...]
    changes: Changes


def to_file(item: BatchItem, rendered: Any) -> ToFile:
    return ToFile(item.person_id, rendered.template.key, getattr(item.data, "reference", ""), rendered.pdf,
                  item.label)


def file_batch(uow: UnitOfWork, actor: Actor, letters_: Sequence[ToFile], disposition: str) -> BatchFiled:
    """File each letter on its own: one that cannot be filed is reported by
    name and the others still land (each in its own savepoint)."""
    filed, failures, people = [], [], set()
    for item in letters_:
        try:
            with uow.session.begin_nested():
                result = file_rendered(uow, actor, item.person_id, item.letter_type, item.pdf, disposition,
                                       reference=item.reference)
        except (ValueError, PermissionDenied) as exc:
            failures.append((item.label, str(exc)))
        else:
            filed.append(result.letter)
            if item.person_id is not None:
                people.add(item.person_id)
    return BatchFiled(tuple(filed), tuple(failures), Changes(frozenset({Area.LETTERS}), frozenset(people)))


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


def _appointment_details(uow: UnitOfWork, row: Appointment) -> AppointmentDetails:
    place: list[str] = []
    if row.room_id is not None:
        room = uow.session.get(Room, row.room_id)
        if room is not None:
            place.append(room.name)
    place += list(_lines(uow.settings["site.address"]))
    clinician = uow.session.get(Staff, row.clinician_id)
    ask_for = f"{clinician.full_name} at reception" if clinician else "Reception"
    return AppointmentDetails(starts_at=row.start, place=tuple(place), ask_for=ask_for)


def _appointment(uow: UnitOfWork, person: Person, appointment_id: int | None, *, missed: bool) -> Appointment:
    query = select(Appointment).where(Appointment.person_id == person.id)
    if appointment_id is not None:
        row = uow.session.execute(query.where(Appointment.id == appointment_id)).scalar_one_or_none()
    elif missed:
        row = uow.session.execute(query.where(Appointment.status == AppointmentStatus.DNA)
                                  .order_by(Appointment.start.desc()).limit(1)).scalar_one_or_none()
    else:
        now = uow.clock.now().astimezone(SITE_TZ).replace(tzinfo=None)
        row = uow.session.execute(query.where(Appointment.status == AppointmentStatus.BOOKED, Appointment.start >= now)
                                  .order_by(Appointment.start).limit(1)).scalar_one_or_none()
    if row is None:
        what = "missed appointment" if missed else "booked appointment still to come"
        raise ValueError(f"There is no {what} on this person's record to write about.")
    return row


def _next_booked(uow: UnitOfWork, person: Person, after: Any) -> Appointment | None:
    return uow.session.execute(
        select(Appointment).where(Appointment.person_id == person.id, Appointment.status == AppointmentStatus.BOOKED,
                                  Appointment.start > after).order_by(Appointment.start).limit(1)
    ).scalar_one_or_none()


def _booked(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    row = _appointment(uow, person, form.pop("appointment_id", None), missed=False)
    return {"appointment": _appointment_details(uow, row)}


def _missed(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    row = _appointment(uow, person, form.pop("appointment_id", None), missed=True)
    following = _next_booked(uow, person, row.start)
    return {"missed_at": row.start,
            "next_appointment": _appointment_details(uow, following) if following else None}


def _to_gp(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    practice = uow.session.get(GpPractice, person.gp_practice_id) if person.gp_practice_id else None
    if practice is None:
        raise ValueError("No GP practice is recorded for this person: add it to their record first.")
    return {
        "recipient": Recipient(name=practice.name, address_lines=_lines(practice.address)),
        **patient_facts(person), "summary": (), "paragraphs": (),
    }


def patient_facts(person: Person) -> dict[str, Any]:
    """Who a letter to a GP, pharmacy or referral service is about: full legal
    name, date of birth, NHS number and home address, to match their own records."""
    return {"patient_name": f"{person.forename.strip()} {person.surname.strip()}".strip(),
            "date_of_birth": person.date_of_birth, "nhs_number": person.nhs_number or None,
            "patient_address": recipient_for(person).address_lines}


def _vaccination_recall(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    from clinic.services.vaccination.courses import vaccination_due_letter
    return {"paragraphs": vaccination_due_letter(uow, actor, person.id).paragraphs}


def _results_ready(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    from clinic.services.bbv import results_ready_letter
    return {"paragraphs": results_ready_letter(uow, actor, person.id).paragraphs}


def _ost_review_gp(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    from clinic.services.ost.letters import gp_review_summary
    review = gp_review_summary(uow, actor, person.id)
    return _to_gp(uow, actor, person, form) | {"summary": review.summary, "paragraphs": review.paragraphs}


def _pharmacy_missed(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    from clinic.services.ost.letters import pharmacy_missed_notice
    notice = pharmacy_missed_notice(uow, actor, person.id)
    if notice.pharmacy is None:
        raise ValueError("No dispensing pharmacy is recorded on the prescription: add it first.")
    if not notice.missed_days:
        raise ValueError("No missed doses are recorded, so there is nothing to tell the pharmacy.")
    return patient_facts(person) | {
        "recipient": Recipient(name=notice.pharmacy.name, address_lines=_lines(notice.pharmacy.address)),
        "medicine": notice.prescription, "supervision": notice.supervision, "prescriber": notice.prescriber,
        "missed_days": notice.missed_days, "instruction": notice.instruction,
    }


def _safe_storage(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    """The box the person holds, from its latest issue (or replacement);
    ``box_number`` and ``issued_on`` in the form (the issue dialog's preset)
    say which when it has only just been handed over."""
    from clinic.services.ost.letters import safe_storage_leaflet as leaflet
    from clinic.services.safe_storage import person_boxes
    boxes = person_boxes(uow, actor, person.id)
    number, issued_on = form.get("box_number"), form.get("issued_on")
    if number is None:
        handed = [(e.new_box_number if e.kind == "replaced" else e.box_number, e.event_on)
                  for e in boxes.events if e.kind in ("issued", "replaced")]
        held = [(n, on) for n, on in handed if n in boxes.held]
        if not held:
            raise ValueError("This person does not hold a safe-storage box: issue one first.")
        number, issued_on = held[0]  # newest first
    data = leaflet(person.id, str(number), issued_on or uow.clock.today())
    # Handed over in person: their "no post" flag is about post, so it is not marked for collection.
    return {"recipient": replace(recipient_for(person), no_post=False), "box_number": data.box_number,
            "issued_on": data.issued_on, "points": data.points}


def _recovery_plan(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    """The treatment journey's plan, handed over (clinic/services/journey/letters.py)."""
    from clinic.services.journey.letters import recovery_plan_handout
    return {"recipient": replace(recipient_for(person), no_post=False)} | recovery_plan_handout(uow, actor, person.id)


Prefill = Callable[[UnitOfWork, Actor, Person, dict[str, Any]], dict[str, Any]]
PREFILL: dict[str, Prefill] = {
    appointment_confirmation.TEMPLATE.key: _booked,
    appointment_reminder.TEMPLATE.key: _booked,
    missed_appointment.TEMPLATE.key: _missed,
    gp_letter.TEMPLATE.key: _to_gp,
    vaccination_recall.TEMPLATE.key: _vaccination_recall,
    results_ready.TEMPLATE.key: _results_ready,
    ost_review_gp.TEMPLATE.key: _ost_review_gp,
    pharmacy_missed_doses.TEMPLATE.key: _pharmacy_missed,
    safe_storage_leaflet.TEMPLATE.key: _safe_storage,
    "recovery_plan": _recovery_plan,  # clinic/letters/templates/recovery_plan.py
}
#: Written to or about a person: the dialog offers these.
PERSON_LETTERS = tuple(PREFILL)
#: Written about a person to someone else, so their "no post" flag does not apply.
ABOUT_A_PERSON = frozenset({gp_letter.TEMPLATE.key, ost_review_gp.TEMPLATE.key,
                            pharmacy_missed_doses.TEMPLATE.key,
                            consent.REFERRAL_LETTER})  # filed by clinic.services.safeguarding.referrals
#: Handed to the person, never posted: not held for collection either.
HANDED_OVER = frozenset({safe_storage_leaflet.TEMPLATE.key, "recovery_plan"})


# -- the day sheet (no person) ------------------------------------------------

def draft_day_sheet(uow: UnitOfWork, actor: Actor, day: date) -> day_sheet.DaySheet:
    """Every clinician's session on ``day`` with its bookings, for reception."""
    require(actor, filing.permission_for(day_sheet.TEMPLATE.category))
    view = book_range(uow, actor, day, day)
    sessions = []
    for s in view.sessions:
        bookings = tuple(
            day_sheet.Booking(at=a.start.time(), client=a.person_name, appointment_type=a.type_name,
                              status=AppointmentStatus(a.status).short_label, notes=a.reception_note)
            for a in view.appointments if a.session_id == s.id)
        sessions.append(day_sheet.ClinicianSession(clinician=s.clinician_name, room=s.room_name,
                                                   starts=s.start.time(), ends=s.end.time(), bookings=bookings))
    in_sessions = {a.id for a in view.appointments if a.session_id in {s.id for s in view.sessions}}
    loose = [a for a in view.appointments if a.id not in in_sessions]
    for clinician, room in sorted({(a.clinician_name, a.room_name) for a in loose}):
        mine = [a for a in loose if (a.clinician_name, a.room_name) == (clinician, room)]
        sessions.append(day_sheet.ClinicianSession(
            clinician=clinician, room=room or "No room", starts=min(a.start for a in mine).time(),
            ends=max(a.end for a in mine).time(),
            bookings=tuple(day_sheet.Booking(at=a.start.time(), client=a.person_name,
                                             appointment_type=a.type_name,
                                             status=AppointmentStatus(a.status).short_label, notes=a.reception_note)
                           for a in mine)))
    # time order, with sessions that have no bookings compact at the end (UI-11)
    sessions.sort(key=lambda s: (not s.bookings, s.starts, s.clinician))
    return day_sheet.DaySheet(day=day, site_name=uow.settings["site.service_name"], printed_at=uow.clock.now(),
                              sessions=tuple(sessions), audit_head=audit.head(uow.session))
