"""Vaccination courses, doses, single vaccines, anti-HBs and recall worklists.

Plans come from ``clinic.vaccines.plan_course``; nothing is booked. The
course row stores what the worklists need (``next_dose_number``,
``next_due``, ``primary_completed_on``, ``anti_hbs_pending``) and
``_replan`` recomputes it from the doses given every time a dose of the
course is recorded, edited or voided, so "due this week", "overdue" and
"anti-HBs due" are index range scans on the course table, not a replay of
every course in Python.

Corrections are edits and voids, audited with the changed fields; a dose is
never deleted. Probation liaison and reception hold no vaccination
permission: every function refuses them first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import InstrumentedAttribute

from clinic import vaccines
from clinic.changes import Area, Changes
from clinic.dates import end_of_week, uk_long
from clinic.errors import Refused, refused_as
from clinic.outstanding import Outstanding, Severity
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.services import worklists
from clinic.services.people.register import on_register
from clinic.services.vaccination.stock import VACCINE_LABELS
from clinic.services.worklists import WORKLIST_LIMIT, Worklist, bounded, listed_name
from clinic.uow import UnitOfWork, changed_fields
from clinic.validation import check_date
from db.tables.people import Person
from db.tables.staff import Staff
from db.tables.vaccination import (
    AntiHbsResult,
    VaccineBatch,
    VaccineCourse,
    VaccineDose,
    VaccineProduct,
)

AREA = Area.VACCINATION
SITES = ("Left deltoid", "Right deltoid", "Left thigh", "Right thigh", "Left buttock",
         "Right buttock", "Oral", "Nasal")
ROUTES = ("Intramuscular", "Subcutaneous", "Deep subcutaneous", "Oral", "Intranasal")
NON_RESPONDER = "Non-responder: consider a repeat course of hepatitis B vaccine."
_S = vaccines.CourseStatus
ACTIVE, COMPLETED, STOPPED = _S.ACTIVE, _S.COMPLETED, _S.STOPPED


# --- commands -----------------------------------------------------------------

@dataclass(frozen=True)
class StartCourse:
    person_id: int
    schedule_id: str
    first_dose_on: date  # planned day of the first dose (today, or a later day)


@dataclass(frozen=True)
class StopCourse:
    course_id: int
    reason: str


@dataclass(frozen=True)
class RecordDose:
    """A dose of a course (``course_id``) or a single vaccine (``vaccine``)."""

    person_id: int
    batch_id: int
    given_on: date
    site: str
    route: str
    consent: bool
    course_id: int | None = None
    vaccine: str | None = None


@dataclass(frozen=True)
class EditDose:
    dose_id: int
    given_on: date
    batch_id: int
    site: str
    route: str


@dataclass(frozen=True)
class VoidDose:
    dose_id: int
    reason: str


@dataclass(frozen=True)
class RecordAntiHbs:
    person_id: int
    taken_on: date
    miu_per_ml: float


@dataclass(frozen=True)
class Saved:
    id: int
    changes: Changes
    message: str = ""


# --- views --------------------------------------------------------------------

@dataclass(frozen=True)
class DoseView:
    number: int
    due: date
    given: date | None
    state: str  # given | due | overdue | planned
    dose_id: int | None = None
    product: str = ""
    batch_number: str = ""
    site: str = ""
    route: str = ""
    given_by: str = ""


@dataclass(frozen=True)
class CourseView:
    id: int
    schedule_id: str
    label: str
    vaccine: str
    status: str
    stopped_reason: str
    doses: tuple[DoseView, ...]
    next_due: date | None
    anti_hbs_window: tuple[date, date] | None


@dataclass(frozen=True)
class SingleDoseView:
    dose_id: int
    vaccine: str
    label: str
    given: date
    product: str
    batch_number: str
    site: str
    route: str
    given_by: str


@dataclass(frozen=True)
class AntiHbsView:
    id: int
    taken_on: date
    miu_per_ml: float
    responder: bool

    @property
    def interpretation(self) -> str:
        return "Responder (10 mIU/mL or more)" if self.responder else NON_RESPONDER


@dataclass(frozen=True)
class VaccinationOverview:
    person_id: int
    date_of_birth: date
    courses: tuple[CourseView, ...]
    singles: tuple[SingleDoseView, ...]
    anti_hbs: tuple[AntiHbsView, ...]


@dataclass(frozen=True)
class WorklistRow(worklists.WorklistRow):
    course_id: int | None = None


# --- helpers ------------------------------------------------------------------


def _course(uow: UnitOfWork, course_id: int) -> VaccineCourse:
    course = uow.session.get(VaccineCourse, course_id)
    if course is None:
        raise ValueError("That course is not on the record.")
    return course


def _course_doses(uow: UnitOfWork, course_id: int) -> list[VaccineDose]:
    return list(uow.session.execute(
        select(VaccineDose).where(VaccineDose.course_id == course_id, VaccineDose.voided.is_(False))
        .order_by(VaccineDose.dose_number, VaccineDose.given_on, VaccineDose.id)
    ).scalars())


def _plan(course: VaccineCourse, given: Sequence[date], dob: date | None) -> list[vaccines.PlannedDose]:
    first = given[0] if given else course.started_on
    return vaccines.plan_course(course.schedule_id, first, given=list(given), date_of_birth=dob)


def _replan(uow: UnitOfWork, course: VaccineCourse, doses: list[VaccineDose], dob: date) -> None:
    """Recompute the stored plan fields from the doses given (see module notes).

    ``doses`` are in course order; they are renumbered 1..n.
    """
    given = [d.given_on for d in doses]
    plan = _plan(course, given, dob)
    for number, dose in enumerate(doses, start=1):
        dose.dose_number = number
    if given:
        course.started_on = given[0]
    nxt = vaccines.next_due(plan)
    completed = vaccines.primary_course_completed_on(course.schedule_id, plan)
    if course.status != STOPPED:
        course.status = COMPLETED if nxt is None else ACTIVE
    course.next_dose_number = nxt.number if nxt and course.status == ACTIVE else None
    course.next_due = nxt.due if nxt and course.status == ACTIVE else None
    course.primary_completed_on = completed
    pending = False
    if completed is not None and vaccines.SCHEDULES[course.schedule_id].vaccine.protects_against_hep_b:
        pending = uow.session.execute(
            select(func.count()).select_from(AntiHbsResult).where(
                AntiHbsResult.person_id == course.person_id, AntiHbsResult.voided.is_(False),
                AntiHbsResult.taken_on >= completed)
        ).scalar_one() == 0
    course.anti_hbs_pending = pending


def _batch(uow: UnitOfWork, batch_id: int, vaccine: str, given_on: date) -> tuple[VaccineBatch, VaccineProduct]:
    batch = uow.session.get(VaccineBatch, batch_id)
    if batch is None:
        raise Refused("Choose a batch from stock.", field="batch_id")
    product = uow.session.get(VaccineProduct, batch.product_id)
    assert product is not None
    if product.vaccine != vaccine:
        raise Refused(f"{product.name} is not a {VACCINE_LABELS.get(vaccine, vaccine)} vaccine.", field="batch_id")
    if batch.written_off_on is not None and given_on >= batch.written_off_on:
        raise Refused(f"Batch {batch.batch_number} was written off on {uk_long(batch.written_off_on)}: "
                      "choose another batch.", field="batch_id")
    with refused_as("batch_id"):
        vaccines.check_batch(batch.expiry, given_on)
    return batch, product


def _check_site_route(site: str, route: str) -> None:
    if not site.strip():
        raise Refused("Choose the injection site.", field="site")
    if not route.strip():
        raise Refused("Choose the route.", field="route")


def _changes(person_id: int) -> Changes:
    return Changes.of(AREA, Area.VACCINE_STOCK, person_id=person_id)


def _course_label(schedule_id: str) -> str:
    return vaccines.SCHEDULES[schedule_id].short_name


def _same_protection(a: vaccines.Vaccine, b: vaccines.Vaccine) -> bool:
    """Two courses of one vaccine, or both against hepatitis B (a combined A and B
    course is a hepatitis B course), cannot run at once."""
    return a == b or (a.protects_against_hep_b and b.protects_against_hep_b)


# --- writes -------------------------------------------------------------------

def start_course(uow: UnitOfWork, actor: Actor, cmd: StartCourse) -> Saved:
    """Plan every dose from the first; book nothing."""
    require(actor, Permission.VACCINATION_WRITE)
    person = on_register(uow, cmd.person_id)
    check_date(cmd.first_dose_on, field="first_dose_on", label="The first dose date",
               born=person.date_of_birth)  # before planning: year 9999 overflowed (m17)
    with refused_as("schedule_id"):  # an unknown schedule, or adults only
        plan = vaccines.plan_course(cmd.schedule_id, cmd.first_dose_on,
                                    date_of_birth=person.date_of_birth)
    vaccine = vaccines.SCHEDULES[cmd.schedule_id].vaccine
    clash = uow.session.execute(
        select(VaccineCourse.schedule_id).where(
            VaccineCourse.person_id == cmd.person_id, VaccineCourse.status == ACTIVE)
    ).scalars().all()
    if any(_same_protection(vaccines.SCHEDULES[s].vaccine, vaccine) for s in clash):
        raise ValueError("This person already has a course in progress for this vaccine: "
                         "an interrupted course is resumed, not restarted. Stop it first if "
                         "it must be replaced.")
    course = VaccineCourse(person_id=cmd.person_id, schedule_id=cmd.schedule_id,
                           started_on=cmd.first_dose_on, status=ACTIVE, next_dose_number=1,
                           next_due=plan[0].due, anti_hbs_pending=False, staff_id=actor.staff_id)
    uow.session.add(course)
    uow.session.flush()
    uow.audit(actor, "vaccination.course_started", "vaccine_course", course.id,
              person_id=cmd.person_id, changes={"schedule_id": [None, cmd.schedule_id],
                                                "started_on": [None, cmd.first_dose_on.isoformat()]})
    return Saved(course.id, _changes(cmd.person_id))


def stop_course(uow: UnitOfWork, actor: Actor, cmd: StopCourse) -> Saved:
    require(actor, Permission.VACCINATION_WRITE)
    if not cmd.reason.strip():
        raise Refused("Say why the course is stopped.", field="reason")
    course = _course(uow, cmd.course_id)
    if course.status != ACTIVE:
        raise ValueError("Only a course in progress can be stopped.")
    uow.audit(actor, "vaccination.course_stopped", "vaccine_course", course.id,
              person_id=course.person_id, changes={"status": [course.status, STOPPED],
                                                   "stopped_reason": [None, cmd.reason.strip()]})
    course.status, course.stopped_reason = STOPPED, cmd.reason.strip()
    course.next_due = course.next_dose_number = None
    return Saved(course.id, _changes(course.person_id))


def record_dose(uow: UnitOfWork, actor: Actor, cmd: RecordDose) -> Saved:
    """Record a dose given; refuses no consent, an expired or wrong batch, a
    date before birth, in the future or before the previous dose."""
    require(actor, Permission.VACCINATION_WRITE)
    if not cmd.consent:
        raise Refused("Record the person's consent before recording the dose.", field="consent")
    _check_site_route(cmd.site, cmd.route)
    person = on_register(uow, cmd.person_id)
    today = uow.clock.today()
    if cmd.course_id is not None:
        course = _course(uow, cmd.course_id)
        if course.person_id != cmd.person_id:
            raise ValueError("That course belongs to someone else.")
        if course.status != ACTIVE:
            raise ValueError("This course is not in progress: every dose is given or it was stopped.")
        vaccine: str = vaccines.SCHEDULES[course.schedule_id].vaccine
        doses = _course_doses(uow, course.id)
        previous = doses[-1].given_on if doses else None
    else:
        if cmd.vaccine not in {v.id for v in vaccines.SINGLE_VACCINES}:
            raise Refused("Choose the vaccine given.", field="vaccine")
        vaccine, course, doses, previous = cmd.vaccine, None, [], None
    with refused_as("given_on"):
        vaccines.check_dose_date(cmd.given_on, date_of_birth=person.date_of_birth,
                                 previous=previous, today=today)
    batch, product = _batch(uow, cmd.batch_id, vaccine, cmd.given_on)
    number = len(doses) + 1
    if course is None:
        number = 1 + uow.session.execute(
            select(func.count()).select_from(VaccineDose).where(
                VaccineDose.person_id == cmd.person_id, VaccineDose.vaccine == vaccine,
                VaccineDose.course_id.is_(None), VaccineDose.voided.is_(False))).scalar_one()
    dose = VaccineDose(person_id=cmd.person_id, course_id=cmd.course_id, vaccine=vaccine,
                       product_id=product.id, batch_id=batch.id, given_on=cmd.given_on,
                       dose_number=number, site=cmd.site, route=cmd.route, consent=True,
                       given_by_id=actor.staff_id, voided=False)
    uow.session.add(dose)
    if course is not None:
        _replan(uow, course, [*doses, dose], person.date_of_birth)
    batch.quantity_used += 1
    uow.session.flush()
    uow.audit(actor, "vaccination.dose_recorded", "vaccine_dose", dose.id, person_id=cmd.person_id,
              changes={"vaccine": [None, vaccine], "dose_number": [None, number],
                       "given_on": [None, cmd.given_on.isoformat()], "batch_id": [None, batch.id],
                       "site": [None, cmd.site], "route": [None, cmd.route], "consent": [None, True]})
    message = ""
    if course is not None and course.next_due is not None:
        message = f"Dose {course.next_dose_number} due {uk_long(course.next_due)}."
    return Saved(dose.id, _changes(cmd.person_id), message)


def _dose(uow: UnitOfWork, dose_id: int) -> VaccineDose:
    dose = uow.session.get(VaccineDose, dose_id)
    if dose is None or dose.voided:
        raise ValueError("That dose is not on the record (it may have been corrected).")
    return dose


def edit_dose(uow: UnitOfWork, actor: Actor, cmd: EditDose) -> Saved:
    """Correct a dose given; the rest of its course is planned again."""
    require(actor, Permission.VACCINATION_WRITE)
    _check_site_route(cmd.site, cmd.route)
    dose = _dose(uow, cmd.dose_id)
    person = on_register(uow, dose.person_id)
    with refused_as("given_on"):
        vaccines.check_dose_date(cmd.given_on, date_of_birth=person.date_of_birth, previous=None,
                                 today=uow.clock.today())
    batch, product = _batch(uow, cmd.batch_id, dose.vaccine, cmd.given_on)
    before = {"given_on": dose.given_on.isoformat(), "batch_id": dose.batch_id,
              "site": dose.site, "route": dose.route}
    after = {"given_on": cmd.given_on.isoformat(), "batch_id": batch.id,
             "site": cmd.site, "route": cmd.route}
    changes = changed_fields(before, after)
    if not changes:
        return Saved(dose.id, _changes(dose.person_id), "Nothing changed.")
    if batch.id != dose.batch_id:
        old = uow.session.get(VaccineBatch, dose.batch_id)
        if old is not None:
            old.quantity_used -= 1
        batch.quantity_used += 1
    dose.given_on, dose.batch_id, dose.product_id = cmd.given_on, batch.id, product.id
    dose.site, dose.route = cmd.site, cmd.route
    if dose.course_id is not None:
        course = _course(uow, dose.course_id)
        # Keep course order: plan_course refuses a dose moved before the one
        # it follows or after the one that follows it.
        with refused_as("given_on"):
            _replan(uow, course, _course_doses(uow, course.id), person.date_of_birth)
    uow.audit(actor, "vaccination.dose_edited", "vaccine_dose", dose.id, person_id=dose.person_id,
              changes=changes)
    return Saved(dose.id, _changes(dose.person_id))


def void_dose(uow: UnitOfWork, actor: Actor, cmd: VoidDose) -> Saved:
    """Mark a dose recorded in error; the course re-plans without it."""
    require(actor, Permission.VACCINATION_WRITE)
    if not cmd.reason.strip():
        raise Refused("Give a reason for removing the dose.", field="reason")
    dose = _dose(uow, cmd.dose_id)
    person = on_register(uow, dose.person_id)
    dose.voided, dose.void_reason = True, cmd.reason.strip()
    batch = uow.session.get(VaccineBatch, dose.batch_id)
    if batch is not None:
        batch.quantity_used -= 1
    uow.session.flush()
    if dose.course_id is not None:
        course = _course(uow, dose.course_id)
        _replan(uow, course, _course_doses(uow, course.id), person.date_of_birth)
    uow.audit(actor, "vaccination.dose_voided", "vaccine_dose", dose.id, person_id=dose.person_id,
              changes={"voided": [False, True], "void_reason": [None, cmd.reason.strip()]})
    return Saved(dose.id, _changes(dose.person_id))


def record_anti_hbs(uow: UnitOfWork, actor: Actor, cmd: RecordAntiHbs) -> Saved:
    """An anti-HBs level after hepatitis B vaccination; < 10 mIU/mL is a
    non-responder (the message says what to consider)."""
    require(actor, Permission.VACCINATION_WRITE)
    person = on_register(uow, cmd.person_id)
    with refused_as("miu_per_ml"):
        responder = vaccines.is_responder(cmd.miu_per_ml)
    if cmd.taken_on > uow.clock.today():
        raise Refused(f"The test date ({uk_long(cmd.taken_on)}) is in the future.", field="taken_on")
    if cmd.taken_on < person.date_of_birth:
        raise Refused("The test date is before the date of birth.", field="taken_on")
    course_id = uow.session.execute(
        select(VaccineCourse.id).where(
            VaccineCourse.person_id == cmd.person_id,
            VaccineCourse.primary_completed_on <= cmd.taken_on,
            VaccineCourse.schedule_id.in_(vaccines.HEP_B_SCHEDULES))
        .order_by(VaccineCourse.primary_completed_on.desc()).limit(1)).scalar()
    row = AntiHbsResult(person_id=cmd.person_id, course_id=course_id, taken_on=cmd.taken_on,
                        miu_per_ml=cmd.miu_per_ml, staff_id=actor.staff_id, voided=False)
    uow.session.add(row)
    uow.session.execute(
        update(VaccineCourse).where(VaccineCourse.person_id == cmd.person_id,
                                    VaccineCourse.anti_hbs_pending.is_(True),
                                    VaccineCourse.primary_completed_on <= cmd.taken_on)
        .values(anti_hbs_pending=False, version=VaccineCourse.version + 1))
    uow.session.flush()
    uow.audit(actor, "vaccination.anti_hbs_recorded", "anti_hbs_result", row.id,
              person_id=cmd.person_id, changes={"taken_on": [None, cmd.taken_on.isoformat()],
                                                "miu_per_ml": [None, cmd.miu_per_ml]})
    message = "Responder." if responder else NON_RESPONDER
    return Saved(row.id, _changes(cmd.person_id), message)


# --- reads --------------------------------------------------------------------

def overview(uow: UnitOfWork, actor: Actor, person_id: int) -> VaccinationOverview:
    """Courses with every dose planned / given / overdue, single vaccines and
    anti-HBs results: three queries whatever the history."""
    require(actor, Permission.VACCINATION_READ)
    person = on_register(uow, person_id)
    today = uow.clock.today()
    courses = uow.session.execute(select(VaccineCourse).where(VaccineCourse.person_id == person_id)
                                  .order_by(VaccineCourse.started_on.desc())).scalars().all()
    dose_rows = uow.session.execute(
        select(VaccineDose, VaccineProduct.name, VaccineBatch.batch_number, Staff.full_name)
        .join(VaccineProduct, VaccineProduct.id == VaccineDose.product_id)
        .join(VaccineBatch, VaccineBatch.id == VaccineDose.batch_id)
        .join(Staff, Staff.id == VaccineDose.given_by_id)
        .where(VaccineDose.person_id == person_id, VaccineDose.voided.is_(False))
        .order_by(VaccineDose.given_on, VaccineDose.dose_number)).all()
    weeks = (uow.settings["vaccines.anti_hbs_weeks_from"], uow.settings["vaccines.anti_hbs_weeks_to"])
    views = []
    for c in courses:
        mine = [r for r in dose_rows if r[0].course_id == c.id]
        mine.sort(key=lambda r: r[0].dose_number)
        plan = _plan(c, [r[0].given_on for r in mine], None)
        by_number = {r[0].dose_number: r for r in mine}
        doses = []
        for p in plan:
            if p.given is None and c.status == STOPPED:
                continue
            r = by_number.get(p.number)
            doses.append(DoseView(p.number, p.due, p.given, vaccines.dose_state(p, today=today),
                                  *((r[0].id, r[1], r[2], r[0].site, r[0].route, r[3]) if r else ())))
        window = None
        if c.anti_hbs_pending and c.primary_completed_on:
            window = vaccines.anti_hbs_window(c.primary_completed_on, weeks_from=weeks[0],
                                              weeks_to=weeks[1])
        views.append(CourseView(c.id, c.schedule_id, vaccines.SCHEDULES[c.schedule_id].label,
                                vaccines.SCHEDULES[c.schedule_id].vaccine, c.status, c.stopped_reason,
                                tuple(doses), c.next_due, window))
    singles = tuple(
        SingleDoseView(d.id, d.vaccine, VACCINE_LABELS.get(d.vaccine, d.vaccine), d.given_on,
                       product, batch_number, d.site, d.route, by)
        for d, product, batch_number, by in reversed(dose_rows) if d.course_id is None)
    results = uow.session.execute(
        select(AntiHbsResult).where(AntiHbsResult.person_id == person_id,
                                    AntiHbsResult.voided.is_(False))
        .order_by(AntiHbsResult.taken_on.desc())).scalars()
    anti = tuple(AntiHbsView(r.id, r.taken_on, r.miu_per_ml, vaccines.is_responder(r.miu_per_ml))
                 for r in results)
    return VaccinationOverview(person_id, person.date_of_birth, tuple(views), singles, anti)


# --- worklists ----------------------------------------------------------------

def _course_worklist(uow: UnitOfWork, where: Sequence[ColumnElement[bool]],
                     order: Sequence[ColumnElement[Any] | InstrumentedAttribute[Any]],
                     what: str) -> Worklist[WorklistRow]:
    base = (select(VaccineCourse.id, VaccineCourse.person_id, VaccineCourse.schedule_id,
                   VaccineCourse.next_dose_number, VaccineCourse.next_due,
                   VaccineCourse.primary_completed_on,
                   Person.surname, Person.forename, Person.date_of_birth)
            .join(Person, Person.id == VaccineCourse.person_id)
            .where(*where, Person.status == PersonStatus.OPEN))
    # LIMIT + 1 says whether more were left off without counting the range.
    rows = uow.session.execute(base.order_by(*order).limit(WORKLIST_LIMIT + 1)).all()
    out = []
    for r in rows:
        label = _course_label(r.schedule_id)
        if what == "dose":
            text, due = f"{label}: dose {r.next_dose_number}", r.next_due
        else:
            text, due = f"Anti-HBs check after {label}", r.primary_completed_on
        out.append(WorklistRow(r.person_id, listed_name(r.surname, r.forename),
                               r.date_of_birth, text, due, r.id))
    return bounded(out)


def doses_due_this_week(uow: UnitOfWork, actor: Actor) -> Worklist[WorklistRow]:
    """Next doses due from today to Sunday, soonest first."""
    require(actor, Permission.VACCINATION_READ)
    today = uow.clock.today()
    return _course_worklist(uow, [VaccineCourse.status == ACTIVE,
                                  VaccineCourse.next_due >= today,
                                  VaccineCourse.next_due <= end_of_week(today)],
                            [VaccineCourse.next_due, VaccineCourse.id], "dose")


def doses_overdue(uow: UnitOfWork, actor: Actor) -> Worklist[WorklistRow]:
    """Next doses whose day has passed, most recently overdue first (those are
    the ones a recall most often brings back)."""
    require(actor, Permission.VACCINATION_READ)
    today = uow.clock.today()
    return _course_worklist(uow, [VaccineCourse.status == ACTIVE, VaccineCourse.next_due < today],
                            [VaccineCourse.next_due.desc(), VaccineCourse.id], "dose")


def anti_hbs_due(uow: UnitOfWork, actor: Actor) -> Worklist[WorklistRow]:
    """Hep B courses complete with no anti-HBs since, whose window
    (``vaccines.anti_hbs_weeks_from`` weeks after) opens by Sunday. The row's
    ``due`` is the first day of the window."""
    require(actor, Permission.VACCINATION_READ)
    today = uow.clock.today()
    weeks_from = uow.settings["vaccines.anti_hbs_weeks_from"]
    latest_completion = end_of_week(today) - timedelta(weeks=weeks_from)
    wl = _course_worklist(uow, [VaccineCourse.anti_hbs_pending.is_(True),
                                VaccineCourse.primary_completed_on <= latest_completion],
                          [VaccineCourse.primary_completed_on.desc(), VaccineCourse.id], "anti")
    rows = tuple(WorklistRow(r.person_id, r.name, r.date_of_birth, r.what,
                             r.due + timedelta(weeks=weeks_from), r.course_id) for r in wl.rows)
    return Worklist(rows, wl.total, wl.more)


# --- outstanding and recalls ---------------------------------------------------

def vaccination_outstanding(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """Next dose of each course in progress, and an anti-HBs check due."""
    require(actor, Permission.VACCINATION_READ)
    today = uow.clock.today()
    weeks = (uow.settings["vaccines.anti_hbs_weeks_from"], uow.settings["vaccines.anti_hbs_weeks_to"])
    courses = uow.session.execute(select(VaccineCourse).where(
        VaccineCourse.person_id == person_id,
        (VaccineCourse.status == ACTIVE) | VaccineCourse.anti_hbs_pending.is_(True))).scalars()
    items = []
    for c in courses:
        label = _course_label(c.schedule_id)
        if c.status == ACTIVE and c.next_due is not None:
            severity = (Severity.OVERDUE if c.next_due < today else
                        Severity.DUE if c.next_due <= today + timedelta(days=6) else Severity.INFO)
            items.append(Outstanding(AREA, f"{label} dose {c.next_dose_number} due", c.next_due,
                                     severity))
        if c.anti_hbs_pending and c.primary_completed_on is not None:
            start, end = vaccines.anti_hbs_window(c.primary_completed_on, weeks_from=weeks[0],
                                                  weeks_to=weeks[1])
            severity = (Severity.OVERDUE if end < today else
                        Severity.DUE if start <= today else Severity.INFO)
            items.append(Outstanding(AREA, "Anti-HBs check due", start, severity))
    return items


@dataclass(frozen=True)
class RecallLetter:
    """Plain data for a recall letter; the letters engine lays it out.

    The wording is discreet on purpose: it names no vaccine, virus or result,
    because letters are opened by other people in the household. ``no_post``
    people's letters are held for collection; ``discreet_envelope`` asks for
    the plain return address.
    """

    person_id: int
    letter_type: str  # "vaccination_due" | "results_ready"
    name: str
    address_lines: tuple[str, ...]
    postcode: str
    no_post: bool
    discreet_envelope: bool
    salutation: str
    paragraphs: tuple[str, ...]
    due: date | None


def recall_letter(uow: UnitOfWork, person: Person, letter_type: str, paragraphs: tuple[str, ...],
            due: date | None) -> RecallLetter:
    called = person.preferred_name or person.forename
    phone = uow.settings["site.phone"]
    return RecallLetter(
        person.id, letter_type, f"{person.forename} {person.surname}",
        tuple(line for line in person.address_lines.splitlines() if line.strip()),
        person.postcode, person.no_post, person.discreet_envelope, f"Dear {called}",
        (*paragraphs, f"Please ring us on {phone} to arrange a time that suits you, "
                      "or drop in during opening hours."), due)


def vaccination_due_letter(uow: UnitOfWork, actor: Actor, person_id: int) -> RecallLetter:
    """"Your next vaccination is due", worded without naming the vaccine."""
    require(actor, Permission.LETTER_CLINICAL)
    require(actor, Permission.VACCINATION_READ)
    person = on_register(uow, person_id)
    due = uow.session.execute(
        select(func.min(VaccineCourse.next_due)).where(
            VaccineCourse.person_id == person_id, VaccineCourse.status == ACTIVE)).scalar()
    if due is None:
        raise ValueError("This person has no vaccination due.")
    when = "was due" if due < uow.clock.today() else "is due"
    return recall_letter(uow, person, "vaccination_due", (
        f"Your next appointment with our nurse {when} on {uk_long(due)}.",
        "It is important to come back so that the care you have started is completed.",
    ), due)
