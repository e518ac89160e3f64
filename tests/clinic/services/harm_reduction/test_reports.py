"""Tests for clinic.services.harm_reduction.reports: the quarter's counts and their CSV."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from clinic.permissions import Role
from clinic.services.harm_reduction import alcohol
from clinic.services.harm_reduction import naloxone
from clinic.services.harm_reduction import nsp
from clinic.services.harm_reduction import reports as svc
from db.tables.audit import AuditRow
from tests.conftest import add_person

TODAY = date(2026, 11, 23)  # 2026/27 Q3 runs 1 October to 31 December
ORANGE = nsp.ItemIssued("needle", "Orange 25G 16mm", 10)
PACK = nsp.ItemIssued("pack", "Standard pack (10 sets)", 2)


def test_the_quarters_counts(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    nurse, manager = actors[Role.NURSE], actors[Role.MANAGER]
    named = add_person(clinic, "Named")
    young = add_person(clinic, "Young", date_of_birth=date(2009, 1, 1))
    with clinic.unit_of_work(write=True) as uow:
        visit = nsp.record_visit
        visit(uow, nurse, nsp.RecordVisit(TODAY, code="AB01011990F", items=(ORANGE, PACK), bins_returned=1))
        visit(uow, nurse, nsp.RecordVisit(TODAY, code="AB01011990F", items=(ORANGE,), loose_returned=5))
        visit(uow, nurse, nsp.RecordVisit(date(2026, 10, 1), person_id=named, items=(ORANGE,)))
        visit(uow, nurse, nsp.RecordVisit(date(2026, 9, 30), person_id=named, items=(ORANGE,)))  # last quarter
        visit(uow, nurse, nsp.RecordVisit(TODAY, person_id=young,
                                          items=(nsp.ItemIssued("needle", "Orange 25G 16mm", 5),),
                                          greater_risk_assessed=True, assessment_note="would share"))
        batch = naloxone.receive_kits(uow, nurse, naloxone.ReceiveKits("Prenoxad", "B1", date(2028, 1, 1), 5, TODAY)).id
        kit = naloxone.supply_kit(uow, nurse, naloxone.SupplyKit(named, batch, TODAY, "person", "first")).id
        naloxone.report_used(uow, nurse, naloxone.ReportUsed(kit, TODAY, True, "survived"))
        alcohol.record_screen(uow, nurse, alcohol.RecordScreen(named, TODAY, (1, 1, 1)))
        alcohol.record_screen(uow, nurse, alcohol.RecordScreen(named, TODAY, (4, 4, 4), (0,) * 7))
        alcohol.record_alcohol_intervention(uow, nurse, alcohol.RecordIntervention(named, TODAY, ("advice",)))
        alcohol.record_drug_intervention(uow, nurse, alcohol.RecordIntervention(named, TODAY, ("cbt",), 15))
    with clinic.unit_of_work(write=True) as uow:
        report = svc.quarterly_counts(uow, manager, TODAY)
        csv_text = svc.export_csv(uow, manager, report)
    assert report.quarter_label == "2026/27 Q3"
    expected = {
        "nsp_visits": 4, "nsp_people_named": 2, "nsp_people_pseudonymous": 1, "items_needle": 35, "items_pack": 2,
        "needles_issued": 55, "bins_returned": 1, "loose_returned": 5, "under_18_visits": 1, "kits_supplied": 1,
        "kits_used": 1, "audit_c_screens": 2, "audit_c_positive": 1, "full_audits": 1, "alcohol_interventions": 1,
        "drug_interventions": 1, "intervention_people": 1,
    }
    assert {k: report.value(k) for k in expected} == expected
    # a returned bin counts as 50 needles (setting): (50 + 5) / 55
    assert report.value("return_rate") == 100.0
    assert "return_rate" in csv_text and "AB01011990F" not in csv_text
    with clinic.unit_of_work() as uow:
        actions = uow.session.execute(select(AuditRow.action).where(AuditRow.entity == "report")).scalars().all()
    assert actions == ["report.viewed", "report.exported"]


def test_an_empty_quarter_has_no_return_rate(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        report = svc.quarterly_counts(uow, actors[Role.MANAGER], date(2025, 5, 1))
    assert report.value("nsp_visits") == 0 and report.value("return_rate") is None
