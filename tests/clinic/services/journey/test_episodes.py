"""The journey services against a real site: referral to discharge, with the
refusals that keep it honest. NOW is Monday 23 November 2026."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from clinic.errors import Refused
from clinic.permissions import PermissionDenied, Role
from clinic.services.journey import episodes as svc
from clinic.services.journey import plans
from clinic.services.journey import top as journey_top
from clinic.services.journey.record import journey_record
from clinic.services.journey.worklists import caseload, worklist
from db.tables.audit import AuditRow
from db.tables.journey import Episode, Referral
from tests.clinic.services.journey_fixtures import (
    complete_top,
    episode,
    record_top,
    referral,
)
from tests.clinic.services.probation_fixtures import active_order
from tests.conftest import add_person

OST = svc.NewModality("ost_prescribing", date(2026, 11, 2))


def test_reception_records_a_referral_but_not_its_reason(clinic, actors) -> None:
    pid = add_person(clinic)
    reception = actors[Role.RECEPTION]
    rid = referral(clinic, reception, pid, date(2026, 11, 19), source="self", referrer="Walked in")
    with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
        svc.record_referral(uow, reception, svc.RecordReferral(pid, date(2026, 11, 19), "gp", reason="Heroin use"))
    assert e.value.field == "reason"
    with clinic.unit_of_work() as uow:
        view = journey_record(uow, reception, pid)
        assert [r.id for r in view.referrals] == [rid] and view.episodes == ()
        # Thu 19 Nov + 3 working days = Tue 24 Nov; first intervention by 10 Dec.
        assert view.referrals[0].first_contact_due == date(2026, 11, 24)
        assert view.referrals[0].intervention_due == date(2026, 12, 10)
        actions = uow.session.execute(select(AuditRow.action).where(AuditRow.entity == "journey_referral")).scalars()
        assert list(actions) == ["journey.referral_recorded"]
    with clinic.unit_of_work(write=True) as uow, pytest.raises(PermissionDenied):
        svc.record_first_contact(uow, reception, rid, date(2026, 11, 20))


@pytest.mark.parametrize(("day", "field"), [
    (date(2026, 11, 24), "referred_on"),  # tomorrow
    (date(1980, 1, 1), "referred_on"),  # before birth (3 July 1985)
    (None, "referred_on"),
])
def test_referral_dates_are_checked(clinic, actors, day, field) -> None:
    pid = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
        svc.record_referral(uow, actors[Role.NURSE], svc.RecordReferral(pid, day, "gp"))
    assert e.value.field == field


def test_a_referral_through_to_discharge(clinic, actors) -> None:
    nurse, prescriber = actors[Role.NURSE], actors[Role.PRESCRIBER]
    pid = add_person(clinic)
    rid = referral(clinic, nurse, pid, date(2026, 10, 26), reason="Wants to stop heroin", requested="ost_prescribing")
    with clinic.unit_of_work(write=True) as uow:
        svc.record_first_contact(uow, nurse, rid, date(2026, 10, 27))
    eid = episode(clinic, nurse, pid, date(2026, 11, 2), referral_id=rid, key_worker_id=nurse.staff_id,
                  modalities=(OST, svc.NewModality("harm_reduction", date(2026, 11, 2), date(2026, 11, 2))))
    with clinic.unit_of_work() as uow:
        ep = journey_record(uow, nurse, pid).open_episode
        assert ep is not None and ep.key_worker_name == "Nadia Nurse"
        ost = next(m for m in ep.modalities if m.modality == "ost_prescribing")
        assert ost.prescribing_due == date(2026, 11, 16)  # 10 working days from Mon 2 Nov
        assert uow.session.get(Referral, rid).intervention_on == date(2026, 11, 2)  # harm reduction started
        items = {i.kind for i in worklist(uow, nurse)}
        assert items == {"prescribing", "plan", "top"}
    with clinic.unit_of_work(write=True) as uow:
        svc.start_modality(uow, prescriber, ost.id, date(2026, 11, 12))
        plans.save_plan(uow, nurse, plans.SavePlan(eid, date(2026, 11, 16), True, (
            plans.Goal("Reduce use on top", date(2027, 1, 31)),)))
    record_top(clinic, nurse, eid, "start", date(2026, 11, 2))
    with clinic.unit_of_work() as uow:
        e = uow.session.get(Episode, eid)
        assert (e.next_plan_due, e.next_top_due) == (date(2027, 2, 8), date(2027, 5, 2))
        assert worklist(uow, nurse) == []
        rows = caseload(uow, nurse, nurse.staff_id)
        assert [r.person_id for r in rows] == [pid] and "OST prescribing" in rows[0].modalities
    # Leaving OST: overdose risk and naloxone must be answered; an exit TOP is needed.
    cmd = svc.Discharge(eid, date(2026, 11, 20), "completed_drug_free")
    for fields, field in (({}, "no_exit_top_reason"), ({"no_exit_top_reason": "x"}, "overdose_risk_discussed"),
                          ({"no_exit_top_reason": "x", "overdose_risk_discussed": True}, "naloxone_offered")):
        with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
            svc.discharge(uow, nurse, cmd.__class__(**(cmd.__dict__ | fields)))
        assert e.value.field == field
    record_top(clinic, nurse, eid, "exit", date(2026, 11, 20))
    with clinic.unit_of_work(write=True) as uow:
        svc.discharge(uow, nurse, svc.Discharge(eid, date(2026, 11, 20), "completed_drug_free", True, True, True))
    with clinic.unit_of_work() as uow:
        e = uow.session.get(Episode, eid)
        assert e.ended_on == date(2026, 11, 20) and e.next_top_due is None and e.naloxone_accepted
        assert worklist(uow, nurse) == []
    # Back within 6 months of a successful completion: a re-presentation.
    again = episode(clinic, nurse, pid, date(2026, 11, 23))
    with clinic.unit_of_work() as uow:
        assert uow.session.get(Episode, again).re_presentation


def test_one_open_episode_at_a_time_and_key_workers_must_be_clinical(clinic, actors) -> None:
    nurse = actors[Role.NURSE]
    pid = add_person(clinic)
    eid = episode(clinic, nurse, pid, date(2026, 11, 2))
    with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
        svc.open_episode(uow, nurse, svc.OpenEpisode(pid, date(2026, 11, 3)))
    assert e.value.field == "started_on"
    with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
        svc.set_key_worker(uow, nurse, eid, actors[Role.RECEPTION].staff_id)
    assert e.value.field == "key_worker_id"
    with clinic.unit_of_work(write=True) as uow:
        svc.set_key_worker(uow, nurse, eid, actors[Role.PROBATION].staff_id)
    with clinic.unit_of_work() as uow:
        names = [k.name for k in svc.key_workers(uow, nurse)]
        assert names == ["Dr Priya Prescriber", "Nadia Nurse", "Pat Probation"]
        with pytest.raises(Refused):
            caseload(uow, nurse, actors[Role.PROBATION].staff_id)  # not a manager
        assert len(caseload(uow, actors[Role.MANAGER], actors[Role.PROBATION].staff_id)) == 1


def test_drr_prescribing_clock_runs_from_the_order(clinic, actors) -> None:
    nurse = actors[Role.NURSE]
    pid = add_person(clinic)
    order_id = active_order(clinic, actors[Role.PROBATION], pid, start=date(2026, 11, 22))  # made Mon 16 Nov
    # The DRR/ATR modality finds the person's active order by itself (as the Journey tab adds it).
    episode(clinic, nurse, pid, date(2026, 11, 17), modalities=(
        svc.NewModality("drr_atr", date(2026, 11, 17), date(2026, 11, 17)),
        svc.NewModality("ost_prescribing", date(2026, 11, 17))))
    with clinic.unit_of_work() as uow:
        [item] = worklist(uow, nurse, kinds=frozenset({"prescribing"}))
        assert item.due == date(2026, 11, 23) and "(DRR)" in item.detail  # 5 working days from Mon 16 Nov
        record = journey_record(uow, nurse, pid)
        assert {m.modality: m.prescribing_due for m in record.open_episode.modalities}["ost_prescribing"] == item.due
        from db.tables.journey import EpisodeModality

        linked = uow.session.execute(select(EpisodeModality.drr_order_id).where(
            EpisodeModality.modality == "drr_atr")).scalar()
        assert linked == order_id


def test_top_answers_are_checked_by_item_and_stages_in_order(clinic, actors) -> None:
    nurse = actors[Role.NURSE]
    pid = add_person(clinic)
    eid = episode(clinic, nurse, pid, date(2026, 11, 2))
    with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
        journey_top.record_top(uow, nurse, journey_top.RecordTop(eid, "review", date(2026, 11, 3), complete_top()))
    assert e.value.field == "stage"
    answers = complete_top()
    del answers["quality_of_life"]
    with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
        journey_top.record_top(uow, nurse, journey_top.RecordTop(eid, "start", date(2026, 11, 3), answers))
    assert e.value.field == "quality_of_life"
    tid = record_top(clinic, nurse, eid, "start", date(2026, 11, 3), injected_days=4, shared_needle=False,
                     shared_paraphernalia=True)
    with clinic.unit_of_work(write=True) as uow:
        assert journey_top.top_form(uow, nurse, tid).answers["shared_paraphernalia"] is True
        with pytest.raises(PermissionDenied):
            journey_top.top_form(uow, actors[Role.PROBATION], tid)


def test_profile_codes_and_injecting_dates(clinic, actors) -> None:
    nurse = actors[Role.NURSE]
    pid = add_person(clinic)
    bad = journey_top.Profile(pid, ethnicity="Q")
    with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
        journey_top.save_profile(uow, nurse, bad)
    assert e.value.field == "ethnicity"
    with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
        journey_top.save_profile(uow, nurse, journey_top.Profile(pid, injecting_status="previous"))
    assert e.value.field == "injecting_status_on"
    good = journey_top.Profile(pid, ethnicity="Z", religion="not_stated", primary_substance="alcohol",
                               primary_route="oral", injecting_status="never", injecting_status_on=date(2026, 11, 2))
    with clinic.unit_of_work(write=True) as uow:
        journey_top.save_profile(uow, nurse, good)
    eid = episode(clinic, nurse, pid, date(2026, 11, 2))
    with clinic.unit_of_work() as uow:
        assert journey_top.profile(uow, nurse, pid).ethnicity == "Z"
        assert uow.session.get(Episode, eid).client_type == "alcohol"
    with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
        svc.discharge(uow, nurse, svc.Discharge(eid, date(2026, 11, 20), "completed_drug_free",
                                                no_exit_top_reason="Not seen"))
    assert e.value.field == "exit_reason"  # drug free is not an alcohol client's reason


def test_plan_needs_an_answer_and_a_goal(clinic, actors) -> None:
    nurse = actors[Role.NURSE]
    pid = add_person(clinic)
    eid = episode(clinic, nurse, pid, date(2026, 11, 2))
    for cmd, field in ((plans.SavePlan(eid, date(2026, 11, 5), None, (plans.Goal("a", date(2027, 1, 1)),)),
                        "agreed_with_person"),
                       (plans.SavePlan(eid, date(2026, 11, 5), True, ()), "goals"),
                       (plans.SavePlan(eid, date(2026, 11, 5), True, (plans.Goal("a", date(2026, 11, 4)),)), "goals"),
                       (plans.SavePlan(eid, date(2026, 11, 1), True, (plans.Goal("a", date(2027, 1, 1)),)),
                        "agreed_on")):
        with clinic.unit_of_work(write=True) as uow, pytest.raises(Refused) as e:
            plans.save_plan(uow, nurse, cmd)
        assert e.value.field == field
    with clinic.unit_of_work(write=True) as uow:
        plans.save_plan(uow, nurse, plans.SavePlan(eid, date(2026, 11, 5), True, (plans.Goal("a", date(2027, 1, 1)),)))
        plans.review_plan(uow, nurse, plans.ReviewPlan(eid, date(2026, 11, 20), "Going well"))
    with clinic.unit_of_work() as uow:
        assert uow.session.get(Episode, eid).next_plan_due == date(2027, 2, 12)


def test_the_recovery_plan_prints_as_a_handout(clinic, actors, tmp_path) -> None:
    from clinic.services.letters import filing, writing as letter_writing

    nurse = actors[Role.NURSE]
    pid = add_person(clinic, no_post=True)
    eid = episode(clinic, nurse, pid, date(2026, 11, 2), key_worker_id=nurse.staff_id)
    with clinic.unit_of_work(write=True) as uow:
        with pytest.raises(Refused, match="no recovery plan"):
            letter_writing.draft(uow, nurse, pid, "recovery_plan")
        plans.save_plan(uow, nurse, plans.SavePlan(eid, date(2026, 11, 5), True, (
            plans.Goal("Register with a dentist", date(2027, 1, 31)), plans.Goal("Cut down", date(2027, 3, 1)))))
    with clinic.unit_of_work() as uow:
        data, pdf = letter_writing.draft_and_render(uow, nurse, pid, "recovery_plan")
        assert "recovery_plan" in {t.key for t in letter_writing.letter_types(nurse)}
    assert data.key_worker == "Nadia Nurse" and data.next_review_due == date(2027, 1, 28)
    assert pdf.startswith(b"%PDF") and not filing.held_if_no_post("recovery_plan")
    (tmp_path / "plan.pdf").write_bytes(pdf)
    import os
    if os.environ.get("HARBOUR_SHOTS"):
        (__import__("pathlib").Path(os.environ["HARBOUR_SHOTS"]) / "recovery-plan.pdf").write_bytes(pdf)


def test_the_record_summary_lists_what_is_due_on_the_journey(clinic, actors) -> None:
    from clinic.services.journey.worklists import journey_outstanding
    from clinic.services.people.summary import PROVIDERS

    nurse = actors[Role.NURSE]
    pid = add_person(clinic)
    episode(clinic, nurse, pid, date(2026, 10, 1))
    assert journey_outstanding in PROVIDERS
    with clinic.unit_of_work() as uow:
        items = journey_outstanding(uow, nurse, pid)
    assert [(i.label, i.due, i.severity) for i in items] == [
        ("Recovery plan or review due", date(2026, 10, 22), "overdue"), ("TOP due", date(2026, 10, 1), "overdue")]


def test_starting_ost_prescribing_links_the_prescription_in_force(clinic, actors) -> None:
    from clinic.services.ost import prescriptions as ost

    nurse, prescriber = actors[Role.NURSE], actors[Role.PRESCRIBER]
    pid = add_person(clinic)
    episode(clinic, nurse, pid, date(2026, 11, 2), modalities=(OST,))
    with clinic.unit_of_work(write=True) as uow:
        pharmacy = ost.add_pharmacy(uow, prescriber, ost.AddPharmacy("Harbour Road Pharmacy", "1 Road", "0123"))
        rx = ost.start_prescription(uow, prescriber, ost.StartPrescription(
            pid, "methadone", "oral solution 1mg/ml", 30.0, 7, 0, pharmacy.id, date(2026, 11, 10)))
        record = journey_record(uow, nurse, pid)
        modality = next(m for m in record.open_episode.modalities if m.modality == "ost_prescribing")
        svc.start_modality(uow, prescriber, modality.id, date(2026, 11, 10))
        from db.tables.journey import EpisodeModality

        assert uow.session.get(EpisodeModality, modality.id).ost_prescription_id == rx.prescription.id


def test_a_probation_key_worker_sees_the_plans_dates_not_its_words(clinic, actors) -> None:
    """DESIGN §1: the liaison never reads clinical content. A recovery goal is
    free text ("Hep C treatment" is in the demo), so it reaches only clinical staff."""
    from clinic.services.journey.record import WITHHELD

    nurse, liaison = actors[Role.NURSE], actors[Role.PROBATION]
    pid = add_person(clinic)
    eid = episode(clinic, nurse, pid, date(2026, 11, 2))
    with clinic.unit_of_work(write=True) as uow:
        plans.save_plan(uow, nurse, plans.SavePlan(eid, date(2026, 11, 5), True,
                                                   (plans.Goal("Hep C treatment", date(2027, 1, 1)),)))
        plans.review_plan(uow, nurse, plans.ReviewPlan(eid, date(2026, 11, 20), "Started hepatitis C tablets"))
    with clinic.unit_of_work() as uow:
        theirs = journey_record(uow, liaison, pid).open_episode
        ours = journey_record(uow, nurse, pid).open_episode
    assert theirs is not None and theirs.plan is not None and ours is not None and ours.plan is not None
    assert [(g.goal, g.target_on) for g in theirs.plan.goals] == [(WITHHELD, date(2027, 1, 1))]
    assert [r.notes for r in theirs.plan.reviews] == [WITHHELD]
    assert [g.goal for g in ours.plan.goals] == ["Hep C treatment"]
    assert [r.notes for r in ours.plan.reviews] == ["Started hepatitis C tablets"]


def test_only_clinical_staff_write_the_plan_they_alone_can_read(clinic, actors) -> None:
    """A liaison shown "(for clinical staff)" must not save it back over the goals."""
    nurse, liaison = actors[Role.NURSE], actors[Role.PROBATION]
    eid = episode(clinic, nurse, add_person(clinic), date(2026, 11, 2))
    with clinic.unit_of_work(write=True) as uow, pytest.raises(PermissionDenied):
        plans.save_plan(uow, liaison, plans.SavePlan(eid, date(2026, 11, 5), True,
                                                     (plans.Goal("a", date(2027, 1, 1)),)))
    with clinic.unit_of_work(write=True) as uow, pytest.raises(PermissionDenied):
        plans.review_plan(uow, liaison, plans.ReviewPlan(eid, date(2026, 11, 20), "Going well"))
