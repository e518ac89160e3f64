"""Tests for clinic.services.vaccination.courses and clinic.services.vaccination.stock."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from clinic.outstanding import Severity
from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services.vaccination import courses as vs
from clinic.services.vaccination import stock
from clinic.uow import Clinic
from db.tables.audit import AuditRow
from tests.conftest import add_person

TODAY = date(2026, 11, 23)  # the clock fixture's Monday


def nurse(actors: dict[Role, Actor]) -> Actor:
    return actors[Role.NURSE]


def add_batch(clinic: Clinic, actor: Actor, vaccine: str = "hepb", *, expiry: date = date(2027, 6, 30),
              quantity: int = 10, number: str = "AB123") -> int:
    with clinic.unit_of_work(write=True) as uow:
        product = stock.add_product(uow, actor, stock.AddProduct(f"{vaccine} product", vaccine)).id
        return stock.receive_batch(uow, actor, stock.ReceiveBatch(
            product, number, expiry, quantity, date(2026, 1, 5))).id


def start(clinic: Clinic, actor: Actor, person: int, schedule: str = "hepb-standard",
          on: date = TODAY) -> int:
    with clinic.unit_of_work(write=True) as uow:
        return vs.start_course(uow, actor, vs.StartCourse(person, schedule, on)).id


def dose(clinic: Clinic, actor: Actor, person: int, course: int | None, batch: int, on: date,
         **extra: object) -> vs.Saved:
    with clinic.unit_of_work(write=True) as uow:
        return vs.record_dose(uow, actor, vs.RecordDose(
            person, batch, on, "Left deltoid", "Intramuscular", extra.pop("consent", True),
            course_id=course, **extra))  # type: ignore[arg-type]


def view(clinic: Clinic, actor: Actor, person: int) -> vs.VaccinationOverview:
    with clinic.unit_of_work() as uow:
        return vs.overview(uow, actor, person)


def test_start_course_plans_every_dose_and_books_nothing(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    start(clinic, nurse(actors), person, on=date(2027, 1, 31))
    (course,) = view(clinic, nurse(actors), person).courses
    assert [(d.number, d.due, d.given) for d in course.doses] == [
        (1, date(2027, 1, 31), None), (2, date(2027, 2, 28), None), (3, date(2027, 7, 31), None)]
    assert course.next_due == date(2027, 1, 31)


def test_record_dose_plans_the_next(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    batch = add_batch(clinic, nurse(actors))
    course = start(clinic, nurse(actors), person)
    saved = dose(clinic, nurse(actors), person, course, batch, TODAY)
    assert saved.message == "Dose 2 due 23 December 2026."
    (c,) = view(clinic, nurse(actors), person).courses
    assert [d.state for d in c.doses] == ["given", "planned", "planned"]
    assert c.doses[0].batch_number == "AB123" and c.doses[0].given_by == nurse(actors).full_name
    with clinic.unit_of_work() as uow:
        (b,) = stock.stock(uow, nurse(actors))
    assert (b.received, b.used, b.remaining) == (10, 1, 9)


def test_expired_batch_refused(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    batch = add_batch(clinic, nurse(actors), expiry=date(2026, 11, 22))
    course = start(clinic, nurse(actors), person)
    with pytest.raises(ValueError, match="expired on 22 November 2026"):
        dose(clinic, nurse(actors), person, course, batch, TODAY)


def test_dose_before_birth_future_or_without_consent_refused(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic, date_of_birth=date(2026, 11, 1))
    batch = add_batch(clinic, nurse(actors), "tetanus")
    with pytest.raises(ValueError, match="before the date of birth"):
        dose(clinic, nurse(actors), person, None, batch, date(2026, 10, 30), vaccine="tetanus")
    with pytest.raises(ValueError, match="in the future"):
        dose(clinic, nurse(actors), person, None, batch, date(2026, 11, 24), vaccine="tetanus")
    with pytest.raises(ValueError, match="consent"):
        dose(clinic, nurse(actors), person, None, batch, TODAY, vaccine="tetanus", consent=False)


def test_dose_before_previous_refused(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    batch = add_batch(clinic, nurse(actors))
    course = start(clinic, nurse(actors), person, on=date(2026, 10, 1))
    dose(clinic, nurse(actors), person, course, batch, date(2026, 10, 1))
    with pytest.raises(ValueError, match="after the previous dose"):
        dose(clinic, nurse(actors), person, course, batch, date(2026, 9, 30))


def test_wrong_vaccine_batch_refused(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    batch = add_batch(clinic, nurse(actors), "hepa")
    course = start(clinic, nurse(actors), person)
    with pytest.raises(ValueError, match="is not a Hepatitis B vaccine"):
        dose(clinic, nurse(actors), person, course, batch, TODAY)


def test_under_18_refused_very_rapid(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic, date_of_birth=date(2010, 1, 1))
    with pytest.raises(ValueError, match="accelerated schedule"):
        start(clinic, nurse(actors), person, "hepb-very-rapid")


def test_course_not_restarted_while_in_progress(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    start(clinic, nurse(actors), person)
    with pytest.raises(ValueError, match="resumed, not restarted"):
        start(clinic, nurse(actors), person, "hepab-standard")


def test_edit_replans_the_rest_and_audits_changed_fields(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    batch = add_batch(clinic, nurse(actors))
    course = start(clinic, nurse(actors), person, on=date(2026, 1, 5))
    dose(clinic, nurse(actors), person, course, batch, date(2026, 1, 5))
    second = dose(clinic, nurse(actors), person, course, batch, date(2026, 2, 5)).id
    # Late second dose, corrected after the fact: dose 3 keeps its 6-month date
    # unless the 8-week minimum gap pushes it later.
    with clinic.unit_of_work(write=True) as uow:
        vs.edit_dose(uow, nurse(actors), vs.EditDose(second, date(2026, 6, 1), batch,
                                                      "Right deltoid", "Intramuscular"))
    (c,) = view(clinic, nurse(actors), person).courses
    assert c.doses[2].due == date(2026, 7, 27)  # 1 June + 8 weeks
    assert c.next_due == date(2026, 7, 27) and c.doses[2].state == "overdue"
    with clinic.unit_of_work() as uow:
        row = uow.session.execute(select(AuditRow).where(
            AuditRow.action == "vaccination.dose_edited")).scalar_one()
    assert json.loads(row.changes) == {"given_on": ["2026-02-05", "2026-06-01"],
                                       "site": ["Left deltoid", "Right deltoid"]}


def test_edit_cannot_move_a_dose_before_the_previous(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    batch = add_batch(clinic, nurse(actors))
    course = start(clinic, nurse(actors), person, on=date(2026, 1, 5))
    dose(clinic, nurse(actors), person, course, batch, date(2026, 1, 5))
    second = dose(clinic, nurse(actors), person, course, batch, date(2026, 2, 5)).id
    with clinic.unit_of_work(write=True) as uow, pytest.raises(ValueError, match="after the previous"):
        vs.edit_dose(uow, nurse(actors), vs.EditDose(second, date(2026, 1, 2), batch,
                                                      "Left deltoid", "Intramuscular"))


def test_void_dose_replans_and_returns_stock(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    batch = add_batch(clinic, nurse(actors))
    course = start(clinic, nurse(actors), person, on=date(2026, 9, 1))
    dose(clinic, nurse(actors), person, course, batch, date(2026, 9, 1))
    second = dose(clinic, nurse(actors), person, course, batch, date(2026, 10, 1)).id
    with clinic.unit_of_work(write=True) as uow:
        with pytest.raises(ValueError, match="reason"):
            vs.void_dose(uow, nurse(actors), vs.VoidDose(second, " "))
        vs.void_dose(uow, nurse(actors), vs.VoidDose(second, "recorded on the wrong person"))
    (c,) = view(clinic, nurse(actors), person).courses
    assert [d.state for d in c.doses] == ["given", "overdue", "planned"]
    with clinic.unit_of_work() as uow:
        assert stock.stock(uow, nurse(actors))[0].used == 1


def test_completed_hep_b_course_puts_anti_hbs_on_worklist(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic, surname="Complete")
    batch = add_batch(clinic, nurse(actors))
    course = start(clinic, nurse(actors), person, on=date(2026, 3, 2))
    for on in (date(2026, 3, 2), date(2026, 4, 2), date(2026, 10, 19)):
        dose(clinic, nurse(actors), person, course, batch, on)
    with clinic.unit_of_work() as uow:
        due = vs.anti_hbs_due(uow, nurse(actors))
        (c,) = vs.overview(uow, nurse(actors), person).courses
    assert c.status == "completed" and c.anti_hbs_window == (date(2026, 11, 16), date(2027, 1, 11))
    assert [(r.person_id, r.due) for r in due.rows] == [(person, date(2026, 11, 16))]
    with clinic.unit_of_work(write=True) as uow:
        saved = vs.record_anti_hbs(uow, nurse(actors), vs.RecordAntiHbs(person, TODAY, 4.0))
    assert saved.message.startswith("Non-responder: consider a repeat course")
    with clinic.unit_of_work() as uow:
        assert vs.anti_hbs_due(uow, nurse(actors)).rows == ()
        assert vs.overview(uow, nurse(actors), person).anti_hbs[0].responder is False


def test_worklists_show_the_right_people(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    batch = add_batch(clinic, nurse(actors))
    due_friday = add_person(clinic, surname="Friday")
    overdue = add_person(clinic, surname="Late")
    later = add_person(clinic, surname="Later")
    # Dose 2 due one month after dose 1.
    for person, first in ((due_friday, date(2026, 10, 27)), (overdue, date(2026, 10, 20)),
                          (later, date(2026, 11, 2))):
        course = start(clinic, nurse(actors), person, on=first)
        dose(clinic, nurse(actors), person, course, batch, first)
    with clinic.unit_of_work() as uow:
        week = vs.doses_due_this_week(uow, nurse(actors))
        late = vs.doses_overdue(uow, nurse(actors))
    assert [(r.person_id, r.due, r.what) for r in week.rows] == [
        (due_friday, date(2026, 11, 27), "Hepatitis B, standard: dose 2")]
    assert [(r.person_id, r.due) for r in late.rows] == [(overdue, date(2026, 11, 20))]
    assert late.total == 1


def test_single_vaccines_numbered_per_vaccine(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    batch = add_batch(clinic, nurse(actors), "influenza")
    dose(clinic, nurse(actors), person, None, batch, date(2025, 10, 1), vaccine="influenza")
    dose(clinic, nurse(actors), person, None, batch, TODAY, vaccine="influenza")
    singles = view(clinic, nurse(actors), person).singles
    assert [(s.label, s.given) for s in singles] == [
        ("Seasonal influenza", TODAY), ("Seasonal influenza", date(2025, 10, 1))]


def test_outstanding_and_recall_letter(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic, address_lines="1 Road\nTown", postcode="EX1 1AA", discreet_envelope=True)
    batch = add_batch(clinic, nurse(actors))
    course = start(clinic, nurse(actors), person, on=date(2026, 10, 20))
    dose(clinic, nurse(actors), person, course, batch, date(2026, 10, 20))
    with clinic.unit_of_work() as uow:
        (item,) = vs.vaccination_outstanding(uow, nurse(actors), person)
        letter = vs.vaccination_due_letter(uow, nurse(actors), person)
    assert (item.label, item.due, item.severity) == (
        "Hepatitis B, standard dose 2 due", date(2026, 11, 20), Severity.OVERDUE)
    assert letter.discreet_envelope and letter.address_lines == ("1 Road", "Town")
    text = " ".join(letter.paragraphs).lower()
    assert "20 november 2026" in text
    assert not any(word in text for word in ("hepatitis", "vaccin", "hep b", "virus"))


def test_stock_warns_of_batches_expiring_within_30_days(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    add_batch(clinic, nurse(actors), expiry=date(2026, 12, 20), number="SOON")
    add_batch(clinic, nurse(actors), "hepa", expiry=date(2027, 12, 20), number="LATER")
    with clinic.unit_of_work() as uow:
        rows = stock.stock(uow, nurse(actors))
        assert [b.batch_number for b in stock.stock(uow, nurse(actors), vaccine="hepa")] == ["LATER"]
    assert [(b.batch_number, b.expires_soon) for b in rows] == [("SOON", True), ("LATER", False)]
    assert rows[0].warning == "Expires 20 December 2026"


def test_batch_checks(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        product = stock.add_product(uow, nurse(actors), stock.AddProduct("Engerix B", "hepb")).id
        with pytest.raises(ValueError, match="at least 1"):
            stock.receive_batch(uow, nurse(actors), stock.ReceiveBatch(product, "X", date(2027, 1, 1), 0, TODAY))
        with pytest.raises(ValueError, match="before it was received"):
            stock.receive_batch(uow, nurse(actors), stock.ReceiveBatch(product, "X", date(2026, 1, 1), 5, TODAY))


@pytest.mark.parametrize("role", [Role.PROBATION, Role.RECEPTION, Role.ADMIN])
def test_no_vaccination_read_or_write_for_other_roles(clinic: Clinic, actors: dict[Role, Actor], role: Role) -> None:
    person = add_person(clinic)
    batch = add_batch(clinic, nurse(actors))
    course = start(clinic, nurse(actors), person)
    dose_id = dose(clinic, nurse(actors), person, course, batch, TODAY).id
    actor = actors[role]
    reads = [
        lambda uow: vs.overview(uow, actor, person),
        lambda uow: vs.doses_due_this_week(uow, actor),
        lambda uow: vs.doses_overdue(uow, actor),
        lambda uow: vs.anti_hbs_due(uow, actor),
        lambda uow: vs.vaccination_outstanding(uow, actor, person),
        lambda uow: vs.vaccination_due_letter(uow, actor, person),
        lambda uow: stock.stock(uow, actor),
        lambda uow: stock.products(uow, actor),
    ]
    writes = [
        lambda uow: vs.start_course(uow, actor, vs.StartCourse(person, "hepa", TODAY)),
        lambda uow: vs.record_dose(uow, actor, vs.RecordDose(person, batch, TODAY, "x", "y", True, course)),
        lambda uow: vs.edit_dose(uow, actor, vs.EditDose(dose_id, TODAY, batch, "x", "y")),
        lambda uow: vs.void_dose(uow, actor, vs.VoidDose(dose_id, "x")),
        lambda uow: vs.stop_course(uow, actor, vs.StopCourse(course, "x")),
        lambda uow: vs.record_anti_hbs(uow, actor, vs.RecordAntiHbs(person, TODAY, 50)),
        lambda uow: stock.add_product(uow, actor, stock.AddProduct("x", "hepb")),
        lambda uow: stock.receive_batch(uow, actor, stock.ReceiveBatch(1, "x", TODAY, 1, TODAY)),
    ]
    for call in reads + writes:
        with clinic.unit_of_work() as uow, pytest.raises(PermissionDenied):
            call(uow)
