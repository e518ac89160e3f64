"""The audit log shows who did what, not the clinical values (issue 13: M3),
and "who has looked" is complete and paged (m8)."""

from __future__ import annotations

from datetime import date

from clinic.bbv import Result, SampleType, TestKind
from clinic.permissions import Actor, Role
from clinic.services import audit_log, bbv, staff
from clinic.services.people import summary as people_summary
from clinic.uow import Clinic
from tests.conftest import add_person


def hiv_positive(clinic: Clinic, nurse: Actor, person: int) -> None:
    with clinic.unit_of_work(write=True) as uow:
        test = bbv.record_test(uow, nurse, bbv.RecordTest(person, (TestKind.HIV,), SampleType.VENOUS,
                                                          date(2026, 11, 20)))
    with clinic.unit_of_work(write=True) as uow:
        bbv.record_result(uow, nurse, bbv.RecordResult(test.ids[0], Result.POSITIVE, date(2026, 11, 22)))


def bbv_changes(clinic: Clinic, manager: Actor, person: int) -> list[dict[str, object]]:
    with clinic.unit_of_work() as uow:
        lines = audit_log.search(uow, manager, audit_log.AuditFilter(person_id=person))
    return [line.changes for line in lines if line.action.startswith("bbv.") and line.changes]


def test_manager_sees_that_clinical_fields_changed_not_their_values(clinic: Clinic,
                                                                    actors: dict[Role, Actor]) -> None:
    person, manager = add_person(clinic), actors[Role.MANAGER]
    hiv_positive(clinic, actors[Role.NURSE], person)
    changes = bbv_changes(clinic, manager, person)
    assert changes and all(set(c.values()) == {"changed"} for c in changes)
    with clinic.unit_of_work(write=True) as uow:
        exported = audit_log.export_csv(uow, manager, audit_log.AuditFilter(person_id=person))
    assert "bbv.result" in exported and "positive" not in exported and '"hiv"' not in exported


def test_a_manager_who_also_has_clinical_read_sees_the_values(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person, manager, admin = add_person(clinic), actors[Role.MANAGER], actors[Role.ADMIN]
    hiv_positive(clinic, actors[Role.NURSE], person)
    with clinic.unit_of_work() as uow:
        row = {s.id: s for s in staff.list_staff(uow, admin)}[manager.staff_id]
    with clinic.unit_of_work(write=True) as uow:
        staff.update_staff(uow, admin, row.id, version=row.version, full_name=row.full_name,
                           roles=frozenset({Role.MANAGER, Role.NURSE}), registration_number="NMC 1")
    assert any("positive" in str(c) for c in bbv_changes(clinic, manager, person))


def test_who_has_looked_lists_letters_and_pages_past_two_hundred(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person, nurse, manager = add_person(clinic), actors[Role.NURSE], actors[Role.MANAGER]
    for _ in range(203):
        with clinic.unit_of_work(write=True) as uow:
            people_summary.open_record(uow, nurse, person)
    with clinic.unit_of_work(write=True) as uow:
        uow.audit(nurse, "letter.opened", "letter", 1, person_id=person)
    with clinic.unit_of_work() as uow:
        assert audit_log.count_viewers(uow, manager, person) == 204
        first = audit_log.record_viewers(uow, manager, person)
        rest = audit_log.record_viewers(uow, manager, person, offset=len(first))
    assert len(first) == 200 and len(rest) == 4
    assert first[0].action == "letter.opened"
