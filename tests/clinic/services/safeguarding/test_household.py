"""Tests for clinic.services.safeguarding.household, safeguarding_flags and safeguarding_requests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from clinic.clock import SITE_TZ
from clinic.errors import Conflict, Refused
from clinic.permissions import PermissionDenied, Role
from clinic.services.safeguarding import consent as cons
from clinic.services.harm_reduction import nsp
from clinic.services.people import records as people
from clinic.services.people import summary as people_summary
from clinic.services.ost import prescriptions as ost_svc
from clinic.services.ost import worklists as ost_work
from clinic.services.safeguarding import household as svc
from clinic.services.safeguarding import flags
from clinic.services.safeguarding import requests
from tests.conftest import NOW, add_person, run

TODAY = date(2026, 11, 23)


def read(clinic, fn, actor, *args):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        return fn(uow, actor, *args)


@pytest.fixture
def person(clinic) -> int:  # type: ignore[no-untyped-def]
    return add_person(clinic)


def child(person_id: int, **over):  # type: ignore[no-untyped-def]
    return replace(svc.RecordChild(person_id, "J", "visits", "none", TODAY, age_band="1_4"), **over)


class TestHousehold:
    def test_a_visiting_child_drives_the_safe_storage_alert(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        nurse = actors[Role.NURSE]
        with clinic.unit_of_work(write=True) as uow:
            ost_svc.start_prescription(uow, actors[Role.PRESCRIBER], ost_svc.StartPrescription(
                person_id=person, medicine="methadone", formulation="oral solution 1 mg/mL", daily_dose_mg=60,
                supervised_days=5, take_home_days=2, pharmacy_id=None, start_on=date(2026, 8, 1)))
        assert not read(clinic, ost_work.alerts, nurse, person).storage_alert
        run(clinic, svc.add_child, nurse, child(person))
        assert read(clinic, ost_work.alerts, nurse, person).storage_alert
        assert [i.person_id for i in read(clinic, ost_work.storage_alerts, nurse)] == [person]

    def test_children_pregnancy_and_hidden_harm_review(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        nurse = actors[Role.NURSE]
        run(clinic, svc.add_child, nurse, child(person, name="AB", lives="lives_with", protection="cp_plan",
                                                age_band="", date_of_birth=date(2022, 5, 1),
                                                social_worker="K. Shah, 023 8000 0000"))
        run(clinic, svc.record_pregnancy, nurse, svc.RecordPregnancy(person, True, date(2027, 4, 1),
                                                                     "Community midwife, Princess Anne"))
        view = read(clinic, svc.household, nurse, person)
        assert [(c.name, c.age, c.lives.value, c.protection.value) for c in view.children] == [
            ("AB", "age 4", "lives_with", "cp_plan")]
        assert view.pregnant and view.expected_on == date(2027, 4, 1)
        assert view.hidden_harm_review_due == date(2027, 5, 23)
        assert any("early-help" in p for p in view.prompts)
        run(clinic, svc.record_hidden_harm_review, nurse, svc.RecordHiddenHarmReview(person, TODAY))
        run(clinic, svc.record_early_help, nurse, svc.RecordEarlyHelp(person, TODAY, "declined"))
        view = read(clinic, svc.household, nurse, person)
        assert view.hidden_harm_review_due == date(2027, 5, 23) and view.early_help_outcome == "declined"
        assert not any("early-help" in p for p in view.prompts)

    @pytest.mark.parametrize(("over", "field"), [
        ({"name": " "}, "name"),
        ({"lives": ""}, "lives"),
        ({"protection": ""}, "protection"),
        ({"age_band": ""}, "age_band"),
        ({"age_band": "", "date_of_birth": date(2000, 1, 1)}, "date_of_birth"),
        ({"recorded_on": date(2026, 11, 24)}, "recorded_on"),
        ({"recorded_on": date(1980, 1, 1)}, "recorded_on"),
    ])
    def test_bad_child_refused_by_field(self, clinic, actors, person, over, field) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Refused) as caught:
            run(clinic, svc.add_child, actors[Role.NURSE], child(person, **over))
        assert caught.value.field == field

    def test_removing_a_child_needs_a_reason_and_the_current_version(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        nurse = actors[Role.NURSE]
        saved = run(clinic, svc.add_child, nurse, child(person))
        with pytest.raises(Refused) as caught:
            run(clinic, svc.remove_child, nurse, svc.RemoveChild(saved.id, 1, TODAY, ""))
        assert caught.value.field == "reason"
        with pytest.raises(Conflict):
            run(clinic, svc.remove_child, nurse, svc.RemoveChild(saved.id, 7, TODAY, "Moved away"))
        run(clinic, svc.remove_child, nurse, svc.RemoveChild(saved.id, 1, TODAY, "Moved away"))
        assert read(clinic, svc.household, nurse, person).children == ()

    def test_under_18_prompts_the_young_peoples_pathway(self, clinic, actors) -> None:  # type: ignore[no-untyped-def]
        young = add_person(clinic, "Young", date_of_birth=date(2009, 1, 1))
        assert any("young people's service" in p for p in read(clinic, svc.household, actors[Role.NURSE],
                                                                young).prompts)
        # Reception registering them sees the prompt too (from the date of birth, nothing else).
        record = read(clinic, people_summary.refresh_record, actors[Role.RECEPTION], young)
        assert "Under 18" in [c.label for c in record.chips]
        assert any("young people's service" in o.label for o in record.outstanding)


class TestFlags:
    def raise_(self, clinic, actor, person, kind="domestic_abuse", **over):  # type: ignore[no-untyped-def]
        return run(clinic, flags.raise_flag, actor, replace(
            flags.RaiseFlag(person, kind, TODAY, date(2027, 2, 23), "Partner; MARAC referral made"), **over))

    def test_closing_a_flag_without_a_reason_is_refused(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        nurse = actors[Role.NURSE]
        saved = self.raise_(clinic, nurse, person, marac_on=TODAY)
        with pytest.raises(Refused) as caught:
            run(clinic, flags.close_flag, nurse, flags.CloseFlag(saved.id, 1, TODAY, "  "))
        assert caught.value.field == "reason"
        run(clinic, flags.close_flag, nurse, flags.CloseFlag(saved.id, 1, TODAY, "Moved to a refuge out of area"))
        [row] = read(clinic, flags.person_flags, nurse, person)
        assert row.closed_on == TODAY and row.closed_reason == "Moved to a refuge out of area"
        with pytest.raises(Refused, match="already closed"):
            run(clinic, flags.close_flag, nurse, flags.CloseFlag(saved.id, 2, TODAY, "again"))

    def test_marac_date_only_on_domestic_abuse(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Refused) as caught:
            self.raise_(clinic, actors[Role.NURSE], person, kind="mappa", marac_on=TODAY)
        assert caught.value.field == "marac_on"

    def test_review_date_before_raising_refused(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Refused) as caught:
            self.raise_(clinic, actors[Role.NURSE], person, review_on=date(2026, 11, 1))
        assert caught.value.field == "review_on"

    def test_released_from_prison_prompts_overdose_risk(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        nurse = actors[Role.NURSE]
        self.raise_(clinic, nurse, person, kind="released_from_prison", detail="")
        labels = {o.label for o in read(clinic, svc.safeguarding_outstanding, nurse, person)}
        assert flags.OVERDOSE_PROMPT in labels

    def test_reception_sees_only_that_a_greeting_flag_exists(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        self.raise_(clinic, actors[Role.NURSE], person, kind="homelessness")
        reception = actors[Role.RECEPTION]
        assert read(clinic, svc.safeguarding_outstanding, reception, person) == []
        self.raise_(clinic, actors[Role.NURSE], person)
        record = read(clinic, people_summary.refresh_record, reception, person)
        labels = [c.label for c in record.chips]
        assert svc.GREETING_CHIP in labels
        shown = " ".join(labels + [o.label for o in record.outstanding]).lower()
        assert "domestic" not in shown and "marac" not in shown and "partner" not in shown
        with pytest.raises(PermissionDenied):
            read(clinic, flags.person_flags, reception, person)

    @pytest.mark.parametrize("role", [Role.PROBATION, Role.MANAGER, Role.ADMIN])
    def test_probation_manager_admin_see_no_safeguarding_content(self, clinic, actors, person, role) -> None:  # type: ignore[no-untyped-def]
        self.raise_(clinic, actors[Role.NURSE], person)
        run(clinic, svc.add_child, actors[Role.NURSE], child(person))
        actor = actors[role]
        for fn in (flags.person_flags, svc.household, requests.person_requests, cons.person_consents):
            with pytest.raises(PermissionDenied):
                read(clinic, fn, actor, person)
        if role is not Role.ADMIN:
            record = read(clinic, people_summary.refresh_record, actor, person)
            shown = " ".join([c.label for c in record.chips] + [o.label for o in record.outstanding])
            assert "Safeguarding" not in shown and "Domestic" not in shown and "visiting" not in shown

    def test_lead_view_needs_the_lead_mark(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        nurse, manager, admin = actors[Role.NURSE], actors[Role.MANAGER], actors[Role.ADMIN]
        self.raise_(clinic, nurse, person)
        with pytest.raises(Refused, match="safeguarding lead"):
            read(clinic, flags.all_open_flags, manager)
        run(clinic, flags.mark_lead, admin, flags.MarkLead(manager.staff_id, True))
        assert read(clinic, flags.leads, admin) == (manager.staff_id,)
        [row] = read(clinic, flags.all_open_flags, manager)
        assert row.person_id == person and row.kind.value == "domestic_abuse"
        with pytest.raises(Refused, match="nurse, prescriber or manager"):
            run(clinic, flags.mark_lead, admin, flags.MarkLead(actors[Role.RECEPTION].staff_id, True))


class TestRequests:
    def log(self, clinic, actor, person, urgency="urgent", at=None):  # type: ignore[no-untyped-def]
        return run(clinic, requests.log_request, actor, requests.LogRequest(
            person, "mash", "MASH screening team, J. Okoro", at or NOW, urgency))

    def test_urgent_request_is_due_two_hours_after_it_came_in(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        saved = self.log(clinic, actors[Role.NURSE], person)
        assert saved.due_at == NOW + timedelta(hours=2)

    def test_a_request_past_its_due_time_is_shown_overdue(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        nurse = actors[Role.NURSE]
        self.log(clinic, nurse, person, at=NOW - timedelta(hours=3))
        self.log(clinic, nurse, person, urgency="routine")
        due = read(clinic, requests.requests_due, nurse)
        assert [(r.urgency.value, r.overdue) for r in due] == [("urgent", True), ("routine", False)]
        assert due[1].due_at == datetime(2026, 11, 26, 17, 0, tzinfo=SITE_TZ)
        labels = [o.label for o in read(clinic, svc.safeguarding_outstanding, nurse, person)]
        assert any("(overdue)" in label for label in labels)

    def test_answering_without_consent_needs_the_override_reason(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        nurse = actors[Role.NURSE]
        saved = self.log(clinic, nurse, person, at=NOW - timedelta(hours=1))
        answer = requests.AnswerRequest(saved.id, 1, NOW, "Attendance and OST dose", "Children Act 1989 s47")
        with pytest.raises(Refused) as caught:
            run(clinic, requests.answer_request, nurse, answer)
        assert caught.value.field == "override_reason"
        run(clinic, requests.answer_request, nurse, replace(answer, override_reason="Child at risk of harm"))
        [row] = read(clinic, requests.person_requests, nurse, person)
        assert row.answered_at is not None and row.shared_by == nurse.full_name and not row.overdue
        [disclosure] = read(clinic, cons.person_consents, nurse, person).disclosures
        assert disclosure.reason == "Child at risk of harm"
        assert read(clinic, requests.requests_due, nurse) == ()

    def test_received_in_the_future_refused(self, clinic, actors, person) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Refused) as caught:
            self.log(clinic, actors[Role.NURSE], person, at=NOW + timedelta(minutes=5))
        assert caught.value.field == "received_at"


def test_the_lead_is_shown_young_people_and_the_admin_marks_leads(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    young = add_person(clinic, "Young", date_of_birth=date(2009, 2, 1))
    add_person(clinic, "Adult", date_of_birth=date(2008, 11, 23))  # 18 today
    nurse, admin = actors[Role.NURSE], actors[Role.ADMIN]
    with pytest.raises(Refused):
        read(clinic, flags.young_people, nurse)
    candidates = read(clinic, flags.lead_candidates, admin)
    assert nurse.staff_id in {c.staff_id for c in candidates} and not any(c.is_lead for c in candidates)
    assert actors[Role.RECEPTION].staff_id not in {c.staff_id for c in candidates}
    run(clinic, flags.mark_lead, admin, flags.MarkLead(nurse.staff_id, True))
    assert [(p.person_id, p.age) for p in read(clinic, flags.young_people, nurse)] == [(young, 17)]
    run(clinic, flags.mark_lead, admin, flags.MarkLead(nurse.staff_id, False))
    assert read(clinic, flags.leads, admin) == ()


class TestYoungPeopleList:
    """Issue 20: everyone under 18 at registration or at an NSP visit reaches
    the safeguarding lead's young-people list, with why they are on it."""

    @pytest.fixture
    def lead(self, clinic, actors):  # type: ignore[no-untyped-def]
        run(clinic, flags.mark_lead, actors[Role.ADMIN], flags.MarkLead(actors[Role.NURSE].staff_id, True))
        return actors[Role.NURSE]

    def visit(self, clinic, nurse, **who):  # type: ignore[no-untyped-def]
        return run(clinic, nsp.record_visit, nurse, nsp.RecordVisit(
            visited_on=who.pop("on", TODAY), items=(nsp.ItemIssued("needle", "Orange 25G 16mm", 5),),
            greater_risk_assessed=True, assessment_note="Would share otherwise", **who))

    def test_a_pseudonymous_nsp_visitor_is_listed_until_reviewed(self, clinic, actors, lead) -> None:  # type: ignore[no-untyped-def]
        done = self.visit(clinic, lead, code="KT01012010F")
        listed = read(clinic, flags.young_people, lead)
        assert [(y.person_id, y.person_name, y.age, y.reason) for y in listed] == [
            (None, "KT01012010F", 16, "NSP visit 23 November 2026")]
        run(clinic, nsp.mark_safeguarding_reviewed, lead, done.visit_id)
        assert read(clinic, flags.young_people, lead) == ()

    def test_a_named_visitor_who_has_turned_18_since_stays_until_reviewed(self, clinic, lead) -> None:  # type: ignore[no-untyped-def]
        pid = add_person(clinic, "Turned", "Eighteen", date_of_birth=date(2008, 11, 1))
        self.visit(clinic, lead, person_id=pid, on=date(2026, 10, 20))
        assert [(y.person_id, y.age, y.reason) for y in read(clinic, flags.young_people, lead)] == [
            (pid, 18, "NSP visit 20 October 2026")]

    def test_someone_registered_under_18_is_listed_and_prompted(self, clinic, actors, lead) -> None:  # type: ignore[no-untyped-def]
        with clinic.unit_of_work(write=True) as uow:
            pid = people.register(uow, actors[Role.RECEPTION], people.PersonDetails(
                surname="Young", forename="Ash", date_of_birth=date(2009, 3, 1))).person_id
        assert [(y.person_id, y.reason) for y in read(clinic, flags.young_people, lead)] == [(pid, "On the register")]
        record = read(clinic, people_summary.refresh_record, actors[Role.RECEPTION], pid)
        assert any("young people's service" in o.label for o in record.outstanding)
