"""The quarterly management-information report (DESIGN §4 "Reports", seed 002).

What each figure means is written once, in ``clinic.reports.KPIS`` (and
shown on the report page); this module only counts. Every query is plain
SQLAlchemy (no SQLite date functions, no sums of booleans) so the report
runs unchanged on SQLite and PostgreSQL (``db.dialect.day_of`` is the one
construct spelled per back end). The counts are aggregates in the database.
A difference of two times has no portable SQL form, so the medians are
measured here: booking lead times from the database's count of bookings per
(appointment day, booking day), drop-in waits from the quarter's called
arrivals (a handful a day).

**In treatment in the quarter** (``clinic.reports.IN_TREATMENT``): anyone
on the register (not a merged-away duplicate) with a recorded contact
dated in the quarter: ``CONTACTS`` below lists them. Whether they were
offered, vaccinated or tested is then judged on everything recorded up to
the quarter's last day.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, union
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import ColumnElement, FromClause, Select, Subquery

from clinic import reports as rules
from clinic import vaccines
from clinic.appointment_status import HOLDS_SLOT, OUTCOMES, AppointmentStatus
from clinic.bbv import EventKind, Virus
from clinic.clock import SITE_TZ
from clinic.drop_in import QueueStatus
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.probation import NotificationKind, NotificationStatus, Outcome
from clinic.safe_storage import HANDED_OVER, nhs_quarter
from clinic.uow import UnitOfWork
from db.dialect import day_of
from db.tables.appointments import Appointment, QueueEntry
from db.tables.bbv import BbvEvent
from db.tables.ost import OstPrescription, OstReview
from db.tables.people import Person
from db.tables.probation import Attendance, DrrOrder, Notification
from db.tables.safe_storage import SafeStorageEvent
from db.tables.vaccination import VaccineCourse, VaccineDose, VaccineOffer


#: An HCV test offered, whatever the answer.
_HCV_OFFERED = (EventKind.OFFERED, EventKind.DECLINED, EventKind.TESTED)


@dataclass(frozen=True)
class KpiLine:
    key: str
    label: str
    kind: rules.Kind
    numerator: int  # for a median: the value (rounded); for a count: the count
    denominator: int  # for a median: how many were measured
    value: float | None  # percent, median or count; None when nothing to measure
    shown: str  # "83% (415 of 500)", "3 days (of 1,204)", "—"
    target: str  # "≥ 95%" or ""
    met: bool | None


@dataclass(frozen=True)
class KpiReport:
    quarter_label: str
    quarter_start: date
    quarter_end: date
    generated_at: datetime  # UTC
    lines: tuple[KpiLine, ...]

    def line(self, key: str) -> KpiLine:
        return next(line for line in self.lines if line.key == key)


@dataclass(frozen=True)
class _Window:
    """The quarter [start, end) in each form the tables store time in."""

    start: date
    end: date  # the day after the quarter's last
    local_start: datetime  # naive wall clock (appointments, DRR attendance)
    local_end: datetime
    utc_start: datetime  # instants (drop-in arrivals)
    utc_end: datetime

    @classmethod
    def of(cls, first: date, last: date) -> _Window:
        end = last + timedelta(days=1)
        ls, le = datetime.combine(first, time.min), datetime.combine(end, time.min)
        return cls(first, end, ls, le, ls.replace(tzinfo=SITE_TZ).astimezone(UTC),
                   le.replace(tzinfo=SITE_TZ).astimezone(UTC))


def contacts(w: _Window) -> list[Select]:  # type: ignore[type-arg]
    """Each kind of recorded contact in the quarter, as a query of person ids
    (the "in treatment" cohort is their union)."""
    return [
        select(Appointment.person_id).where(Appointment.status == AppointmentStatus.SEEN,
                                            Appointment.start >= w.local_start, Appointment.start < w.local_end),
        select(QueueEntry.person_id).where(QueueEntry.status == QueueStatus.SEEN, QueueEntry.person_id.is_not(None),
                                           QueueEntry.arrived_at >= w.utc_start, QueueEntry.arrived_at < w.utc_end),
        select(OstPrescription.person_id).where(OstPrescription.start_on < w.end, or_(
            OstPrescription.end_on.is_(None), OstPrescription.end_on >= w.start)),
        select(OstReview.person_id).where(OstReview.reviewed_on >= w.start, OstReview.reviewed_on < w.end),
        select(DrrOrder.person_id).join(Attendance, Attendance.order_id == DrrOrder.id).where(
            Attendance.outcome.in_((Outcome.ATTENDED, Outcome.ATTENDED_LATE)), Attendance.occurred_at >= w.local_start,
            Attendance.occurred_at < w.local_end),
        select(BbvEvent.person_id).where(BbvEvent.voided.is_(False), BbvEvent.event_date >= w.start,
                                         BbvEvent.event_date < w.end),
        select(VaccineDose.person_id).where(VaccineDose.voided.is_(False), VaccineDose.given_on >= w.start,
                                            VaccineDose.given_on < w.end),
        select(VaccineOffer.person_id).where(VaccineOffer.event_on >= w.start, VaccineOffer.event_on < w.end),
        select(SafeStorageEvent.person_id).where(SafeStorageEvent.kind.in_(HANDED_OVER),
                                                 SafeStorageEvent.person_id.is_not(None),
                                                 SafeStorageEvent.event_on >= w.start,
                                                 SafeStorageEvent.event_on < w.end),
    ]


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _per_person(key: ColumnElement[int] | InstrumentedAttribute[int], *columns: ColumnElement[Any],
                where: Iterable[ColumnElement[bool]] = ()) -> Subquery:
    """One row per person (``key``) for the rows ``where`` selects, with the
    ``columns`` aggregated over them."""
    return select(key.label("person_id"), *columns).where(*where).group_by(key).subquery()


def _hep_b_and_hcv(w: _Window) -> tuple[Subquery, Subquery, Subquery, Subquery]:
    """Per person, what was recorded up to the quarter's last day: a hep B
    course (and whether its primary doses were done), hep B offers (any
    accepted; whether the latest answer was a decline), a hep B dose, and HCV
    tests offered or done (only those kinds of event are read: results and
    referrals are as many again and count for neither). Each table is read
    once, in person order, from the index migration 0018 made for it: not
    once per person in the cohort."""
    c = VaccineCourse
    courses = _per_person(c.person_id, func.max(_flag(c.primary_completed_on < w.end)).label("done"), where=(
        c.started_on < w.end, c.schedule_id.in_(vaccines.HEP_B_SCHEDULES)))
    o = VaccineOffer
    latest_first = func.row_number().over(partition_by=o.person_id, order_by=(o.event_on.desc(), o.id.desc()))
    ranked = select(o.person_id, o.event, latest_first.label("rank")).where(
        o.vaccine == vaccines.Vaccine.HEP_B, o.event_on < w.end).subquery()
    offers = _per_person(ranked.c.person_id, func.max(_flag(ranked.c.event == "accepted")).label("accepted"),
                         func.max(_flag(and_(ranked.c.rank == 1, ranked.c.event == "declined"))).label("declined_last"))
    d = VaccineDose
    doses = _per_person(d.person_id, where=(d.vaccine.in_(vaccines.HEP_B_VACCINES), d.voided.is_(False),
                                            d.given_on < w.end))
    b = BbvEvent
    hcv = _per_person(b.person_id, func.max(_flag(b.kind == EventKind.TESTED)).label("tested"),
                      where=(b.virus == Virus.HEPATITIS_C, b.kind.in_(_HCV_OFFERED), b.voided.is_(False),
                             b.event_date < w.end))
    return courses, offers, doses, hcv


def _cohort_counts(uow: UnitOfWork, w: _Window) -> dict[str, int]:
    # Joined, not "id IN (...)": PostgreSQL guesses 200 people for an IN over
    # a union and then looks up all 36,000 (at 50,000 people) one at a time.
    contacted = union(*contacts(w)).subquery()
    cohort = select(Person.id, Person.injects).join(contacted, contacted.c.person_id == Person.id).where(
        Person.status != PersonStatus.MERGED).subquery()
    courses, offers, doses, hcv = _hep_b_and_hcv(w)
    course = courses.c.person_id.is_not(None)
    accepted = or_(course, offers.c.accepted == 1)
    injects = cohort.c.injects.is_(True)
    flags = {
        "hb_offered": or_(course, offers.c.person_id.is_not(None)),
        "hb_refused": and_(offers.c.declined_last == 1, ~course),
        "hb_accepted": accepted,
        "hb_dose": and_(accepted, doses.c.person_id.is_not(None)),
        "hb_done": and_(accepted, courses.c.done == 1),
        "injects": injects,
        "hcv_offered": and_(injects, hcv.c.person_id.is_not(None)),
        "hcv_tested": and_(injects, hcv.c.tested == 1),
    }
    joined: FromClause = cohort
    for per_person in (courses, offers, doses, hcv):
        joined = joined.outerjoin(per_person, per_person.c.person_id == cohort.c.id)
    row = uow.session.execute(select(func.count(), *(func.coalesce(func.sum(_flag(f)), 0).label(name)
                                                     for name, f in flags.items())).select_from(joined)).one()
    return {"cohort": int(row[0]), **{name: int(v) for name, v in zip(flags, row[1:], strict=True)}}


def _lead_days(uow: UnitOfWork, w: _Window) -> list[tuple[float, int]]:
    """Whole days from booking (its UTC day) to the appointment's day, for
    bookings made on or before their day (not entered after the event);
    cancellations left out. Counted in the database by (day, booking day):
    a few thousand pairs come back, not the quarter's bookings."""
    a = Appointment
    day, booked = day_of(a.start), day_of(a.created_at)  # created_at is UTC (the server's sessions run in UTC)
    rows = uow.session.execute(select(day, booked, func.count()).where(
        a.status.in_(HOLDS_SLOT), a.start >= w.local_start, a.start < w.local_end, a.past_reason == "",
        a.created_at.is_not(None)).group_by(day, booked))
    leads = (((on - booked_on).days, n) for on, booked_on, n in rows)
    return _histogram((lead, n) for lead, n in leads if lead >= 0)


def _dropin_minutes(uow: UnitOfWork, w: _Window) -> list[tuple[float, int]]:
    rows = uow.session.execute(select(QueueEntry.arrived_at, QueueEntry.called_at).where(
        QueueEntry.arrived_at >= w.utc_start, QueueEntry.arrived_at < w.utc_end, QueueEntry.called_at.is_not(None)))
    return _histogram((round((called - arrived).total_seconds() / 60), 1) for arrived, called in rows
                      if called is not None)


def _histogram(counted: Iterable[tuple[int, int]]) -> list[tuple[float, int]]:
    """(value, how many) pairs, a value's repeats added up."""
    counts: dict[int, int] = {}
    for value, n in counted:
        counts[value] = counts.get(value, 0) + n
    return [(float(v), n) for v, n in counts.items()]


def _dna(uow: UnitOfWork, w: _Window) -> tuple[int, int]:
    a = Appointment
    dna = _flag(a.status == AppointmentStatus.DNA)
    row = uow.session.execute(select(func.coalesce(func.sum(dna), 0), func.count()).where(
        a.start >= w.local_start, a.start < w.local_end, a.status.in_(OUTCOMES))).one()
    return int(row[0]), int(row[1])


def _drr_on_time(uow: UnitOfWork, w: _Window, today: date) -> tuple[int, int]:
    n = Notification
    on_time = and_(n.sent_on.is_not(None), n.sent_on <= n.due_on)
    row = uow.session.execute(select(func.coalesce(func.sum(_flag(on_time)), 0), func.count()).where(
        n.kind == NotificationKind.NON_ATTENDANCE, n.due_on >= w.start, n.due_on < w.end,
        n.status != NotificationStatus.CANCELLED, ~and_(n.status == NotificationStatus.SUPERSEDED, n.sent_on.is_(None)),
        or_(n.sent_on.is_not(None), n.due_on < today))).one()
    return int(row[0]), int(row[1])


def _boxes(uow: UnitOfWork, w: _Window) -> int:
    e = SafeStorageEvent
    return int(uow.session.execute(select(func.count()).where(
        e.kind.in_(HANDED_OVER), e.event_on >= w.start, e.event_on < w.end)).scalar_one())


def quarterly_kpis(uow: UnitOfWork, actor: Actor, quarter_start: date) -> KpiReport:
    """The KPIs for the NHS quarter containing ``quarter_start``; audited once
    as "report.viewed". Run it in a read unit of work: the audit row is
    written in a short write at its end (``clinic.uow``), where a write unit
    would hold the site's write lock for the whole report."""
    require(actor, Permission.REPORTS_READ)
    quarter = nhs_quarter(quarter_start)
    w = _Window.of(quarter.start, quarter.end)
    c = _cohort_counts(uow, w)
    dna, outcomes = _dna(uow, w)
    on_time, notifications = _drr_on_time(uow, w, uow.clock.today())
    lines = (
        _count("in_treatment", c["cohort"]),
        _pct("hepb_offered", c["hb_offered"], c["cohort"]),
        _pct("hepb_refused", c["hb_refused"], c["hb_offered"]),
        _pct("hepb_accepted", c["hb_accepted"], c["hb_offered"]),
        _pct("hepb_one_dose", c["hb_dose"], c["hb_accepted"]),
        _pct("hepb_completed", c["hb_done"], c["hb_accepted"]),
        _pct("hcv_offered_injecting", c["hcv_offered"], c["injects"]),
        _pct("hcv_test_date", c["hcv_tested"], c["injects"]),
        _median("booked_lead_days", _lead_days(uow, w), "day"),
        _median("dropin_wait_minutes", _dropin_minutes(uow, w), "minute"),
        _pct("dna_rate", dna, outcomes),
        _pct("drr_on_time", on_time, notifications),
        _count("boxes_issued", _boxes(uow, w)),
    )
    uow.audit(actor, "report.viewed", "report", f"quarterly {quarter.label}")
    return KpiReport(quarter.label, quarter.start, quarter.end, uow.clock.now(), lines)


def export_csv(uow: UnitOfWork, actor: Actor, report: KpiReport) -> str:
    """The report as CSV: counts and percentages only, never a name. Audited."""
    require(actor, Permission.REPORTS_READ)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["quarter", "from", "to", "kpi", "label", "numerator", "denominator", "value", "shown",
                     "target", "met", "definition"])
    for line in report.lines:
        kpi = rules.BY_KEY[line.key]
        value = "" if line.value is None else (f"{line.value:.1f}" if line.kind is rules.Kind.PERCENT
                                               else f"{line.value:g}")
        definition = kpi.definition
        writer.writerow([report.quarter_label, report.quarter_start.isoformat(), report.quarter_end.isoformat(),
                         line.key, line.label, line.numerator, line.denominator, value, line.shown,
                         line.target, rules.met_text(line.met), definition])
    uow.audit(actor, "report.exported", "report", f"quarterly {report.quarter_label}",
              changes={"rows": [None, len(report.lines)]})
    return out.getvalue()


def _pct(key: str, numerator: int, denominator: int) -> KpiLine:
    kpi = rules.BY_KEY[key]
    numerator, denominator = int(numerator or 0), int(denominator or 0)
    return KpiLine(key, kpi.label, kpi.kind, numerator, denominator, rules.percent(numerator, denominator),
                   rules.format_percent(numerator, denominator), kpi.target_text,
                   rules.met(kpi, numerator, denominator))


def _median(key: str, histogram: list[tuple[float, int]], unit: str) -> KpiLine:
    kpi = rules.BY_KEY[key]
    measured = sum(n for _, n in histogram)
    value = rules.median_from_histogram(histogram)
    return KpiLine(key, kpi.label, kpi.kind, 0 if value is None else round(value), measured, value,
                   rules.format_median(value, unit, measured), kpi.target_text, None)


def _count(key: str, n: int) -> KpiLine:
    kpi = rules.BY_KEY[key]
    return KpiLine(key, kpi.label, kpi.kind, int(n), 0, float(n), f"{int(n):,}", "", None)
