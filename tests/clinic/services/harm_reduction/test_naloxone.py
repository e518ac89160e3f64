"""Tests for clinic.services.harm_reduction.naloxone: stock, supply, use, training, the no-kit worklist."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from clinic import naloxone
from clinic.permissions import PermissionDenied, Role
from clinic.services.harm_reduction import record as harm_reduction
from clinic.services.harm_reduction import naloxone as svc
from db.tables.harm_reduction import NaloxoneBatch
from tests.conftest import add_person, refused, run

TODAY = date(2026, 11, 23)


@pytest.fixture
def nurse(actors):  # type: ignore[no-untyped-def]
    return actors[Role.NURSE]


def receive(clinic, nurse, number="AB12", expires=date(2028, 5, 1), quantity=2):  # type: ignore[no-untyped-def]
    return run(clinic, svc.receive_kits, nurse, svc.ReceiveKits("Prenoxad", number, expires, quantity,
                                                                 date(2026, 11, 1))).id


def supply(pid, batch, reason="first", recipient="person", **kw):  # type: ignore[no-untyped-def]
    return svc.SupplyKit(pid, batch, kw.pop("on", TODAY), recipient, reason, **kw)


def test_supply_then_used_then_resupply(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic, "Kit")
    batch = receive(clinic, nurse)
    first = run(clinic, svc.supply_kit, nurse, supply(pid, batch)).id
    with clinic.unit_of_work() as uow:
        assert harm_reduction.person_harm_reduction(uow, nurse, pid).kit_status == naloxone.IN_DATE
    run(clinic, svc.report_used, nurse, svc.ReportUsed(first, TODAY, True, "survived", "Used on a friend"))
    with clinic.unit_of_work() as uow:
        record = harm_reduction.person_harm_reduction(uow, nurse, pid)
    assert record.kit_status == naloxone.NONE
    assert [e.kind for e in record.events] == ["Naloxone used", "Naloxone supplied"]
    run(clinic, svc.supply_kit, nurse, supply(pid, batch, "used", "carer", carer_name="Jo Kit"))
    with clinic.unit_of_work() as uow:
        assert harm_reduction.person_harm_reduction(uow, nurse, pid).kit_status == naloxone.IN_DATE
        assert uow.session.get(NaloxoneBatch, batch).remaining == 0
    # stock never goes below zero
    assert refused(clinic, svc.supply_kit, nurse, supply(pid, batch, "lost")).field == "batch"


def test_an_expired_batch_is_refused(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic, "Kit")
    old = receive(clinic, nurse, "OLD1", expires=date(2026, 11, 20))
    assert refused(clinic, svc.supply_kit, nurse, supply(pid, old)).field == "batch"
    with clinic.unit_of_work() as uow:
        stock = svc.kit_stock(uow, nurse)
    assert [(b.batch_number, b.expired) for b in stock] == [("OLD1", True)]


def test_receiving_refuses_impossible_deliveries(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    def cmd(**kw):  # type: ignore[no-untyped-def]
        return svc.ReceiveKits(**({"product": "Prenoxad", "batch_number": "X1", "expires_on": date(2028, 1, 1),
                                   "quantity": 5, "received_on": TODAY} | kw))
    assert refused(clinic, svc.receive_kits, nurse, cmd(quantity=-5)).field == "quantity"
    assert refused(clinic, svc.receive_kits, nurse, cmd(quantity=0)).field == "quantity"
    assert refused(clinic, svc.receive_kits, nurse, cmd(expires_on=date(2026, 1, 1))).field == "expires_on"
    assert refused(clinic, svc.receive_kits, nurse, cmd(batch_number=" ")).field == "batch_number"
    assert refused(clinic, svc.receive_kits, nurse, cmd(received_on=date(2026, 12, 1))).field == "received_on"
    run(clinic, svc.receive_kits, nurse, cmd())
    run(clinic, svc.receive_kits, nurse, cmd(batch_number="x1"))  # same batch: more stock
    with clinic.unit_of_work() as uow:
        assert uow.session.execute(select(NaloxoneBatch.remaining)).scalars().all() == [10]


def test_supply_refusals_name_their_field(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic, "Kit")
    batch = receive(clinic, nurse)
    assert refused(clinic, svc.supply_kit, nurse, supply(pid, None)).field == "batch"
    assert refused(clinic, svc.supply_kit, nurse, supply(pid, batch, recipient=None)).field == "recipient"
    assert refused(clinic, svc.supply_kit, nurse, supply(pid, batch, reason=None)).field == "reason"
    assert refused(clinic, svc.supply_kit, nurse, supply(pid, batch, recipient="carer")).field == "carer_name"
    assert refused(clinic, svc.supply_kit, nurse, supply(pid, batch, on=date(2026, 12, 1))).field == "supplied_on"
    run(clinic, svc.supply_kit, nurse, supply(pid, batch))
    assert refused(clinic, svc.supply_kit, nurse, supply(pid, batch)).field == "reason"  # not a first supply


def test_a_used_kit_needs_ambulance_and_outcome_chosen(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic, "Kit")
    kit = run(clinic, svc.supply_kit, nurse, supply(pid, receive(clinic, nurse))).id
    assert refused(clinic, svc.report_used, nurse, svc.ReportUsed(kit, TODAY, None, "survived")).field == "ambulance"
    assert refused(clinic, svc.report_used, nurse, svc.ReportUsed(kit, TODAY, False, None)).field == "outcome"
    assert refused(clinic, svc.report_used, nurse, svc.ReportUsed(kit, date(2026, 11, 1), False, "unknown")
                   ).field == "used_on"
    run(clinic, svc.report_used, nurse, svc.ReportUsed(kit, TODAY, False, "unknown"))
    assert refused(clinic, svc.report_used, nurse, svc.ReportUsed(kit, TODAY, False, "unknown")).field == "kit"


def test_training_is_recorded_for_person_or_carer(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic, "Kit")
    assert refused(clinic, svc.record_training, nurse, svc.RecordTraining(pid, TODAY, None)).field == "trainee"
    run(clinic, svc.record_training, nurse, svc.RecordTraining(pid, TODAY, "carer", "Mum"))
    with clinic.unit_of_work() as uow:
        assert harm_reduction.person_harm_reduction(uow, nurse, pid).events[0].detail == "Given to carer Mum"


def test_the_no_kit_worklist(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    injects = add_person(clinic, "Injects", injects=True)
    covered = add_person(clinic, "Covered", injects=True)
    add_person(clinic, "Neither")
    expired = add_person(clinic, "Expired", injects=True)
    run(clinic, svc.supply_kit, nurse, supply(covered, receive(clinic, nurse)))
    old = receive(clinic, nurse, "OLD", expires=date(2026, 11, 23))
    run(clinic, svc.supply_kit, nurse, supply(expired, old))
    clinic.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    with clinic.unit_of_work() as uow:
        items = svc.no_kit_worklist(uow, nurse)
    assert [(i.person_id, i.detail.split(" · ")[0]) for i in items] == [(expired, "Kit expired"), (injects, "No kit")]


def test_reception_and_probation_see_no_kits(clinic, actors) -> None:  # type: ignore[no-untyped-def]
    pid = add_person(clinic, "Kit")
    for role in (Role.RECEPTION, Role.PROBATION):
        with clinic.unit_of_work() as uow, pytest.raises(PermissionDenied):
            harm_reduction.person_harm_reduction(uow, actors[role], pid)


def test_the_summary_shows_last_nsp_visit_and_kit_status(clinic, nurse) -> None:  # type: ignore[no-untyped-def]
    from clinic.services.harm_reduction import nsp
    from clinic.services.people import summary as people_summary

    pid = add_person(clinic, "Summary", injects=True)
    with clinic.unit_of_work() as uow:
        labels = [o.label for o in people_summary.refresh_record(uow, nurse, pid).outstanding]
    assert "No naloxone kit: offer one" in labels
    with clinic.unit_of_work(write=True) as uow:
        nsp.record_visit(uow, nurse, nsp.RecordVisit(date(2026, 11, 20), person_id=pid,
                                                     items=(nsp.ItemIssued("water", "Water ampoules", 5),)))
    run(clinic, svc.supply_kit, nurse, supply(pid, receive(clinic, nurse)))
    with clinic.unit_of_work() as uow:
        record = people_summary.refresh_record(uow, nurse, pid)
    labels = [o.label for o in record.outstanding]
    assert "Last NSP visit 20 November 2026" in labels
    assert "Holds an in-date naloxone kit (expires 1 May 2028)" in labels
    assert any(chip.label == "Naloxone" for chip in record.chips)
