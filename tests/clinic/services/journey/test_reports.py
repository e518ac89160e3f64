"""Journey KPIs and the NDTMS extract, with exact counts on a known site.

The quarter is July–September 2026. Five people:
A  referred 1 Jul, assessed 6 Jul with harm reduction started (wait 5), key
   worker, plan agreed 20 Jul (in time), start TOP 6 Jul; still in treatment.
B  referred 1 Jun, assessed 15 Jun, psychosocial started 13 Jul (wait 42),
   no key worker, no plan; dropped out 15 Sep with no exit TOP.
C  referred 10 Aug, still waiting on 30 Sep (51 days).
D  alcohol client, episode 1 Mar; start TOP 1 Mar, review TOP 25 Aug (due
   1 Sep); plan agreed 1 May, reviewed 20 Jul (due 24 Jul); exit TOP 28 Sep,
   completed alcohol free 30 Sep.
E  completed drug free 1 Mar, back 1 Aug (a re-presentation), no key worker.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from clinic.permissions import PermissionDenied, Role
from clinic.services.journey import episodes as svc
from clinic.services.journey import plans
from clinic.services.journey import top as journey_top
from clinic.services.journey.ndtms import data_quality, extract_csv
from clinic.services.journey.reports import journey_kpis
from tests.clinic.services.journey_fixtures import episode, record_top, referral
from tests.conftest import add_person

Q_START, Q_END = date(2026, 7, 1), date(2026, 9, 30)


def _discharge(clinic, actor, eid, on, reason, why=""):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        svc.discharge(uow, actor, svc.Discharge(eid, on, reason, no_exit_top_reason=why))


def _plan(clinic, actor, eid, on):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        plans.save_plan(uow, actor, plans.SavePlan(eid, on, True, (plans.Goal("Goal", date(2026, 12, 31)),)))


@pytest.fixture
def site(clinic, actors):  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    a, b, c, e = (add_person(clinic, surname=s) for s in ("Able", "Baker", "Cole", "Ellis"))
    d = add_person(clinic, surname="Dean", gender="Female")
    ra = referral(clinic, nurse, a, date(2026, 7, 1))
    ea = episode(clinic, nurse, a, date(2026, 7, 6), referral_id=ra, key_worker_id=nurse.staff_id,
                 modalities=(svc.NewModality("harm_reduction", date(2026, 7, 6), date(2026, 7, 6)),))
    _plan(clinic, nurse, ea, date(2026, 7, 20))
    record_top(clinic, nurse, ea, "start", date(2026, 7, 6))
    rb = referral(clinic, nurse, b, date(2026, 6, 1), source="self")
    eb = episode(clinic, nurse, b, date(2026, 6, 15), referral_id=rb,
                 modalities=(svc.NewModality("psychosocial", date(2026, 6, 15), date(2026, 7, 13)),))
    _discharge(clinic, nurse, eb, date(2026, 9, 15), "dropped_out", "Not seen again")
    referral(clinic, nurse, c, date(2026, 8, 10))
    with clinic.unit_of_work(write=True) as uow:
        journey_top.save_profile(uow, nurse, journey_top.Profile(d, ethnicity="A", primary_substance="alcohol",
                                                                  primary_route="oral", injecting_status="never",
                                                                  injecting_status_on=date(2026, 3, 1)))
    ed = episode(clinic, nurse, d, date(2026, 3, 1), key_worker_id=nurse.staff_id)
    record_top(clinic, nurse, ed, "start", date(2026, 3, 1))
    _plan(clinic, nurse, ed, date(2026, 5, 1))
    with clinic.unit_of_work(write=True) as uow:
        plans.review_plan(uow, nurse, plans.ReviewPlan(ed, date(2026, 7, 20)))
    record_top(clinic, nurse, ed, "review", date(2026, 8, 25))
    record_top(clinic, nurse, ed, "exit", date(2026, 9, 28))
    _discharge(clinic, nurse, ed, date(2026, 9, 30), "completed_alcohol_free")
    e1 = episode(clinic, nurse, e, date(2026, 1, 5))
    _discharge(clinic, nurse, e1, date(2026, 3, 1), "completed_drug_free", "Moved on")
    episode(clinic, nurse, e, date(2026, 8, 1))
    return {"A": a, "B": b, "C": c, "D": d, "E": e}


def test_every_journey_kpi_counts_exactly(clinic, actors, site) -> None:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        report = journey_kpis(uow, actors[Role.MANAGER], Q_START, Q_END)
    got = {k.key: k.value for k in report.lines}
    assert got == {
        "wait_min": "5 days", "wait_median": "23.5 days", "wait_max": "42 days",
        "wait_within_21": "50% (1 of 2)", "wait_42_plus": "1", "still_waiting_42_plus": "1",
        "key_worker": "50% (1 of 2)",
        "plan_in_3_weeks": "33% (1 of 3)", "plan_reviewed_12_weeks": "100% (1 of 1)",
        "top_review": "100% (1 of 1)", "top_exit": "50% (1 of 2)",
        "planned_exit_drug": "0% (0 of 1)", "planned_exit_alcohol": "100% (1 of 1)",
        "re_presentations": "1", "in_treatment_episodes": "4",
    }


def test_a_quiet_quarter_shows_dashes_not_zero_percent(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        report = journey_kpis(uow, actors[Role.MANAGER], Q_START, Q_END)
    assert report.line("wait_median").value == "—" and report.line("key_worker").value == "—"


def test_ndtms_extract_is_client_episode_modality_top_and_audited(clinic, actors, site) -> None:  # type: ignore[no-untyped-def]
    manager = actors[Role.MANAGER]
    with clinic.unit_of_work(write=True) as uow:
        text = extract_csv(uow, manager, Q_START, Q_END)
        with pytest.raises(PermissionDenied):
            extract_csv(uow, actors[Role.NURSE], Q_START, Q_END)
    rows = list(csv.DictReader(io.StringIO(text)))
    levels = [r["record_level"] for r in rows if r["client_ref"] == f"HB{site['D']:07d}"]
    assert levels == ["client", "episode", "top", "top", "top"]
    dean = rows[[r["client_ref"] for r in rows].index(f"HB{site['D']:07d}")]
    assert (dean["initials"], dean["ethnicity"], dean["primary_substance"]) == ("SD", "A", "alcohol")
    assert "Dean" not in text and "Example" not in text  # no names leave
    assert sorted({r["client_ref"] for r in rows}) == sorted(f"HB{site[k]:07d}" for k in "ABDE")


def test_data_quality_lists_what_each_person_lacks(clinic, actors, site) -> None:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        rows = {r.name.split(",")[0]: r.missing for r in data_quality(uow, actors[Role.MANAGER], Q_START, Q_END)}
    # Dean has a profile, key worker and TOPs; her episode came without a referral.
    assert rows["DEAN"] == ("Referral date (episode from 2026-03-01)", "Referral source (episode from 2026-03-01)")
    assert "Key worker (episode from 2026-06-15)" in rows["BAKER"]
    assert "Exit TOP (episode from 2026-06-15)" in rows["BAKER"]
    assert "Ethnicity (or Z, not stated)" in rows["ABLE"]
    assert "Start TOP (episode from 2026-08-01)" in rows["ELLIS"]


def test_the_running_quarter_counts_only_what_has_fallen_due(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    nurse = actors[Role.NURSE]
    person = add_person(clinic)
    rid = referral(clinic, nurse, person, date(2026, 10, 5))  # 49 days before 23 November
    episode(clinic, nurse, person, date(2026, 11, 16), referral_id=rid)  # plan due 7 December: not yet
    with clinic.unit_of_work() as uow:
        report = journey_kpis(uow, actors[Role.MANAGER], date(2026, 10, 1), date(2026, 12, 31))
    assert report.line("still_waiting_42_plus").value == "1"
    assert report.line("plan_in_3_weeks").value == "—"
