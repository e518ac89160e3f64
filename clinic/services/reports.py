"""The quarterly management-information report (DESIGN §4 "Reports", seed 002).

What each figure means is written once, in ``clinic.reports.KPIS`` (and
shown on the report page); this module only counts. Every query is plain
SQLAlchemy (no SQLite date functions, no sums of booleans) so the report
runs unchanged on SQLite and PostgreSQL. The counts are aggregates in the
database; the two medians need a difference of two times, which has no
portable SQL form, so their rows (a quarter's bookings and drop-in calls:
thousands, not the register) are read and measured here.

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

from sqlalchemy import and_, case, exists, func, or_, select, union
from sqlalchemy.sql import ColumnElement, Select

from clinic import reports as rules
from clinic import vaccines
from clinic.appointment_status import CANCELLED, OUTCOMES, AppointmentStatus
from clinic.bbv import EventKind, Virus
from clinic.clock import SITE_TZ
from clinic.drop_in import QueueStatus
from clinic.people import PersonStatus
from clinic.permissions import Actor, Permission, require
from clinic.probation import NotificationKind, NotificationStatus, Outcome
from clinic.safe_storage import HANDED_OVER, nhs_quarter
from clinic.uow import UnitOfWork
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


def _cohort_counts(uow: UnitOfWork, w: _Window) -> dict[str, int]:
    cohort = union(*contacts(w)).subquery()
    p = Person
    hepb_course = and_(VaccineCourse.person_id == p.id, VaccineCourse.started_on < w.end,
                       VaccineCourse.schedule_id.in_(vaccines.HEP_B_SCHEDULES))
    course = exists().where(hepb_course)
    done = exists().where(hepb_course, VaccineCourse.primary_completed_on < w.end)
    offer = and_(VaccineOffer.person_id == p.id, VaccineOffer.vaccine == vaccines.Vaccine.HEP_B,
                 VaccineOffer.event_on < w.end)
    offered = or_(course, exists().where(offer))
    accepted = or_(course, exists().where(offer, VaccineOffer.event == "accepted"))
    later = VaccineOffer.__table__.alias("later")
    answered_since = exists().where(
        later.c.person_id == VaccineOffer.person_id, later.c.vaccine == vaccines.Vaccine.HEP_B,
        later.c.event != "declined",
        later.c.event_on < w.end, or_(later.c.event_on > VaccineOffer.event_on,
                                      and_(later.c.event_on == VaccineOffer.event_on, later.c.id > VaccineOffer.id))
    ).correlate_except(later)
    declined_last = exists().where(offer, VaccineOffer.event == "declined", ~answered_since)
    dose = exists().where(VaccineDose.person_id == p.id, VaccineDose.vaccine.in_(vaccines.HEP_B_VACCINES),
                          VaccineDose.voided.is_(False), VaccineDose.given_on < w.end)
    hcv = and_(BbvEvent.person_id == p.id, BbvEvent.virus == Virus.HEPATITIS_C, BbvEvent.voided.is_(False),
               BbvEvent.event_date < w.end)
    flags = (select(
        _flag(offered).label("hb_offered"),
        _flag(and_(declined_last, ~course)).label("hb_refused"),
        _flag(accepted).label("hb_accepted"),
        _flag(and_(accepted, dose)).label("hb_dose"),
        _flag(and_(accepted, done)).label("hb_done"),
        _flag(p.injects.is_(True)).label("injects"),
        _flag(and_(p.injects.is_(True), exists().where(hcv, BbvEvent.kind.in_(_HCV_OFFERED)))).label("hcv_offered"),
        _flag(and_(p.injects.is_(True), exists().where(hcv, BbvEvent.kind == EventKind.TESTED))).label("hcv_tested"),
    ).where(p.id.in_(select(cohort.c.person_id)),  # from the cohort, not a scan
            p.status != PersonStatus.MERGED)).subquery()
    names = [c.name for c in flags.c]
    row = uow.session.execute(select(func.count(), *(func.coalesce(func.sum(c), 0) for c in flags.c))).one()
    return {"cohort": int(row[0]), **{n: int(v) for n, v in zip(names, row[1:], strict=True)}}


def _utc_day(instant: datetime) -> date:
    return (instant.astimezone(UTC) if instant.tzinfo else instant).date()


def _lead_days(uow: UnitOfWork, w: _Window) -> list[tuple[float, int]]:
    """Whole days from booking (its UTC day) to the appointment's day, for
    bookings made on or before their day (not entered after the event);
    cancellations left out."""
    rows = uow.session.execute(select(Appointment.start, Appointment.created_at).where(
        Appointment.start >= w.local_start, Appointment.start < w.local_end,
        Appointment.status.not_in(CANCELLED), Appointment.past_reason == ""))
    days = [(start.date() - _utc_day(created)).days for start, created in rows if created is not None]
    return _histogram(d for d in days if d >= 0)


def _dropin_minutes(uow: UnitOfWork, w: _Window) -> list[tuple[float, int]]:
    rows = uow.session.execute(select(QueueEntry.arrived_at, QueueEntry.called_at).where(
        QueueEntry.arrived_at >= w.utc_start, QueueEntry.arrived_at < w.utc_end, QueueEntry.called_at.is_not(None)))
    return _histogram(round((called - arrived).total_seconds() / 60) for arrived, called in rows if called is not None)


def _histogram(values: Iterable[int]) -> list[tuple[float, int]]:
    counts: dict[int, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
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
    as "report.viewed" (the unit of work should be a write)."""
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
