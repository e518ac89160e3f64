"""Tests for clinic.services.letters.writing, against a real SQLCipher site."""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import date, datetime, time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services.appointments import booking as appts
from clinic.services.appointments import sessions
from clinic.services.letters import writing
from clinic.services.letters import batch as letter_batch
from clinic.services.letters import parts as letter_parts
from clinic.services.appointments import letters as appointment_letters
from clinic.services import site_settings
from clinic.services.letters import filing as letters
from clinic.uow import Clinic
from db.tables.audit import AuditRow
from db.tables.people import GpPractice
from tests.clinic.services.consent_fixtures import consent_to
from tests.conftest import add_person

Actors = dict[Role, Actor]
TUE = date(2026, 11, 24)
ADDRESS = dict(address_lines="Flat 2\n14 Harbour Road\nExampletown", postcode="ex1 2bb")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def book(clinic: Clinic, actors: Actors, person_id: int, start: datetime, *, status: str = "") -> int:
    admin, reception = actors[Role.ADMIN], actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        room = sessions.add_room(uow, admin, f"Room {start:%H%M%S%f}").id
        type_id = sessions.list_types(uow, reception)[0].id
        booked = appts.book(uow, reception, appts.BookAppointment(
            person_id=person_id, clinician_id=actors[Role.NURSE].staff_id, type_id=type_id, start=start,
            room_id=room, confirm=True, past_reason="Entered late" if start.date() < TUE else ""))
    if status:
        with clinic.unit_of_work(write=True) as uow:
            from db.tables.appointments import Appointment
            uow.session.get(Appointment, booked.appointment.id if hasattr(booked, "appointment") else booked.id
                            ).status = status
    return booked.appointment.id if hasattr(booked, "appointment") else booked.id  # type: ignore[no-any-return]


def draft(clinic: Clinic, actor: Actor, pid: int, key: str, **form: object) -> object:
    with clinic.unit_of_work() as uow:
        return writing.draft(uow, actor, pid, key, **form)


def test_confirmation_from_a_unicode_name(clinic: Clinic, actors: Actors) -> None:
    pid = add_person(clinic, "Ó Súilleabháin", "Zoë", preferred_name="", **ADDRESS)
    book(clinic, actors, pid, datetime.combine(TUE, time(10, 30)))
    data = draft(clinic, actors[Role.RECEPTION], pid, "appointment_confirmation")
    assert data.recipient.name == "Zoë Ó Súilleabháin"  # type: ignore[attr-defined]
    assert data.recipient.address_lines == ("Flat 2", "14 Harbour Road", "Exampletown", "EX1 2BB")  # type: ignore[attr-defined]
    assert data.reference == f"H{pid:06d}/1"  # type: ignore[attr-defined]
    text = text_of(writing.render(data))
    assert "Zoë Ó Súilleabháin" in text and "Tuesday 24 November 2026" in text and "10:30am" in text
    assert "Harbour Harm Reduction Service" in text


def test_signatory_carries_registration_for_clinicians_only(actors: Actors) -> None:
    nurse = letter_parts.signatory(actors[Role.NURSE])
    assert nurse.name == actors[Role.NURSE].full_name and nurse.role == "Nurse"
    assert nurse.registration == (actors[Role.NURSE].registration_number or "")
    assert letter_parts.signatory(actors[Role.RECEPTION]).registration == ""


def test_discreet_envelope_drops_the_service_name(clinic: Clinic, actors: Actors) -> None:
    pid = add_person(clinic, "Nowak", "Łukasz", discreet_envelope=True, **ADDRESS)
    book(clinic, actors, pid, datetime.combine(TUE, time(14, 0)))
    data = draft(clinic, actors[Role.RECEPTION], pid, "appointment_reminder")
    assert data.recipient.discreet  # type: ignore[attr-defined]
    text = text_of(writing.render(data))
    assert "Łukasz Nowak" in text and "Harbour Harm Reduction Service" not in text
    assert "PO Box 1" in text


def test_missing_address_is_marked_for_collection(clinic: Clinic, actors: Actors) -> None:
    pid = add_person(clinic)
    book(clinic, actors, pid, datetime.combine(TUE, time(9, 0)))
    data = draft(clinic, actors[Role.RECEPTION], pid, "appointment_confirmation")
    assert data.recipient.address_lines == ()  # type: ignore[attr-defined]
    assert "No postal address" in text_of(writing.render(data))


def test_no_post_person_letter_is_held_not_printed(clinic: Clinic, actors: Actors) -> None:
    pid = add_person(clinic, no_post=True, **ADDRESS)
    book(clinic, actors, pid, datetime.combine(TUE, time(9, 0)))
    reception = actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        data, pdf = writing.draft_and_render(uow, reception, pid, "appointment_confirmation")
        filed = letters.file_rendered(uow, reception, pid, "appointment_confirmation", pdf, "printed",
                                      reference=data.reference)
    assert filed.letter.disposition == "held"
    assert "Not to be posted" in text_of(pdf)
    with clinic.unit_of_work() as uow:
        held = writing.held_letters(uow, reception)
    assert [h.id for h in held] == [filed.letter.id] and held[0].author == reception.full_name


def test_gp_letter_is_not_held_for_a_no_post_person(clinic: Clinic, actors: Actors) -> None:
    with clinic.unit_of_work(write=True) as uow:
        gp = GpPractice(name="Riverside Surgery", address="2 River Lane\nExampletown\nEX2 3CC")
        uow.session.add(gp)
        uow.session.flush()
        gp_id = gp.id
    pid = add_person(clinic, "Ó Súilleabháin", "Zoë", no_post=True, gp_practice_id=gp_id, **ADDRESS)
    nurse = actors[Role.NURSE]
    consent_to(clinic, nurse, pid, "gp")
    form = {"summary": "Medication: methadone 60 mg daily", "paragraphs": "First paragraph.\n\nSecond one."}
    with clinic.unit_of_work(write=True) as uow:
        data, pdf = writing.draft_and_render(uow, nurse, pid, "gp_letter", **form)
        filed = letters.file_rendered(uow, nurse, pid, "gp_letter", pdf, "printed", reference=data.reference)
    assert data.recipient.name == "Riverside Surgery" and data.paragraphs == ("First paragraph.", "Second one.")
    assert data.summary == (("Medication", "methadone 60 mg daily"),)
    assert filed.letter.disposition == "printed" and filed.letter.category == "clinical"
    assert "Zoë Ó Súilleabháin" in text_of(pdf)
    with pytest.raises(PermissionDenied):
        draft(clinic, actors[Role.RECEPTION], pid, "gp_letter")
    with pytest.raises(PermissionDenied):
        draft(clinic, actors[Role.PROBATION], pid, "appointment_confirmation")


def test_missed_appointment_offers_the_next_one(clinic: Clinic, actors: Actors) -> None:
    pid = add_person(clinic, **ADDRESS)
    book(clinic, actors, pid, datetime(2026, 11, 20, 11, 0), status="dna")
    book(clinic, actors, pid, datetime.combine(TUE, time(15, 15)))
    data = draft(clinic, actors[Role.RECEPTION], pid, "missed_appointment")
    assert data.missed_at == datetime(2026, 11, 20, 11, 0)  # type: ignore[attr-defined]
    assert data.next_appointment.starts_at == datetime.combine(TUE, time(15, 15))  # type: ignore[attr-defined]


def test_nothing_to_write_about_says_so(clinic: Clinic, actors: Actors) -> None:
    pid = add_person(clinic, **ADDRESS)
    with pytest.raises(ValueError, match="no booked appointment"):
        draft(clinic, actors[Role.RECEPTION], pid, "appointment_confirmation")
    with pytest.raises(ValueError, match="No GP practice"):
        draft(clinic, actors[Role.NURSE], pid, "gp_letter")


@pytest.mark.parametrize("logo", ["not base64 at all!", base64.b64encode(b"GIF89a not a png").decode()])
def test_bad_logo_is_named(clinic: Clinic, actors: Actors, logo: str) -> None:
    with clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, actors[Role.ADMIN], {"site.logo_png_base64": logo})
    with pytest.raises(ValueError, match="logo"), clinic.unit_of_work() as uow:
        letter_parts.letterhead(uow)


def test_saved_letter_is_filed_with_its_hash_and_export_audited(clinic: Clinic, actors: Actors) -> None:
    pid = add_person(clinic, **ADDRESS)
    book(clinic, actors, pid, datetime.combine(TUE, time(9, 0)))
    reception = actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        data, pdf = writing.draft_and_render(uow, reception, pid, "appointment_confirmation")
        filed = letters.file_rendered(uow, reception, pid, "appointment_confirmation", pdf, "saved",
                                      reference=data.reference, exported=True)
    assert filed.letter.sha256 == hashlib.sha256(pdf).hexdigest() and filed.letter.disposition == "saved"
    from db.tables.audit import AuditRow
    from sqlalchemy import select
    with clinic.unit_of_work() as uow:
        actions = uow.session.execute(select(AuditRow.action).where(AuditRow.entity_id == str(filed.letter.id))
                                      ).scalars().all()
        assert letters.filed_pdf(uow, reception, filed.letter.id) == pdf
    assert "letter.saved" in actions and "letter.exported" in actions


def test_correction_supersedes(clinic: Clinic, actors: Actors) -> None:
    pid = add_person(clinic, **ADDRESS)
    book(clinic, actors, pid, datetime.combine(TUE, time(9, 0)))
    reception = actors[Role.RECEPTION]
    with clinic.unit_of_work(write=True) as uow:
        _, pdf = writing.draft_and_render(uow, reception, pid, "appointment_confirmation")
        old = letters.file_rendered(uow, reception, pid, "appointment_confirmation", pdf, "printed")
    with clinic.unit_of_work(write=True) as uow:
        data, pdf = writing.draft_and_render(uow, reception, pid, "appointment_confirmation")
        new = letters.file_rendered(uow, reception, pid, "appointment_confirmation", pdf, "printed",
                                    reference=data.reference, supersedes=old.letter.id)
    assert data.reference.endswith("/2")
    with clinic.unit_of_work() as uow:
        rows = {r.id: r for r in writing.filed_letters(uow, reception, pid)}
    assert rows[old.letter.id].letter.superseded_by_id == new.letter.id


def test_batch_files_each_and_reports_failures_by_name(clinic: Clinic, actors: Actors) -> None:
    reception = actors[Role.RECEPTION]
    good = add_person(clinic, **ADDRESS)
    gone = add_person(clinic, "Gone", "Pat", **ADDRESS)
    book(clinic, actors, good, datetime.combine(TUE, time(9, 0)))
    book(clinic, actors, gone, datetime.combine(TUE, time(9, 30)))
    items = [letter_batch.ToFile(good, "appointment_confirmation", "R1", b"%PDF-1.4 good", "Good"),
             letter_batch.ToFile(None, "appointment_confirmation", "R2", b"not a pdf", "Pat Gone (R2)")]
    with clinic.unit_of_work(write=True) as uow:
        result = letter_batch.file_batch(uow, reception, items, "printed")
    assert [f.person_id for f in result.filed] == [good]
    assert result.failures[0][0] == "Pat Gone (R2)" and "could not be made" in result.failures[0][1]
    with clinic.unit_of_work() as uow:
        assert len(writing.filed_letters(uow, reception, good)) == 1


def test_a_batch_that_can_all_be_filed_reads_and_inserts_in_one_pass(clinic: Clinic, actors: Actors) -> None:
    """Issue 21: each letter of a batch read its person and was inserted on
    its own; now the statements other than the audit trail's do not grow
    with the batch, and a no-post person's letter is still held."""
    from sqlalchemy import event

    reception = actors[Role.RECEPTION]
    people = [add_person(clinic, f"Person{n}", "Alex", no_post=n == 2, **ADDRESS) for n in range(5)]
    statements: list[str] = []

    def count(_c, _cur, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        if "audit" not in statement:
            statements.append(statement.split()[0].upper())

    sizes, filed = [], []
    for batch in (people[:1], people[1:]):
        items = [letter_batch.ToFile(p, "appointment_confirmation", f"R{p}", b"%PDF-1.4 ok", f"P{p}") for p in batch]
        with clinic.unit_of_work(write=True) as uow:
            statements.clear()
            event.listen(clinic.site.engine, "before_cursor_execute", count)
            try:
                result = letter_batch.file_batch(uow, reception, items, "printed")
            finally:
                event.remove(clinic.site.engine, "before_cursor_execute", count)
        assert not result.failures and result.changes.person_ids == frozenset(batch)
        sizes.append(statements.count("SELECT"))
        filed += result.filed
    assert sizes[0] == sizes[1]
    assert [f.disposition for f in filed] == ["printed", "printed", "held", "printed", "printed"]


def test_day_sheet_lists_the_days_bookings(clinic: Clinic, actors: Actors) -> None:
    pid = add_person(clinic, "Ó Súilleabháin", "Zoë")
    book(clinic, actors, pid, datetime.combine(TUE, time(10, 0)))
    with clinic.unit_of_work() as uow:
        sheet = appointment_letters.draft_day_sheet(uow, actors[Role.RECEPTION], TUE)
    assert [b.client for s in sheet.sessions for b in s.bookings] and sheet.day == TUE
    text = text_of(writing.render(sheet))
    assert "Ó Súilleabháin" in text
    with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
        appointment_letters.draft_day_sheet(uow, actors[Role.ADMIN], TUE)


def test_day_sheet_prints_the_audit_head_short(clinic: Clinic, actors: Actors) -> None:
    """DESIGN §3 / M6: the day sheet carries the trail's head (row number and
    the hash's first 12 hex characters) as a paper record outside the database."""
    book(clinic, actors, add_person(clinic), datetime.combine(TUE, time(10, 0)))
    with clinic.unit_of_work() as uow:
        seq, digest = uow.session.execute(
            select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)).one()
        sheet = appointment_letters.draft_day_sheet(uow, actors[Role.RECEPTION], TUE)
    text = " ".join(text_of(writing.render(sheet)).split())
    assert f"row {seq} \u00b7 {digest[:12]}" in text
    assert digest[:13] not in text


def test_day_sheet_is_in_time_order_with_empty_sessions_last(clinic: Clinic, actors: Actors) -> None:
    """UI-11: the afternoon's empty sessions printed before the morning's bookings."""
    admin = actors[Role.ADMIN]
    with clinic.unit_of_work(write=True) as uow:
        room = sessions.add_room(uow, admin, "Room A").id
        for start, end in ((time(13, 30), time(16, 30)), (time(9), time(12))):
            sessions.create_session(uow, admin, sessions.SessionSpec(
                actors[Role.NURSE].staff_id, room, TUE, start, end, 30, "Clinic"))
    pid = add_person(clinic)
    book(clinic, actors, pid, datetime.combine(TUE, time(11, 0)))
    with clinic.unit_of_work() as uow:
        sheet = appointment_letters.draft_day_sheet(uow, actors[Role.RECEPTION], TUE)
    booked = [s for s in sheet.sessions if s.bookings]
    empty = [s for s in sheet.sessions if not s.bookings]
    assert list(sheet.sessions) == booked + empty  # bookings first, empty sessions compact at the end
    assert [s.starts for s in empty] == sorted(s.starts for s in empty)
