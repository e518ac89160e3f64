"""The quarterly KPI report against a real encrypted site with a small,
known set of people: every count and percentage is exact."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from clinic.permissions import PermissionDenied, Role
from clinic.services import reports
from db.tables.appointments import Appointment, AppointmentType, QueueEntry
from db.tables.audit import AuditRow
from db.tables.bbv import BbvEvent
from db.tables.ost import OstPrescription, OstReview
from db.tables.probation import Attendance, DrrOrder, Notification
from db.tables.safe_storage import SafeStorageBox, SafeStorageEvent
from db.tables.vaccination import (
    VaccineBatch,
    VaccineCourse,
    VaccineDose,
    VaccineOffer,
    VaccineProduct,
)
from tests.conftest import add_person

# The report's SQL is SQLite's (max over booleans, boolean sums); it is being
# rewritten to portable SQLAlchemy separately (issue 16), and then this goes.


Q3 = date(2026, 10, 1)  # the fixture clock's today, 23 November 2026, is in 2026/27 Q3


def _utc(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


@pytest.fixture
def site(clinic, actors):  # type: ignore[no-untyped-def]
    """P1..P3 in treatment this quarter; P4 only did not attend; P5 seen last quarter. P6..P10 each have
    one kind of contact only: P6 an OST prescription running, P7 a drop-in visit, P8 an OST review (its
    prescription ended last quarter) and a hep B vaccination offer declined, P9 a DRR appointment attended
    and an offer first declined then accepted, P10 a safe-storage box."""
    staff = actors[Role.NURSE].staff_id
    p1 = add_person(clinic, "One", "Pat", injects=True)
    p2 = add_person(clinic, "Two", "Pat", injects=True)
    p3 = add_person(clinic, "Three", "Pat", injects=False)
    p4 = add_person(clinic, "Four", "Pat", injects=True)
    p5 = add_person(clinic, "Five", "Pat", injects=True)
    p6, p7, p8, p9, p10 = (add_person(clinic, name, "Only", injects=False)
                           for name in ("Ost", "Dropin", "Review", "Drr", "Box"))
    with clinic.unit_of_work(write=True) as uow:
        s = uow.session
        kind = AppointmentType(code="report_test", name="Key work", default_minutes=30)
        product = VaccineProduct(name="Engerix B", vaccine="hepb")
        s.add_all([kind, product])
        s.flush()
        batch = VaccineBatch(product_id=product.id, batch_number="B1", expiry=date(2028, 1, 1),
                             quantity_received=10, received_on=date(2024, 1, 1), staff_id=staff)
        s.add(batch)
        s.flush()

        def appt(pid: int, start: datetime, booked: datetime, status: str) -> Appointment:
            return Appointment(person_id=pid, clinician_id=staff, type_id=kind.id, start=start,
                               end=start.replace(minute=30), status=status, created_by=staff, created_at=booked)

        def bbv(pid: int, virus: str, kind_: str, on: date, voided: bool = False) -> BbvEvent:
            return BbvEvent(person_id=pid, virus=virus, kind=kind_, event_date=on, staff_id=staff, voided=voided)

        def course(pid: int, started: date, done: date | None) -> VaccineCourse:
            return VaccineCourse(person_id=pid, schedule_id="hepb-standard", started_on=started,
                                 status="completed" if done else "active", primary_completed_on=done,
                                 staff_id=staff)

        def dose(pid: int, course_id: int, on: date, voided: bool = False) -> VaccineDose:
            return VaccineDose(person_id=pid, course_id=course_id, vaccine="hepb", product_id=product.id,
                               batch_id=batch.id, given_on=on, dose_number=1, site="left deltoid",
                               route="intramuscular", consent=True, given_by_id=staff, voided=voided)

        c1, c3 = course(p1, date(2026, 10, 5), None), course(p3, date(2025, 1, 1), date(2025, 7, 1))
        s.add_all([
            appt(p1, datetime(2026, 10, 5, 10), _utc(2026, 9, 28), "seen"),  # lead 7 days
            appt(p2, datetime(2026, 11, 2, 10), _utc(2026, 10, 30), "seen"),  # lead 3 days
            appt(p4, datetime(2026, 10, 12, 10), _utc(2026, 10, 1), "dna"),  # lead 11 days, not seen
            appt(p4, datetime(2026, 10, 19, 10), _utc(2026, 10, 1), "cancelled_client"),
            appt(p5, datetime(2026, 9, 20, 10), _utc(2026, 9, 1), "seen"),  # last quarter
            bbv(p1, "hepatitis_c", "offered", date(2026, 10, 5)),
            bbv(p1, "hepatitis_c", "tested", date(2026, 10, 5)),
            bbv(p2, "hepatitis_b", "declined", date(2026, 11, 2)),
            bbv(p2, "hepatitis_c", "declined", date(2026, 11, 2)),
            bbv(p2, "hepatitis_c", "tested", date(2026, 11, 2), voided=True),  # a wrong entry: not a test
            bbv(p3, "hepatitis_c", "tested", date(2026, 10, 20)),  # puts P3 in treatment
            bbv(p5, "hepatitis_c", "offered", date(2026, 9, 20)),
            c1, c3,
        ])
        s.flush()
        s.add_all([dose(p1, c1.id, date(2026, 10, 5)), dose(p3, c3.id, date(2025, 1, 1))])
        s.add_all([
            QueueEntry(walk_in_name="A", arrived_at=_utc(2026, 10, 6, 9), called_at=_utc(2026, 10, 6, 9, 20),
                       status="seen", added_by=staff),
            QueueEntry(walk_in_name="B", arrived_at=_utc(2026, 10, 7, 9), called_at=_utc(2026, 10, 7, 9, 10),
                       status="seen", added_by=staff),
            QueueEntry(walk_in_name="C", arrived_at=_utc(2026, 10, 8, 9), status="left", added_by=staff),
            QueueEntry(walk_in_name="D", arrived_at=_utc(2026, 9, 8, 9), called_at=_utc(2026, 9, 8, 10),
                       status="seen", added_by=staff),
        ])
        order = DrrOrder(person_id=p2, order_type="DRR", court="Southampton", order_date=date(2026, 9, 1),
                         length_months=6, start_on=date(2026, 9, 1), expected_end=date(2027, 3, 1),
                         frequency="weekly", status="active", created_by=staff)
        s.add(order)
        s.flush()

        def note(due: date, status: str, sent: date | None) -> Notification:
            return Notification(order_id=order.id, kind="non_attendance", due_on=due, status=status, sent_on=sent)

        s.add_all([
            note(date(2026, 10, 10), "sent", date(2026, 10, 9)),  # on time
            note(date(2026, 10, 20), "sent", date(2026, 10, 22)),  # late
            note(date(2026, 11, 1), "due", None),  # overdue and unsent: late
            note(date(2026, 12, 10), "due", None),  # not yet due: not counted
            note(date(2026, 10, 15), "cancelled", None),
            note(date(2026, 9, 10), "sent", date(2026, 9, 9)),  # last quarter
        ])
        boxes = [SafeStorageBox(box_number=f"SSB-{i}", received_on=date(2026, 1, 1), status="issued")
                 for i in range(4)]
        s.add_all(boxes)
        s.flush()
        for box, kind_, on in zip(boxes, ("issued", "replaced", "issued", "returned"),
                                  (date(2026, 10, 3), date(2026, 11, 1), date(2026, 9, 30), date(2026, 10, 10)),
                                  strict=True):
            s.add(SafeStorageEvent(box_id=box.id, person_id=p1, kind=kind_, event_on=on, staff_id=staff))
        s.add(QueueEntry(person_id=p7, arrived_at=_utc(2026, 10, 9, 9), called_at=_utc(2026, 10, 9, 9, 15),
                         status="seen", added_by=staff))
        s.add(SafeStorageEvent(box_id=boxes[3].id, person_id=p10, kind="issued", event_on=date(2026, 10, 20),
                               staff_id=staff))

        def prescription(pid: int, start: date, end: date | None) -> OstPrescription:
            return OstPrescription(person_id=pid, medicine="methadone", daily_dose_mg=60, supervised_days=7,
                                   take_home_days=0, prescriber_id=staff, start_on=start, end_on=end,
                                   next_review_due=date(2026, 12, 1))

        ongoing, ended = prescription(p6, date(2026, 9, 1), None), prescription(p8, date(2026, 9, 1),
                                                                                date(2026, 9, 15))
        s.add_all([ongoing, ended])
        s.flush()
        s.add(OstReview(person_id=p8, prescription_id=ended.id, reviewed_on=date(2026, 10, 2), attendance="good",
                        dose_adequacy="adequate", supervision_decision="continue", overdose_risk="low",
                        next_review_on=date(2027, 1, 2), recorded_by_id=staff))
        drr = DrrOrder(person_id=p9, order_type="ATR", court="Southampton", order_date=date(2026, 9, 1),
                       length_months=6, start_on=date(2026, 9, 1), expected_end=date(2027, 3, 1),
                       frequency="weekly", status="active", created_by=staff)
        s.add(drr)
        s.flush()
        s.add(Attendance(order_id=drr.id, occurred_at=datetime(2026, 10, 14, 10), outcome="attended",
                         recorded_by=staff, recorded_at=_utc(2026, 10, 14)))

        def offer(pid: int, event: str, on: date, reason: str = "") -> VaccineOffer:
            return VaccineOffer(person_id=pid, vaccine="hepb", event=event, event_on=on, reason=reason,
                                staff_id=staff, recorded_at=_utc(on.year, on.month, on.day))

        s.add_all([offer(p8, "offered", date(2026, 10, 2)), offer(p8, "declined", date(2026, 10, 3), "needles"),
                   offer(p9, "declined", date(2026, 10, 1), "not now"), offer(p9, "accepted", date(2026, 10, 14))])
    return {"p1": p1, "p5": p5}


def report(clinic, actor, start=Q3):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        return reports.quarterly_kpis(uow, actor, start)


def test_exact_counts_for_a_known_quarter(clinic, actors, site) -> None:  # type: ignore[no-untyped-def]
    r = report(clinic, actors[Role.MANAGER])
    assert (r.quarter_label, r.quarter_start, r.quarter_end) == ("2026/27 Q3", date(2026, 10, 1), date(2026, 12, 31))
    shown = {line.key: line.shown for line in r.lines}
    assert shown == {
        # P1, P2, P3 and P6..P10; not P4 (did not attend) nor P5 (last quarter)
        "in_treatment": "8",
        # P1 and P3 (courses), P8 and P9 (offers); not P2, whose hep B *testing* decline is not a vaccination offer
        "hepb_offered": "50% (4 of 8)",
        "hepb_refused": "25% (1 of 4)",  # P8; P9 declined, then accepted
        "hepb_accepted": "75% (3 of 4)",  # P1, P3 (courses), P9 (accepted, no dose yet)
        "hepb_one_dose": "67% (2 of 3)",
        "hepb_completed": "33% (1 of 3)",  # P3
        "hcv_offered_injecting": "100% (2 of 2)",
        "hcv_test_date": "50% (1 of 2)",
        "booked_lead_days": "7 days (of 3)",
        "dropin_wait_minutes": "15 minutes (of 3)",  # 10, 15 and 20 minutes
        "dna_rate": "33% (1 of 3)",
        "drr_on_time": "33% (1 of 3)",
        "boxes_issued": "3",
    }
    assert r.line("hepb_refused").met is False and r.line("hepb_refused").target == "≤ 10%"
    assert r.line("hcv_offered_injecting").met is True
    assert r.line("hepb_completed").met is False
    assert r.line("hcv_test_date").met is None  # no target given


def test_last_quarter_counts_only_its_own_people(clinic, actors, site) -> None:  # type: ignore[no-untyped-def]
    r = report(clinic, actors[Role.MANAGER], date(2026, 8, 15))
    assert r.quarter_label == "2026/27 Q2"
    # P5 (seen), P1 (box issued 30 September), P6 and P8 (OST prescriptions running in September)
    assert r.line("in_treatment").numerator == 4
    assert r.line("hcv_offered_injecting").shown == "50% (1 of 2)"  # P5; P1's offer came in October
    assert r.line("boxes_issued").shown == "1"
    assert r.line("drr_on_time").shown == "100% (1 of 1)"


def test_an_empty_quarter_shows_dashes_not_zero(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    r = report(clinic, actors[Role.MANAGER])
    assert r.line("hepb_offered").shown == "—"
    assert r.line("dropin_wait_minutes").shown == "—"
    assert r.line("hepb_one_dose").met is None


def test_viewing_and_exporting_are_audited_once_each(clinic, actors, site) -> None:  # type: ignore[no-untyped-def]
    manager = actors[Role.MANAGER]
    r = report(clinic, manager)
    with clinic.unit_of_work(write=True) as uow:
        text = reports.export_csv(uow, manager, r)
    with clinic.unit_of_work() as uow:
        actions = list(uow.session.execute(select(AuditRow.action, func.count()).where(
            AuditRow.action.like("report.%")).group_by(AuditRow.action)).all())
    assert sorted(actions) == [("report.exported", 1), ("report.viewed", 1)]
    lines = text.splitlines()
    assert lines[0].startswith("quarter,from,to,kpi,label,numerator,denominator")
    assert len(lines) == 1 + len(r.lines)
    assert "Pat" not in text and "One" not in text  # counts only, never a name
    assert '"67% (2 of 3)"' in text or "67% (2 of 3)" in text


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.NURSE, Role.PROBATION, Role.ADMIN])
def test_other_roles_refused(clinic, actors, role) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        report(clinic, actors[role])
    with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
        reports.export_csv(uow, actors[role], reports.KpiReport("x", Q3, Q3, datetime.now(UTC), ()))


def test_lead_times_count_whole_days_from_the_utc_booking_day(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    """Counted in SQL per (appointment day, booking day) on both back ends:
    a booking at 23:30 UTC on 4 October (00:30 on the 5th in London) for the
    5th is one day ahead (as one made the day before in the morning); one on
    the day itself is 0 days; one entered after its day is left out."""
    staff = actors[Role.NURSE].staff_id
    pid = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow:
        kind = AppointmentType(code="lead_test", name="Key work", default_minutes=30)
        uow.session.add(kind)
        uow.session.flush()
        for start, booked in ((datetime(2026, 10, 5, 10), _utc(2026, 10, 4, 23, 30)),
                              (datetime(2026, 10, 6, 10), _utc(2026, 10, 5, 8)),
                              (datetime(2026, 10, 6, 11), _utc(2026, 10, 6, 8)),
                              (datetime(2026, 10, 7, 10), _utc(2026, 10, 9, 8))):
            uow.session.add(Appointment(person_id=pid, clinician_id=staff, type_id=kind.id, start=start,
                                        end=start.replace(minute=30), status="seen", created_by=staff,
                                        created_at=booked))
    line = report(clinic, actors[Role.MANAGER]).line("booked_lead_days")
    assert (line.value, line.denominator) == (1, 3)  # 1, 1 and 0 days; not the one entered two days late


def test_a_hep_b_refusal_is_the_latest_answer_even_on_the_same_day(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    """Two answers on one day: the one recorded later is the person's answer."""
    staff = actors[Role.NURSE].staff_id
    changed_mind, refused = add_person(clinic, "Changed"), add_person(clinic, "Refused")
    with clinic.unit_of_work(write=True) as uow:
        for pid, events in ((changed_mind, ("declined", "accepted")), (refused, ("accepted", "declined"))):
            for event in events:
                uow.session.add(VaccineOffer(person_id=pid, vaccine="hepb", event=event, event_on=date(2026, 10, 7),
                                             staff_id=staff, recorded_at=_utc(2026, 10, 7)))
                uow.session.flush()  # ids in the order recorded
    r = report(clinic, actors[Role.MANAGER])
    assert r.line("in_treatment").numerator == 2  # an offer in the quarter is a contact
    assert r.line("hepb_refused").shown == "50% (1 of 2)"
    assert r.line("hepb_accepted").shown == "100% (2 of 2)"  # both accepted at some point


@pytest.mark.sqlcipher_only  # reads SQLite's EXPLAIN QUERY PLAN
def test_the_cohort_counts_start_from_the_quarters_contacts_not_a_scan_of_everyone(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    """DESIGN §6 (report ≤ 1 s at 50,000 people): the per-person checks run
    for the quarter's cohort only, people looked up by key, never every
    person on the register tested against the cohort."""
    from sqlalchemy import event
    add_person(clinic)
    seen: list[tuple[str, object]] = []

    def keep(_c, _cur, statement, parameters, *_rest) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(clinic.site.engine, "before_cursor_execute", keep)
    try:
        with clinic.unit_of_work(write=True) as uow:
            reports.quarterly_kpis(uow, actors[Role.MANAGER], Q3)
    finally:
        event.remove(clinic.site.engine, "before_cursor_execute", keep)
    cohort = next((s, p) for s, p in seen if "hb_offered" in s)
    with clinic.site.engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + cohort[0], cohort[1])]
    assert not any(step.startswith("SCAN people") for step in plan), plan
    # each table is read once for the whole cohort, not looked up again for every person in it (issue 21)
    assert not any("CORRELATED" in step for step in plan), plan
    assert len(seen) <= 12  # one statement per figure, whatever the size of the site


@pytest.mark.sqlcipher_only  # reads SQLite's EXPLAIN QUERY PLAN
def test_the_quarters_contacts_and_lead_times_are_read_from_indexes_alone(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    """DESIGN §6 (report ≤ 1 s at 50,000 people; migration 0020): finding
    whose each contact in the quarter was, and each booking's lead time,
    reads only an index, not the table rows: the quarter's 43,000 seen
    appointments are scattered through 1,000,000, so reading their rows
    meant decrypting most of the appointments table."""
    from sqlalchemy import event
    add_person(clinic)
    seen: list[tuple[str, object]] = []

    def keep(_c, _cur, statement, parameters, *_rest) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(clinic.site.engine, "before_cursor_execute", keep)
    try:
        with clinic.unit_of_work(write=True) as uow:
            reports.quarterly_kpis(uow, actors[Role.MANAGER], Q3)
    finally:
        event.remove(clinic.site.engine, "before_cursor_execute", keep)
    statements = [next((s, p) for s, p in seen if marker in s) for marker in ("hb_offered", "date(appointments.start)")]
    read_by_range: list[str] = []
    with clinic.site.engine.connect() as conn:
        for statement, parameters in statements:
            read_by_range += [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                              if any(f"SEARCH {table} " in row[3] for table in (
                                  "appointments", "bbv_events", "vaccine_doses", "drr_attendance"))]
    assert len(read_by_range) >= 5, read_by_range  # seen appointments, BBV events, doses, attendance; lead times
    assert all("COVERING INDEX" in step for step in read_by_range), read_by_range
