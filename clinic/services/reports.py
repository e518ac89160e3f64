"""The quarterly management-information report (DESIGN §4 "Reports", seed 002).

Every figure is one small aggregate query: the database counts, Python never
walks the rows (the report has a 2 s budget on a 50,000-person site).

**In treatment in the quarter** (the cohort the clinical KPIs are "of"):
a person on the register (not a merged-away duplicate) who, between the
quarter's first and last day inclusive, was *seen* at a booked appointment
(status ``seen``), or has a blood-borne virus event (offer, decline, test,
result, ...) or a vaccine dose, not voided, dated in the quarter. Whether
they were offered, vaccinated or tested is then judged on everything recorded
up to the quarter's last day, not only within the quarter: someone offered
a hepatitis C test last year and seen this quarter has been offered one.

- Hep B **offered**: a hepatitis B offer, decline or test row, or a hepatitis
  B (or combined A and B) course; **accepted**: such a course started;
  **≥1 dose** and **completed** (primary course finished) are "of those who
  accepted" (NDTMS targets 90% and 75%).
- HCV test **offered** to people who inject (``people.injects``, target 95%):
  a hepatitis C offer, decline or test; **test date recorded**: a hepatitis C
  test taken, of the same people.
- Waiting times are medians over a histogram grouped in SQL: booked lead
  time in whole days from booking to the appointment's day (bookings made
  on or before their day, not entered after the event; cancellations left
  out); drop-in wait in minutes from arrival to being called.
- DNA rate: ``dna`` of appointments in the quarter with an attendance
  outcome (seen, DNA, left unseen).
- DRR/ATR non-attendance notifications on time: sent on or before
  ``due_on``, of those due in the quarter that are sent or already overdue
  (cancelled ones, and superseded ones never sent, are left out).
- Safe-storage boxes issued: handed out in the quarter, replacements included.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import text

from clinic import reports as rules
from clinic.permissions import Actor, Permission, require
from clinic.safe_storage import nhs_quarter
from clinic.uow import UnitOfWork


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


_HEPB_COURSE = "(v.schedule_id LIKE 'hepb%' OR v.schedule_id LIKE 'hepab%')"

# One correlated lookup per question and per person, each on an index;
# ``course`` is NULL (no hep B course), 1 (started) or 2 (primary course
# done); ``hcv`` is NULL (nothing), 0 (offered or declined) or 1 (tested).
_COHORT_SQL = f"""
WITH cohort AS (
    SELECT person_id FROM appointments WHERE status = 'seen' AND start >= :s AND start < :e
    UNION SELECT person_id FROM bbv_events WHERE NOT voided AND event_date >= :s AND event_date < :e
    UNION SELECT person_id FROM vaccine_doses WHERE NOT voided AND given_on >= :s AND given_on < :e
), flags AS MATERIALIZED (
    SELECT p.id AS pid, p.injects AS injects,
        (SELECT max(CASE WHEN v.primary_completed_on < :e THEN 2 ELSE 1 END) FROM vaccine_courses v
         WHERE v.person_id = p.id AND {_HEPB_COURSE} AND v.started_on < :e) AS course,
        CASE WHEN p.injects THEN
            (SELECT max(b.kind = 'tested') FROM bbv_events b WHERE b.person_id = p.id
             AND b.virus = 'hepatitis_c' AND b.kind IN ('offered', 'declined', 'tested')
             AND NOT b.voided AND b.event_date < :e)
        END AS hcv
    FROM cohort JOIN people p ON p.id = cohort.person_id
    WHERE p.status != 'merged'
), answers AS MATERIALIZED (
    SELECT injects, course, hcv,
        course IS NOT NULL OR EXISTS (
            SELECT 1 FROM bbv_events b WHERE b.person_id = pid AND b.virus = 'hepatitis_b'
            AND b.kind IN ('offered', 'declined', 'tested') AND NOT b.voided AND b.event_date < :e) AS hb_offered,
        course IS NOT NULL AND EXISTS (
            SELECT 1 FROM vaccine_doses d WHERE d.person_id = pid AND d.vaccine IN ('hepb', 'hepab')
            AND NOT d.voided AND d.given_on < :e) AS hb_dose
    FROM flags
)
SELECT count(*),
       coalesce(sum(hb_offered), 0), count(course), coalesce(sum(hb_dose), 0), coalesce(sum(course = 2), 0),
       coalesce(sum(injects), 0), count(hcv), coalesce(sum(hcv), 0)
FROM answers
"""

_LEAD_SQL = """
SELECT CAST(julianday(date(start)) - julianday(date(created_at)) AS INTEGER) AS days, count(*)
FROM appointments
WHERE start >= :s AND start < :e
  AND status NOT IN ('cancelled_client', 'cancelled_service')
  AND past_reason = '' AND date(created_at) <= date(start)
GROUP BY days
"""

_DROPIN_SQL = """
SELECT CAST(round((julianday(called_at) - julianday(arrived_at)) * 1440) AS INTEGER) AS minutes, count(*)
FROM queue_entries
WHERE arrived_at >= :s AND arrived_at < :e AND called_at IS NOT NULL
GROUP BY minutes
"""

_DNA_SQL = """
SELECT coalesce(sum(status = 'dna'), 0), count(*)
FROM appointments
WHERE start >= :s AND start < :e AND status IN ('seen', 'dna', 'left_unseen')
"""

_DRR_SQL = """
SELECT coalesce(sum(sent_on IS NOT NULL AND sent_on <= due_on), 0), count(*)
FROM drr_notifications
WHERE kind = 'non_attendance' AND due_on >= :s AND due_on < :e
  AND status != 'cancelled' AND NOT (status = 'superseded' AND sent_on IS NULL)
  AND (sent_on IS NOT NULL OR due_on < :today)
"""

_BOXES_SQL = """
SELECT count(*) FROM safe_storage_events
WHERE kind IN ('issued', 'replaced') AND event_on >= :s AND event_on < :e
"""


def quarterly_kpis(uow: UnitOfWork, actor: Actor, quarter_start: date) -> KpiReport:
    """The KPIs for the NHS quarter containing ``quarter_start``; audited once
    as "report.viewed" (the unit of work should be a write)."""
    require(actor, Permission.REPORTS_READ)
    quarter = nhs_quarter(quarter_start)
    s = quarter.start.isoformat()
    e = (quarter.end + timedelta(days=1)).isoformat()
    params = {"s": s, "e": e, "today": uow.clock.today().isoformat()}
    run = uow.session.execute

    (cohort, hb_offered, hb_accepted, hb_dose, hb_done,
     injects, hcv_offered, hcv_tested) = run(text(_COHORT_SQL), params).one()
    lead = [(float(d), n) for d, n in run(text(_LEAD_SQL), params).all() if d is not None]
    dropin = [(float(m), n) for m, n in run(text(_DROPIN_SQL), params).all() if m is not None]
    dna, outcomes = run(text(_DNA_SQL), params).one()
    on_time, notifications = run(text(_DRR_SQL), params).one()
    boxes = run(text(_BOXES_SQL), params).scalar_one()

    lines = (
        _count("in_treatment", cohort),
        _pct("hepb_offered", hb_offered, cohort),
        _pct("hepb_accepted", hb_accepted, hb_offered),
        _pct("hepb_one_dose", hb_dose, hb_accepted),
        _pct("hepb_completed", hb_done, hb_accepted),
        _pct("hcv_offered_injecting", hcv_offered, injects),
        _pct("hcv_test_date", hcv_tested, injects),
        _median("booked_lead_days", lead, "day"),
        _median("dropin_wait_minutes", dropin, "minute"),
        _pct("dna_rate", dna, outcomes),
        _pct("drr_on_time", on_time, notifications),
        _count("boxes_issued", boxes),
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
        definition = f"{kpi.numerator} / {kpi.denominator}" if kpi.numerator else kpi.denominator
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
