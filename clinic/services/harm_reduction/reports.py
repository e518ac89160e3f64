"""Quarterly harm-reduction counts (seed 002 MI 15, seed 000 §15): counts only.

Every figure is one aggregate query over an indexed date column; the items
by type join the quarter's visits on ``ix_nsp_visit_items_visit``.

- **People** are counted distinctly: registered people by record, and
  pseudonymous visitors by code (the same person giving the same initials,
  date of birth and gender is one code).
- **Return rate** is in needles: loose items returned plus each returned
  sharps bin counted as ``nsp.needles_per_returned_bin`` needles, over the
  needles issued in the quarter (a pack counts the needles it holds).
- Naloxone **kits supplied** count by supply date, **reported used** by the
  date the kit was used; AUDIT-C screens by screening date.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, distinct, func, select

from clinic import nsp
from clinic.permissions import Actor, Permission, require
from clinic.safe_storage import nhs_quarter
from clinic.uow import UnitOfWork
from db.tables.harm_reduction import (
    AlcoholScreen,
    BriefIntervention,
    NaloxoneSupply,
    NaloxoneUse,
    NspVisit,
    NspVisitItem,
    OverdoseTraining,
)


@dataclass(frozen=True)
class CountLine:
    key: str
    label: str
    value: float | None  # None: nothing to measure (a rate with nothing issued)
    shown: str


@dataclass(frozen=True)
class HarmReductionReport:
    quarter_label: str
    quarter_start: date
    quarter_end: date
    generated_at: datetime
    lines: tuple[CountLine, ...]

    def value(self, key: str) -> float | None:
        return next(line.value for line in self.lines if line.key == key)


def _count(key: str, label: str, n: int | None) -> CountLine:
    n = int(n or 0)
    return CountLine(key, label, float(n), f"{n:,}")


def quarterly_counts(uow: UnitOfWork, actor: Actor, quarter_start: date) -> HarmReductionReport:
    """The counts for the NHS quarter containing ``quarter_start``; audited as viewed."""
    require(actor, Permission.REPORTS_READ)
    quarter = nhs_quarter(quarter_start)
    run = uow.session.execute
    in_quarter = NspVisit.visited_on.between(quarter.start, quarter.end)
    visits, named, coded, needles, bins, loose, young = run(select(
        func.count(), func.count(distinct(NspVisit.person_id)), func.count(distinct(NspVisit.pseudonym)),
        func.sum(NspVisit.needles_issued), func.sum(NspVisit.bins_returned), func.sum(NspVisit.loose_returned),
        func.sum(NspVisit.under_18.cast(Integer))).where(in_quarter)).one()
    by_type = dict(run(select(NspVisitItem.item_type, func.sum(NspVisitItem.quantity))
                       .join(NspVisit, NspVisit.id == NspVisitItem.visit_id).where(in_quarter)
                       .group_by(NspVisitItem.item_type)).all())
    needles, bins, loose = int(needles or 0), int(bins or 0), int(loose or 0)
    returned = loose + bins * uow.settings["nsp.needles_per_returned_bin"]
    rate = nsp.return_rate(returned, needles)
    supplied = run(select(func.count()).select_from(NaloxoneSupply)
                   .where(NaloxoneSupply.supplied_on.between(quarter.start, quarter.end))).scalar_one()
    used = run(select(func.count()).select_from(NaloxoneUse)
               .where(NaloxoneUse.used_on.between(quarter.start, quarter.end))).scalar_one()
    trained = run(select(func.count()).select_from(OverdoseTraining)
                  .where(OverdoseTraining.trained_on.between(quarter.start, quarter.end))).scalar_one()
    screens, positives, full = run(select(
        func.count(), func.sum(AlcoholScreen.audit_c_positive.cast(Integer)), func.count(AlcoholScreen.audit_score))
        .where(AlcoholScreen.screened_on.between(quarter.start, quarter.end))).one()
    interventions = dict(run(select(BriefIntervention.kind, func.count())
                             .where(BriefIntervention.given_on.between(quarter.start, quarter.end))
                             .group_by(BriefIntervention.kind)).all())
    bi_people = run(select(func.count(distinct(BriefIntervention.person_id)))
                    .where(BriefIntervention.given_on.between(quarter.start, quarter.end))).scalar_one()

    lines = [
        _count("nsp_visits", "NSP visits", visits),
        _count("nsp_people_named", "People using the NSP: registered", named),
        _count("nsp_people_pseudonymous", "People using the NSP: pseudonymous codes", coded),
        *(_count(f"items_{t}", f"Issued: {label.lower()}", by_type.get(t)) for t, (label, _) in nsp.ITEM_TYPES.items()),
        _count("needles_issued", "Needles issued (packs counted by contents)", needles),
        _count("bins_returned", "Sharps bins returned", bins),
        _count("loose_returned", "Loose items returned", loose),
        CountLine("return_rate", "Return rate (needles)", rate,
                  "—" if rate is None else f"{rate:.0f}% ({returned:,} of {needles:,})"),
        _count("under_18_visits", "Under-18 visits", young),
        _count("kits_supplied", "Naloxone kits supplied", supplied),
        _count("kits_used", "Naloxone kits reported used", used),
        _count("overdose_training", "Overdose-awareness training given", trained),
        _count("audit_c_screens", "AUDIT-C screens", screens),
        _count("audit_c_positive", "AUDIT-C positive", positives),
        _count("full_audits", "Full AUDITs", full),
        _count("alcohol_interventions", "Alcohol brief interventions", interventions.get("alcohol")),
        _count("drug_interventions", "Drug brief interventions", interventions.get("drug")),
        _count("intervention_people", "People receiving a brief intervention (drugs or alcohol)", bi_people),
    ]
    uow.audit(actor, "report.viewed", "report", f"harm reduction {quarter.label}")
    return HarmReductionReport(quarter.label, quarter.start, quarter.end, uow.clock.now(), tuple(lines))


def export_csv(uow: UnitOfWork, actor: Actor, report: HarmReductionReport) -> str:
    """The counts as CSV (never a name or a code). Audited."""
    require(actor, Permission.REPORTS_READ)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["quarter", "from", "to", "measure", "label", "value", "shown"])
    for line in report.lines:
        writer.writerow([report.quarter_label, report.quarter_start.isoformat(), report.quarter_end.isoformat(),
                         line.key, line.label, "" if line.value is None else f"{line.value:g}", line.shown])
    uow.audit(actor, "report.exported", "report", f"harm reduction {report.quarter_label}",
              changes={"rows": [None, len(report.lines)]})
    return out.getvalue()
