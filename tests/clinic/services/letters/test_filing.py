"""Tests for clinic.services.letters.filing: filing, routing, supersession, permissions."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from clinic.errors import Refused
from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services.letters import filing as letters
from clinic.uow import Clinic
from tests.conftest import add_person

PDF = b"%PDF-1.4 a filed letter"


def file(clinic: Clinic, actor: Actor, person_id: int, *, category: str = "appointment",
         disposition: str = "printed") -> letters.LetterSummary:
    with clinic.unit_of_work(write=True) as uow:
        return letters.file_letter(uow, actor, letters.FileLetter(
            person_id, "appointment_confirmation", category, "Appointment confirmation", "H000001/1", PDF,
            disposition)).letter


def test_filed_copy_is_the_exact_bytes_with_hash(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic)
    filed = file(clinic, actors[Role.RECEPTION], pid)
    assert filed.sha256 == hashlib.sha256(PDF).hexdigest() and filed.disposition == "printed"
    with clinic.unit_of_work(write=True) as uow:
        assert letters.filed_pdf(uow, actors[Role.RECEPTION], filed.id) == PDF


def test_no_post_letters_are_held_for_collection(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic, no_post=True)
    filed = file(clinic, actors[Role.RECEPTION], pid)
    assert filed.disposition == "held"
    with clinic.unit_of_work() as uow:
        assert [h.id for h in letters.held_for_collection(uow, actors[Role.RECEPTION])] == [filed.id]


def test_a_pdf_that_was_not_made_is_never_filed(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic)
    with pytest.raises(ValueError, match="could not be made"), clinic.unit_of_work(write=True) as uow:
        letters.file_letter(uow, actors[Role.RECEPTION], letters.FileLetter(
            pid, "x", "appointment", "x", "r", b"", "printed"))


def test_supersede_keeps_both(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic)
    old, new = file(clinic, actors[Role.PROBATION], pid, category="probation"), \
        file(clinic, actors[Role.PROBATION], pid, category="probation")
    with clinic.unit_of_work(write=True) as uow:
        letters.supersede(uow, actors[Role.PROBATION], old.id, new.id)
    with clinic.unit_of_work() as uow:
        listed = {x.id: x for x in letters.list_for_person(uow, actors[Role.PROBATION], pid)}
    assert listed[old.id].status == "superseded" and listed[old.id].superseded_by_id == new.id
    assert listed[new.id].status == "filed"
    with pytest.raises(ValueError, match="superseded"), clinic.unit_of_work(write=True) as uow:
        letters.mark_sent(uow, actors[Role.PROBATION], old.id, on=date(2026, 11, 23), method="post")


def test_mark_sent_needs_a_method_and_a_past_date(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    filed = file(clinic, actors[Role.PROBATION], add_person(clinic), category="probation")
    with pytest.raises(ValueError, match="how it was sent"), clinic.unit_of_work(write=True) as uow:
        letters.mark_sent(uow, actors[Role.PROBATION], filed.id, on=date(2026, 11, 23), method="pigeon")
    with pytest.raises(Refused, match="future") as future, clinic.unit_of_work(write=True) as uow:
        letters.mark_sent(uow, actors[Role.PROBATION], filed.id, on=date(2026, 11, 24), method="post")
    assert future.value.field == "on"


def test_a_letter_is_never_sent_before_it_was_filed(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    filed = file(clinic, actors[Role.PROBATION], add_person(clinic), category="probation")
    with pytest.raises(Refused, match=r"before it was filed \(23/11/2026\)") as early, \
            clinic.unit_of_work(write=True) as uow:
        letters.mark_sent(uow, actors[Role.PROBATION], filed.id, on=date(2026, 11, 22), method="post")
    assert early.value.field == "on"


def test_probation_liaison_never_sees_clinical_letters(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic)
    clinical = file(clinic, actors[Role.NURSE], pid, category="clinical")
    with clinic.unit_of_work() as uow:
        assert letters.list_for_person(uow, actors[Role.PROBATION], pid) == []
    with pytest.raises(PermissionDenied), clinic.unit_of_work(write=True) as uow:
        letters.filed_pdf(uow, actors[Role.PROBATION], clinical.id)
    with pytest.raises(PermissionDenied):
        file(clinic, actors[Role.RECEPTION], pid, category="clinical")


def test_a_batch_is_filed_in_one_pass_each_routed_as_on_its_own(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    reception = actors[Role.RECEPTION]
    posted, no_post = add_person(clinic), add_person(clinic, no_post=True)

    def cmd(person_id: int, *, to_person: bool = True) -> letters.FileLetter:
        return letters.FileLetter(person_id, "appointment_confirmation", "appointment", "Appointment confirmation",
                                  "H000001/1", PDF, "printed", to_person=to_person)

    with clinic.unit_of_work(write=True) as uow:
        filed = letters.file_letters(uow, reception, [cmd(posted), cmd(no_post), cmd(no_post, to_person=False)])
    assert [f.letter.disposition for f in filed] == ["printed", "held", "printed"]
    assert [f.letter.person_id for f in filed] == [posted, no_post, no_post]
    with clinic.unit_of_work() as uow:
        assert len(letters.list_for_person(uow, reception, no_post)) == 2


def test_a_batch_naming_someone_not_on_the_register_files_nothing(clinic: Clinic,
                                                                  actors: dict[Role, Actor]) -> None:
    reception = actors[Role.RECEPTION]
    pid = add_person(clinic)
    with pytest.raises(ValueError, match="not on the register"), clinic.unit_of_work(write=True) as uow:
        letters.file_letters(uow, reception, [letters.FileLetter(
            p, "appointment_confirmation", "appointment", "x", "r", PDF, "printed") for p in (pid, pid + 999)])
    with clinic.unit_of_work() as uow:
        assert letters.list_for_person(uow, reception, pid) == []
