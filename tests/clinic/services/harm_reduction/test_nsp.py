"""Tests for clinic.services.harm_reduction.nsp: recording visits at the counter, every refusal."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select

from clinic.errors import Refused
from clinic.permissions import PermissionDenied, Role
from clinic.services.harm_reduction import nsp as svc
from clinic.services import site_settings
from db.tables.audit import AuditRow
from db.tables.harm_reduction import NspVisit, NspVisitItem
from tests.conftest import add_person

TODAY = date(2026, 11, 23)
ORANGE = svc.ItemIssued("needle", "Orange 25G 16mm", 10)
WATER = svc.ItemIssued("water", "Water ampoules", 10)


def record(clinic, actor, **fields):  # type: ignore[no-untyped-def]
    cmd = svc.RecordVisit(**({"visited_on": TODAY} | fields))
    with clinic.unit_of_work(write=True) as uow:
        return svc.record_visit(uow, actor, cmd)


def refused(clinic, actor, **fields) -> Refused:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as err:
        record(clinic, actor, **fields)
    return err.value


@pytest.fixture
def nurse(actors):  # type: ignore[no-untyped-def]
    return actors[Role.NURSE]


def test_a_pseudonymous_visit_and_a_repeat_link_by_code(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    record(clinic, nurse, code="js 03071985 m", items=(ORANGE, WATER), bins_returned=1, advice=("bbv", "overdose"))
    record(clinic, nurse, code="JS03071985M", items=(ORANGE,), loose_returned=7)
    with clinic.unit_of_work() as uow:
        who = svc.visitor(uow, nurse, code="JS-03071985-M")
        visits = uow.session.execute(select(NspVisit).order_by(NspVisit.id)).scalars().all()
        items = uow.session.execute(select(NspVisitItem)).scalars().all()
        audits = uow.session.execute(select(AuditRow).where(AuditRow.action == "nsp.visit_recorded")).scalars().all()
    assert (who.visits, who.last_visit, who.age, who.under_18) == (2, TODAY, 41, False)
    assert [v.pseudonym for v in visits] == ["JS03071985M", "JS03071985M"]
    assert (visits[0].items_issued, visits[0].needles_issued, visits[0].advice) == (20, 10, "bbv overdose")
    assert len(items) == 3 and len(audits) == 2


def test_a_named_visit(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic, "Named")
    record(clinic, nurse, person_id=pid, items=(ORANGE,))
    with clinic.unit_of_work() as uow:
        assert svc.visitor(uow, nurse, person_id=pid).visits == 1


def test_recording_a_visit_is_a_bounded_number_of_statements(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    items = tuple(svc.ItemIssued(i.type, i.label, 2) for i in _items(clinic, nurse))
    statements: list[str] = []
    engine = clinic.site.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        record(clinic, nurse, code="AB01011990F", items=items)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO NSP_VISIT_ITEMS")]
    assert len(inserts) == 1  # sixteen items, one executemany
    assert len(statements) <= 12


def _items(clinic, actor):  # type: ignore[no-untyped-def]
    with clinic.unit_of_work() as uow:
        return svc.counter_items(uow, actor)


def test_negative_and_unknown_quantities_are_refused(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    assert refused(clinic, nurse, code="AB01011990F", items=(svc.ItemIssued("needle", "Orange 25G 16mm", -1),)
                   ).field == "items"
    assert refused(clinic, nurse, code="AB01011990F", items=(svc.ItemIssued("needle", "Gold 99G", 1),)).field == "items"
    assert refused(clinic, nurse, code="AB01011990F", items=(ORANGE,), bins_returned=-2).field == "returns"
    assert refused(clinic, nurse, code="AB01011990F").field == "items"  # nothing at all
    assert refused(clinic, nurse, items=(ORANGE,)).field == "person"  # nobody
    assert refused(clinic, nurse, code="AB01011990F", items=(ORANGE,), advice=("chat",)).field == "advice"
    assert refused(clinic, nurse, code="AB01011990F", items=(ORANGE,), visited_on=date(2026, 11, 24)
                   ).field == "visited_on"
    assert refused(clinic, nurse, code="AB01011990F", items=(ORANGE,), visited_on=date(1989, 12, 31)
                   ).field == "visited_on"  # before the date of birth in the code


def test_an_under_18_visit_needs_the_assessment_is_capped_and_flagged(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    young = add_person(clinic, "Young", date_of_birth=date(2009, 6, 1))
    assert refused(clinic, nurse, person_id=young, items=(ORANGE,)).field == "assessment"
    assert refused(clinic, nurse, person_id=young, items=(ORANGE,), greater_risk_assessed=True,
                   assessment_note="").field == "assessment"
    over = svc.ItemIssued("needle", "Orange 25G 16mm", 11)
    assert refused(clinic, nurse, person_id=young, items=(over,), greater_risk_assessed=True,
                   assessment_note="Injecting daily; would share otherwise").field == "items"
    done = record(clinic, nurse, person_id=young, items=(ORANGE,), greater_risk_assessed=True,
                  assessment_note="Injecting daily; would share otherwise")
    assert done.under_18 and done.safeguarding_flag
    with clinic.unit_of_work() as uow:
        flagged = svc.safeguarding_worklist(uow, nurse)
    assert [f.visit_id for f in flagged] == [done.visit_id]
    with clinic.unit_of_work(write=True) as uow:
        svc.mark_safeguarding_reviewed(uow, nurse, done.visit_id)
    with clinic.unit_of_work() as uow:
        assert svc.safeguarding_worklist(uow, nurse) == []


def test_a_pseudonymous_under_18_is_judged_from_the_code(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    assert refused(clinic, nurse, code="KT01012010F", items=(ORANGE,)).field == "assessment"


def test_the_cap_is_a_site_setting(clinic, nurse, actors) -> None:  # type: ignore[no-untyped-def]
    with clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, actors[Role.ADMIN], {"nsp.under_18_needle_cap": 5})
    assert refused(clinic, nurse, code="KT01012010F", items=(ORANGE,), greater_risk_assessed=True,
                   assessment_note="would share").field == "items"


def test_reception_records_a_visit_only_while_the_site_allows_it(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    reception = actors[Role.RECEPTION]
    record(clinic, reception, code="AB01011990F", items=(ORANGE,))
    # but never an under-18: that assessment is a clinician's
    assert refused(clinic, reception, code="KT01012010F", items=(ORANGE,), greater_risk_assessed=True,
                   assessment_note="x").field == "assessment"
    with clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, actors[Role.ADMIN], {"nsp.reception_may_record": 0})
    with pytest.raises(PermissionDenied):
        record(clinic, reception, code="AB01011990F", items=(ORANGE,))
    record(clinic, actors[Role.NURSE], code="AB01011990F", items=(ORANGE,))


def test_probation_liaison_cannot_record_or_look_up(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        record(clinic, actors[Role.PROBATION], code="AB01011990F", items=(ORANGE,))
    with clinic.unit_of_work() as uow, pytest.raises(PermissionDenied):
        svc.visitor(uow, actors[Role.PROBATION], code="AB01011990F")


def test_the_item_list_is_a_setting_checked_when_saved(clinic, nurse, actors) -> None:  # type: ignore[no-untyped-def]
    admin = actors[Role.ADMIN]
    with clinic.unit_of_work(write=True) as uow, pytest.raises(ValueError):
        site_settings.change(uow, admin, {"nsp.items": "needle|Orange\nknife|Big"})
    with clinic.unit_of_work(write=True) as uow, pytest.raises(ValueError):
        site_settings.change(uow, admin, {"nsp.reception_may_record": 2})
    with clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, admin, {"nsp.items": "needle|Orange\npack|Steroid pack|5"})
    assert [(i.type, i.needles) for i in _items(clinic, nurse)] == [("needle", 1), ("pack", 5)]
    # a visit names items from the list as it is now; the old ones are refused
    assert refused(clinic, nurse, code="AB01011990F", items=(WATER,)).field == "items"
    record(clinic, nurse, code="AB01011990F", items=(svc.ItemIssued("pack", "Steroid pack", 1),))
