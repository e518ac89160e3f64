"""Tests for clinic.services.ost.prescriptions, ost_reviews, ost_missed and ost_worklists."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from clinic.errors import Refused
from clinic.outstanding import Severity
from clinic.permissions import PermissionDenied, Role
from clinic.services.ost import prescriptions as svc
from clinic.services.ost import missed
from clinic.services.ost import reviews
from clinic.services.ost import worklists as work
from clinic.services import safe_storage as boxes
from tests.conftest import add_person

TODAY = date(2026, 11, 23)


def start(clinic, actor, person_id, **over):  # type: ignore[no-untyped-def]
    cmd = svc.StartPrescription(person_id=person_id, medicine="methadone", formulation="oral solution 1 mg/mL",
                                daily_dose_mg=60, supervised_days=6, take_home_days=1, pharmacy_id=None,
                                start_on=date(2026, 8, 1))
    with clinic.unit_of_work(write=True) as uow:
        return svc.start_prescription(uow, actor, replace(cmd, **over))


def review_cmd(person_id: int, **over):  # type: ignore[no-untyped-def]
    cmd = reviews.RecordReview(
        person_id=person_id, reviewed_on=TODAY, attendance="good", dose_adequacy="adequate", on_top_use=False,
        on_top_substances="", injecting=False, supervision_decision="continue", supervision_reason="",
        children_in_household=False, box_issued=False, box_seen=False, overdose_risk="low",
        naloxone_held=True, agreed_plan="Continue; naloxone refreshed.")
    return replace(cmd, **over)


def run(clinic, fn, *args):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        return fn(uow, *args)


@pytest.fixture
def person(clinic) -> int:  # type: ignore[no-untyped-def]
    return add_person(clinic)


def test_start_sets_first_review_from_setting(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    p = start(clinic, actors[Role.PRESCRIBER], person).prescription
    assert p.next_review_due == date(2026, 11, 1)
    assert p.prescriber_name == "Dr Priya Prescriber"


@pytest.mark.parametrize("mg", [0, -5])
def test_zero_or_negative_dose_refused(clinic, actors, person, mg) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as refused:
        start(clinic, actors[Role.PRESCRIBER], person, daily_dose_mg=mg)
    assert refused.value.field == "daily_dose_mg"


def test_high_dose_needs_confirmation(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(svc.DoseNeedsConfirmation) as warned:
        start(clinic, actors[Role.PRESCRIBER], person, daily_dose_mg=150)
    assert "120" in str(warned.value) and warned.value.field == "daily_dose_mg"
    done = start(clinic, actors[Role.PRESCRIBER], person, daily_dose_mg=150, confirm_warnings=True)
    assert done.warnings


def test_buprenorphine_warns_above_its_setting(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(svc.DoseNeedsConfirmation):
        start(clinic, actors[Role.PRESCRIBER], person, medicine="buprenorphine", daily_dose_mg=40)


def test_overlapping_prescriptions_refused(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    with pytest.raises(Refused, match="overlap") as refused:
        start(clinic, actors[Role.PRESCRIBER], person, start_on=date(2026, 10, 1))
    assert refused.value.field == "start_on"


def test_nurse_cannot_prescribe(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        start(clinic, actors[Role.NURSE], person)


@pytest.mark.parametrize("role", [Role.PROBATION, Role.RECEPTION])
def test_probation_and_reception_never_read_ost(clinic, actors, person, role) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    for fn in (svc.prescriptions, reviews.reviews, missed.missed_doses, work.ost_outstanding, work.alerts):
        with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
            fn(uow, actors[role], person)
    for wl in (work.reviews_due, work.missed_dose_alerts, work.storage_alerts):
        with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
            wl(uow, actors[role])
    with pytest.raises(PermissionDenied):
        run(clinic, reviews.record_review, actors[role], review_cmd(person))
    with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
        boxes.person_boxes(uow, actors[role], person)


def test_change_keeps_history_with_reason(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    p = start(clinic, actors[Role.PRESCRIBER], person).prescription
    cmd = svc.ChangePrescription(p.id, p.version, date(2026, 10, 1), "Craving", 70, 5, 2, None, p.formulation)
    new = run(clinic, svc.change_prescription, actors[Role.PRESCRIBER], cmd).prescription
    with clinic.unit_of_work() as uow:
        history = svc.prescriptions(uow, actors[Role.NURSE], person)
    assert [(h.daily_dose_mg, h.end_on) for h in history] == [(60, date(2026, 9, 30)), (70, None)]
    assert new.change_reason == "Craving" and new.next_review_due == p.next_review_due
    again = replace(cmd, prescription_id=new.id, version=new.version, change_on=date(2026, 11, 1))
    with pytest.raises(Refused, match="reason") as refused:
        run(clinic, svc.change_prescription, actors[Role.PRESCRIBER], replace(again, reason=" "))
    assert refused.value.field == "reason"
    with pytest.raises(Refused, match="must start after") as refused:
        run(clinic, svc.change_prescription, actors[Role.PRESCRIBER], replace(again, change_on=date(2026, 10, 1)))
    assert refused.value.field == "change_on"


def test_stop_refusals_are_said_by_their_field(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    p = start(clinic, actors[Role.PRESCRIBER], person).prescription
    cmd = svc.StopPrescription(p.id, p.version, date(2026, 11, 20), "Moved to another service")
    for bad, field in ((replace(cmd, reason=" "), "reason"), (replace(cmd, end_on=date(2026, 7, 1)), "end_on")):
        with pytest.raises(Refused) as refused:
            run(clinic, svc.stop_prescription, actors[Role.PRESCRIBER], bad)
        assert refused.value.field == field
    assert run(clinic, svc.stop_prescription, actors[Role.PRESCRIBER], cmd).prescription.end_on == date(2026, 11, 20)


def test_review_moves_next_due_and_awaits_sign_off(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    done = run(clinic, reviews.record_review, actors[Role.NURSE], review_cmd(person))
    assert done.review.next_review_on == date(2027, 2, 23)
    assert done.review.signed_off_at is None
    with clinic.unit_of_work() as uow:
        assert work.alerts(uow, actors[Role.NURSE], person).next_review_due == date(2027, 2, 23)
        assert [w.person_id for w in work.unsigned_reviews(uow, actors[Role.NURSE])] == [person]
    with pytest.raises(PermissionDenied):
        run(clinic, reviews.sign_off_review, actors[Role.NURSE], reviews.SignOffReview(done.review.id, 1))
    signed = run(clinic, reviews.sign_off_review, actors[Role.PRESCRIBER],
                 reviews.SignOffReview(done.review.id, done.review.version)).review
    assert signed.signed_off_by == "Dr Priya Prescriber"


def test_review_before_start_refused(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    with pytest.raises(Refused, match="before the prescription started") as refused:
        run(clinic, reviews.record_review, actors[Role.NURSE], review_cmd(person, reviewed_on=date(2026, 7, 31)))
    assert refused.value.field == "reviewed_on"


@pytest.mark.parametrize(("over", "field"), [
    ({"attendance": ""}, "attendance"), ({"dose_adequacy": "more"}, "dose_adequacy"),
    ({"supervision_decision": ""}, "supervision_decision"), ({"overdose_risk": ""}, "overdose_risk"),
    ({"on_top_use": True}, "on_top_substances"), ({"supervision_decision": "reduce"}, "supervision_reason"),
    ({"agreed_plan": " "}, "agreed_plan"), ({"next_review_on": TODAY}, "next_review_on"),
])
def test_review_refusals_are_said_by_their_field(clinic, actors, person, over, field) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    with pytest.raises(Refused) as refused:
        run(clinic, reviews.record_review, actors[Role.NURSE], review_cmd(person, **over))
    assert refused.value.field == field


def test_reviews_due_worklist(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)  # due 1 November: overdue
    later = add_person(clinic, "Later")
    start(clinic, actors[Role.PRESCRIBER], later, start_on=date(2026, 11, 20))
    with clinic.unit_of_work() as uow:
        items = work.reviews_due(uow, actors[Role.NURSE])
    assert [(i.person_id, i.severity) for i in items] == [(person, Severity.OVERDUE)]


def missed_days(clinic, actor, person, *days: int, month: int = 11):  # type: ignore[no-untyped-def]
    cmd = missed.RecordMissedDoses(person, tuple(date(2026, month, d) for d in days), "pharmacy", "Boots")
    return run(clinic, missed.record_missed_doses, actor, cmd)


def test_three_consecutive_missed_raise_the_alert(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    assert missed_days(clinic, actors[Role.NURSE], person, 18, 19).alert_on is None
    done = missed_days(clinic, actors[Role.NURSE], person, 20)
    assert (done.run, done.alert_on) == (3, date(2026, 11, 20))
    with clinic.unit_of_work() as uow:
        assert [i.person_id for i in work.missed_dose_alerts(uow, actors[Role.NURSE])] == [person]
        assert Severity.ALERT in {o.severity for o in work.ost_outstanding(uow, actors[Role.NURSE], person)}


def test_three_scattered_missed_do_not(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    assert missed_days(clinic, actors[Role.NURSE], person, 10, 13, 16).alert_on is None


def test_alert_cleared_only_by_prescriber_decision(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    missed_days(clinic, actors[Role.NURSE], person, 18, 19, 20)
    decision = missed.RecordDecision(person, TODAY, "reduce", "Reduce to 40 mg until seen")
    with pytest.raises(PermissionDenied):
        run(clinic, missed.record_decision, actors[Role.NURSE], decision)
    # a later non-consecutive missed dose does not clear it either
    assert missed_days(clinic, actors[Role.NURSE], person, 22).alert_on == date(2026, 11, 20)
    assert run(clinic, missed.record_decision, actors[Role.PRESCRIBER], decision).alert_on is None
    with clinic.unit_of_work() as uow:
        assert work.missed_dose_alerts(uow, actors[Role.NURSE]) == []


def test_missed_dose_bad_input(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    missed_days(clinic, actors[Role.NURSE], person, 18)
    for days, month, words in (((18,), 11, "already recorded"), ((24,), 11, "future"),
                               ((20,), 7, "before the prescription started"), ((), 11, "at least one")):
        with pytest.raises(Refused, match=words) as refused:
            missed_days(clinic, actors[Role.NURSE], person, *days, month=month)
        assert refused.value.field == "days"
    with pytest.raises(Refused) as refused:
        run(clinic, missed.record_missed_doses, actors[Role.NURSE], missed.RecordMissedDoses(person, (TODAY,), ""))
    assert refused.value.field == "reported_by"


def test_decision_refusals_are_said_by_their_field(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    start(clinic, actors[Role.PRESCRIBER], person)
    decision = missed.RecordDecision(person, TODAY, "reduce", "Reduce to 40 mg until seen")
    for over, field in (({"decision": ""}, "decision"), ({"note": ""}, "note"),
                        ({"decided_on": date(2026, 11, 24)}, "decided_on"),
                        ({"decided_on": date(2026, 7, 1)}, "decided_on")):
        with pytest.raises(Refused) as refused:
            run(clinic, missed.record_decision, actors[Role.PRESCRIBER], replace(decision, **over))
        assert refused.value.field == field


def test_storage_alert_until_a_box_is_issued(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    parent = add_person(clinic, "Parent", children_in_household=True)
    start(clinic, actors[Role.PRESCRIBER], parent, take_home_days=2, supervised_days=5)
    start(clinic, actors[Role.PRESCRIBER], person, take_home_days=2, supervised_days=5)  # no children
    nurse = actors[Role.NURSE]
    with clinic.unit_of_work() as uow:
        assert [i.person_id for i in work.storage_alerts(uow, nurse)] == [parent]
        assert work.alerts(uow, nurse, parent).storage_alert
        assert work.STORAGE_ALERT in {o.label for o in work.ost_outstanding(uow, nurse, parent)}
    run(clinic, boxes.receive_boxes, nurse, boxes.ReceiveBoxes(("B1",), date(2026, 11, 1)))
    run(clinic, boxes.issue_box, nurse, boxes.IssueBox(parent, "b1", TODAY, "children_in_household", True))
    with clinic.unit_of_work() as uow:
        assert work.storage_alerts(uow, nurse) == []
        assert not work.alerts(uow, nurse, parent).storage_alert


def test_supervised_only_has_no_storage_alert(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    parent = add_person(clinic, "Parent", children_in_household=True)
    start(clinic, actors[Role.PRESCRIBER], parent, take_home_days=0, supervised_days=7)
    with clinic.unit_of_work() as uow:
        assert work.storage_alerts(uow, actors[Role.NURSE]) == []


def test_changes_are_audited_with_changed_fields_only(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    import json

    from sqlalchemy import select

    from db.tables.audit import AuditRow

    p = start(clinic, actors[Role.PRESCRIBER], person).prescription
    cmd = svc.ChangePrescription(p.id, p.version, date(2026, 10, 1), "Craving", 70, 6, 1, None, p.formulation)
    run(clinic, svc.change_prescription, actors[Role.PRESCRIBER], cmd)
    with clinic.unit_of_work() as uow:
        rows = uow.session.execute(select(AuditRow).where(AuditRow.action == "ost.prescription_changed")).scalars()
        changes = [json.loads(r.changes) for r in rows]
    assert len(changes) == 1 and set(changes[0]) == {"daily_dose_mg", "start_on"}


def test_day_spans_are_checked(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused, match="more than 7") as refused:
        start(clinic, actors[Role.PRESCRIBER], person, supervised_days=6, take_home_days=3)
    assert refused.value.field == "take_home_days"
    with pytest.raises(Refused) as refused:
        start(clinic, actors[Role.PRESCRIBER], person, supervised_days=0, take_home_days=0)
    assert refused.value.field == "supervised_days"


def test_letter_data(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    from clinic.services.ost import letters as ost_letters

    start(clinic, actors[Role.PRESCRIBER], person)
    run(clinic, reviews.record_review, actors[Role.NURSE], review_cmd(person))
    missed_days(clinic, actors[Role.NURSE], person, 20, 21, 22)
    with clinic.unit_of_work() as uow:
        gp = ost_letters.gp_review_summary(uow, actors[Role.NURSE], person)
        notice = ost_letters.pharmacy_missed_notice(uow, actors[Role.NURSE], person)
        with pytest.raises(PermissionDenied):
            ost_letters.gp_review_summary(uow, actors[Role.PROBATION], person)
    assert ("Medication", "60 mg methadone (oral solution 1 mg/mL) daily") in gp.summary
    assert notice.missed_days == (date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22))
    assert "Do not dispense" in notice.instruction


def _audits(clinic, action: str) -> list[dict]:  # type: ignore[no-untyped-def]
    import json

    from sqlalchemy import select

    from db.tables.audit import AuditRow

    with clinic.unit_of_work() as uow:
        rows = uow.session.execute(select(AuditRow.changes).where(AuditRow.action == action)).scalars().all()
    return [r if isinstance(r, dict) else json.loads(r) for r in rows]


def test_pharmacy_edit_audits_changed_fields_only_and_refuses_a_stale_copy(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    added = run(clinic, svc.add_pharmacy, nurse, svc.AddPharmacy("Harbour Road Pharmacy", "12 Harbour Road",
                                                                  "01234 500101"))
    saved = run(clinic, svc.update_pharmacy, nurse, svc.UpdatePharmacy(
        added.id, "Harbour Road Pharmacy", "12 Harbour Road", "01234 999999", " ", "rx@nhs.net", was=added))
    assert saved.pharmacy.phone == "01234 999999" and saved.changes.touches("ost")
    assert _audits(clinic, "ost.pharmacy_changed") == [
        {"phone": ["01234 500101", "01234 999999"], "secure_email": ["", "rx@nhs.net"]}]
    again = run(clinic, svc.update_pharmacy, nurse, svc.UpdatePharmacy(
        added.id, "Harbour Road Pharmacy", "12 Harbour Road", "01234 999999", "", "rx@nhs.net"))
    assert again.message == "Nothing had changed." and len(_audits(clinic, "ost.pharmacy_changed")) == 1
    with pytest.raises(ValueError, match="Someone else changed this pharmacy"):
        run(clinic, svc.update_pharmacy, nurse, svc.UpdatePharmacy(added.id, "Harbour Rd", was=added))


def test_pharmacy_form_errors_name_their_fields(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(svc.InvalidPharmacy) as caught:
        run(clinic, svc.add_pharmacy, actors[Role.NURSE], svc.AddPharmacy("  ", secure_email="not-an-address"))
    assert set(caught.value.errors) == {"name", "secure_email"}


def test_retire_needs_confirming_says_who_is_dispensed_there_and_keeps_the_row(clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    pharmacy = run(clinic, svc.add_pharmacy, nurse, svc.AddPharmacy("Station Pharmacy"))
    start(clinic, actors[Role.PRESCRIBER], person, pharmacy_id=pharmacy.id)
    with pytest.raises(svc.RetireNeedsConfirmation, match="1 person is still dispensed there"):
        run(clinic, svc.retire_pharmacy, nurse, svc.RetirePharmacy(pharmacy.id))
    assert _audits(clinic, "ost.pharmacy_retired") == []
    retired = run(clinic, svc.retire_pharmacy, nurse, svc.RetirePharmacy(pharmacy.id, confirm=True))
    assert retired.pharmacy.active is False and "still dispensed there" in retired.message
    assert _audits(clinic, "ost.pharmacy_retired") == [{"active": [True, False]}]
    with clinic.unit_of_work() as uow:
        assert svc.pharmacies(uow, nurse) == []
        assert [p.name for p in svc.pharmacies(uow, nurse, include_retired=True)] == ["Station Pharmacy"]
        assert svc.prescriptions(uow, nurse, person)[0].pharmacy_name == "Station Pharmacy"
    with pytest.raises(ValueError, match="already retired"):
        run(clinic, svc.retire_pharmacy, nurse, svc.RetirePharmacy(pharmacy.id, confirm=True))
    other = add_person(clinic, "Newcomer")
    with pytest.raises(Refused, match="Station Pharmacy has been retired") as refused:
        start(clinic, actors[Role.PRESCRIBER], other, pharmacy_id=pharmacy.id)
    assert refused.value.field == "pharmacy_id"


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.PROBATION, Role.MANAGER])
def test_pharmacy_changes_refused_without_ost_write(clinic, actors, role) -> None:  # type: ignore[no-untyped-def]
    pharmacy = run(clinic, svc.add_pharmacy, actors[Role.NURSE], svc.AddPharmacy("Station Pharmacy"))
    with pytest.raises(PermissionDenied):
        run(clinic, svc.update_pharmacy, actors[role], svc.UpdatePharmacy(pharmacy.id, "Other"))
    with pytest.raises(PermissionDenied):
        run(clinic, svc.retire_pharmacy, actors[role], svc.RetirePharmacy(pharmacy.id, confirm=True))


def test_missed_doses_entered_after_a_decision_for_days_before_it_raise_the_alert(
        clinic, actors, person, clock) -> None:  # type: ignore[no-untyped-def]
    """UI-29 on a real site: decision on the 23rd, then the 19th-21st reported late."""
    start(clinic, actors[Role.PRESCRIBER], person)
    missed_days(clinic, actors[Role.NURSE], person, 10, 11, 12)
    run(clinic, missed.record_decision, actors[Role.PRESCRIBER],
        missed.RecordDecision(person, TODAY, "continue"))
    late = missed_days(clinic, actors[Role.NURSE], person, 19, 20, 21)
    assert late.alert_on == date(2026, 11, 21)
    with clinic.unit_of_work() as uow:
        assert [i.person_id for i in work.missed_dose_alerts(uow, actors[Role.NURSE])] == [person]
    again = run(clinic, missed.record_decision, actors[Role.PRESCRIBER],
                missed.RecordDecision(person, TODAY, "continue"))
    assert again.alert_on is None  # the new decision saw them
