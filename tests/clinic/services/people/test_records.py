"""Tests for clinic.services.people.records, people_search, people_summary and people_merge."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, text

from clinic.outstanding import Outstanding, Severity
from clinic.permissions import Actor, Permission, PermissionDenied, Role, require
from clinic.services.people import records as people
from clinic.services.people import merge as people_merge
from clinic.services.people import search as people_search
from clinic.services.people import summary as people_summary
from clinic.services.audit_log import record_viewers
from clinic.uow import Clinic, UnitOfWork
from db.tables.audit import AuditRow
from db.tables.people import Person, PersonStatusChange
from tests.conftest import add_person

R, N, M, P = Role.RECEPTION, Role.NURSE, Role.MANAGER, Role.PROBATION
VALID_NHS = "943 476 5919"


def details(**overrides: object) -> people.PersonDetails:
    values: dict[str, object] = dict(surname="O'Brien", forename="Siobhán", date_of_birth=date(1985, 7, 3))
    return people.PersonDetails(**(values | overrides))  # type: ignore[arg-type]


def register(clinic: Clinic, actor: Actor, d: people.PersonDetails, **kw: bool) -> people.Registered:
    with clinic.unit_of_work(write=True) as uow:
        return people.register(uow, actor, d, **kw)


def search(clinic: Clinic, actor: Actor, text: str, **kw: bool) -> list[people_search.PersonHit]:
    with clinic.unit_of_work() as uow:
        return people_search.search(uow, actor, text, **kw)


def names(hits: list[people_search.PersonHit]) -> list[str]:
    return [h.display_name for h in hits]


def audit_rows(clinic: Clinic, action: str) -> list[AuditRow]:
    with clinic.unit_of_work() as uow:
        return list(uow.session.execute(select(AuditRow).where(AuditRow.action == action)).scalars())


# ---- search -----------------------------------------------------------------------


@pytest.fixture
def register_of_people(clinic: Clinic) -> dict[str, int]:
    ids = {
        "obrien": add_person(clinic, "O'Brien", "Siobhán", nhs_number="9434765919"),
        "smith": add_person(clinic, "Smith", "John", date_of_birth=date(1990, 1, 2)),
        "smithers": add_person(clinic, "Smithers", "Joanne", preferred_name="Jo"),
        "smithjones": add_person(clinic, "Smith-Jones", "Ann"),
        "zoe": add_person(clinic, "Adams", "Zoë"),
        "lukasz": add_person(clinic, "Kowalski", "Łukasz"),
        "jsmith": add_person(clinic, "Jones", "Smith"),
        "closed": add_person(clinic, "Smith", "Closed", status="closed"),
    }
    return ids


def test_search_folds_apostrophes_and_accents(clinic: Clinic, actors: dict[Role, Actor],
                                              register_of_people: dict[str, int]) -> None:
    actor = actors[R]
    assert names(search(clinic, actor, "obrien")) == ["O'BRIEN, Siobhán"]
    assert names(search(clinic, actor, "O'Bri")) == ["O'BRIEN, Siobhán"]
    assert names(search(clinic, actor, "o brien")) == ["O'BRIEN, Siobhán"]
    assert names(search(clinic, actor, "zoe")) == ["ADAMS, Zoë"]
    assert names(search(clinic, actor, "Łuk")) == ["KOWALSKI, Łukasz"]
    assert names(search(clinic, actor, "lukasz")) == ["KOWALSKI, Łukasz"]
    assert names(search(clinic, actor, "siobhan obrien")) == ["O'BRIEN, Siobhán"]


def test_exact_surname_ranks_before_prefix_and_first_names(clinic: Clinic, actors: dict[Role, Actor],
                                                           register_of_people: dict[str, int]) -> None:
    hits = names(search(clinic, actors[R], "smith"))
    assert hits == ["SMITH, John", "SMITHERS, Joanne", "SMITH-JONES, Ann", "JONES, Smith"]


def test_surname_and_first_name_in_either_order(clinic: Clinic, actors: dict[Role, Actor],
                                                register_of_people: dict[str, int]) -> None:
    either = ["SMITH, John", "JONES, Smith", "SMITHERS, Joanne", "SMITH-JONES, Ann"]
    assert names(search(clinic, actors[R], "smith jo")) == either
    assert names(search(clinic, actors[R], "jo smith")) == either[:3]  # "josmith" is no surname
    assert names(search(clinic, actors[R], "smith jones")) == ["JONES, Smith", "SMITH-JONES, Ann"]
    assert names(search(clinic, actors[R], "smith joh")) == ["SMITH, John"]


def test_preferred_name_matches(clinic: Clinic, actors: dict[Role, Actor], register_of_people: dict[str, int]) -> None:
    hits = search(clinic, actors[R], "jo smithers")
    assert [h.preferred_name for h in hits] == ["Jo"]


@pytest.mark.parametrize("typed", ["3/7/1985", "03/07/1985", "03071985", "1985-07-03", "3 July 1985"])
def test_date_of_birth_in_several_forms(clinic: Clinic, actors: dict[Role, Actor],
                                        register_of_people: dict[str, int], typed: str) -> None:
    hits = search(clinic, actors[R], typed)
    assert "SMITH, John" not in names(hits)
    assert len(hits) == 6 and all(h.date_of_birth == date(1985, 7, 3) for h in hits)


def test_name_and_date_together(clinic: Clinic, actors: dict[Role, Actor], register_of_people: dict[str, int]) -> None:
    assert names(search(clinic, actors[R], "smith 2/1/1990")) == ["SMITH, John"]


@pytest.mark.parametrize("typed", ["943 476 5919", "9434765919", "943-476-5919"])
def test_nhs_number_with_or_without_spaces(clinic: Clinic, actors: dict[Role, Actor],
                                           register_of_people: dict[str, int], typed: str) -> None:
    hits = search(clinic, actors[R], typed)
    assert names(hits) == ["O'BRIEN, Siobhán"] and hits[0].nhs_number == "943 476 5919"


def test_client_id(clinic: Clinic, actors: dict[Role, Actor], register_of_people: dict[str, int]) -> None:
    pid = register_of_people["zoe"]
    for typed in (f"H{pid:06d}", f"h{pid}", f"H {pid}"):
        hits = search(clinic, actors[R], typed)
        assert [h.id for h in hits] == [pid] and hits[0].client_id == f"H{pid:06d}"


def test_bare_client_number_as_the_queue_shows_it(clinic: Clinic, actors: dict[Role, Actor],
                                                  register_of_people: dict[str, int]) -> None:
    """UI-18: "463" found no one; it needed "H000463"."""
    pid = register_of_people["zoe"]
    assert pid in [h.id for h in search(clinic, actors[R], str(pid))]


def test_person_hit_names_one_person(clinic: Clinic, actors: dict[Role, Actor],
                                     register_of_people: dict[str, int]) -> None:
    pid = register_of_people["zoe"]
    with clinic.unit_of_work() as uow:
        hit = people_search.person_hit(uow, actors[R], pid)
    assert hit.id == pid and hit.client_id == f"H{pid:06d}"


def test_closed_records_hidden_unless_asked(clinic: Clinic, actors: dict[Role, Actor],
                                            register_of_people: dict[str, int]) -> None:
    assert "SMITH, Closed" not in names(search(clinic, actors[R], "smith"))
    assert "SMITH, Closed" in names(search(clinic, actors[R], "smith", include_closed=True))


def test_search_hit_carries_age_and_chips(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    add_person(clinic, "Flagged", "Fay", no_post=True, risk_notes="Do not see alone", children_in_household=True)
    (hit,) = search(clinic, actors[R], "flagged")
    assert hit.age == 41  # 3 July 1985 on 23 November 2026
    assert [c.label for c in hit.chips] == ["Risk", "No post", "Children in household"]


@pytest.mark.sqlcipher_only  # reads SQLite's EXPLAIN QUERY PLAN
def test_search_uses_the_indexes(clinic: Clinic) -> None:
    with clinic.unit_of_work() as uow:
        where, _ = people_search._condition("smith jo", date(2026, 11, 23))
        stmt = select(Person.id).where(where)
        sql = str(stmt.compile(compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in uow.session.execute(text("EXPLAIN QUERY PLAN " + sql)).all())
    assert "ix_people_search" in plan and "SCAN people" not in plan


def test_empty_search_and_permission(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    assert search(clinic, actors[R], "  ") == []
    with pytest.raises(PermissionDenied):
        search(clinic, actors[Role.ADMIN], "smith")
    assert search(clinic, actors[P], "smith") == []  # probation liaison may search


def test_search_is_not_audited(clinic: Clinic, actors: dict[Role, Actor], register_of_people: dict[str, int]) -> None:
    before = len(audit_rows(clinic, "person.opened"))
    search(clinic, actors[R], "smith")
    assert len(audit_rows(clinic, "person.opened")) == before


# ---- register and duplicates --------------------------------------------------


def test_register_stores_normalised_values_and_audits(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    result = register(clinic, actors[R], details(nhs_number=VALID_NHS, postcode="ox1 1aa", phone="07700 900123"))
    assert result.client_id == f"H{result.person_id:06d}" and result.warnings == {}
    with clinic.unit_of_work() as uow:
        row = uow.session.get(Person, result.person_id)
        assert row is not None
        assert (row.nhs_number, row.postcode, row.search_surname, row.search_forename) == (
            "9434765919", "OX1 1AA", "obrien", "siobhan")
        history = uow.session.execute(select(PersonStatusChange)).scalars().all()
        assert [(h.status, h.reason) for h in history] == [("open", "registered")]
    (row_audit,) = audit_rows(clinic, "person.registered")
    changes = json.loads(row_audit.changes)
    assert changes["surname"] == [None, "O'Brien"] and "injects" not in changes


@pytest.mark.parametrize(("field", "value", "message"), [
    ("nhs_number", "943 476 5918", "check digit does not match"),
    ("date_of_birth", date(2027, 1, 1), "in the future"),
    ("date_of_birth", date(1900, 1, 1), "more than 120 years ago"),
    ("surname", "  ", "Enter a surname"),
])
def test_register_refuses_bad_details_next_to_the_field(clinic: Clinic, actors: dict[Role, Actor],
                                                        field: str, value: object, message: str) -> None:
    with pytest.raises(people.InvalidDetails) as caught:
        register(clinic, actors[R], details(**{field: value}))
    assert message in caught.value.errors[field]


def test_phone_and_postcode_only_warn(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    result = register(clinic, actors[R], details(phone="12345", postcode="not a postcode",
                                                emergency_contact_phone="+33 1 23 45 67 89"))
    assert set(result.warnings) == {"phone", "postcode", "emergency_contact_phone"}
    assert "Not a UK number" in result.warnings["emergency_contact_phone"]


def test_same_dob_and_similar_name_is_a_likely_duplicate(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    existing = add_person(clinic, "OBrien", "Siobhan")
    with pytest.raises(people.LikelyDuplicates) as caught:
        register(clinic, actors[R], details())
    assert [c.hit.id for c in caught.value.candidates] == [existing]
    assert not caught.value.certain and "same surname" in caught.value.candidates[0].reason
    result = register(clinic, actors[R], details(), confirmed_not_duplicate=True)
    (row,) = audit_rows(clinic, "person.registered")
    assert json.loads(row.changes)["confirmed_not_duplicate_of"] == [None, [existing]]
    assert result.person_id != existing


@pytest.mark.parametrize(("surname", "forename", "preferred", "dob", "duplicate"), [
    ("Smith", "Siobhan", "", date(1985, 7, 3), False),  # different surname, first name only
    ("O'Briain", "Siobhan", "", date(1985, 7, 3), True),  # first three letters of both
    ("Siobhan", "O'Brien", "", date(1985, 7, 3), True),  # boxes swapped
    ("Walsh", "Siobhan", "Shiv", date(1985, 7, 3), True),  # preferred name
    ("O'Brien", "Siobhan", "", date(1985, 7, 4), False),  # different date of birth
])
def test_similar_names(clinic: Clinic, actors: dict[Role, Actor], surname: str, forename: str,
                       preferred: str, dob: date, duplicate: bool) -> None:
    add_person(clinic, "O'Brien", "Siobhan", preferred_name="Shiv")
    d = details(surname=surname, forename=forename, preferred_name=preferred, date_of_birth=dob)
    with clinic.unit_of_work() as uow:
        assert bool(people.find_duplicates(uow, actors[R], d)) is duplicate


def test_same_nhs_number_is_certain_and_refused_even_if_confirmed(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    add_person(clinic, "Other", "Person", nhs_number="9434765919", date_of_birth=date(1970, 1, 1))
    for confirmed in (False, True):
        with pytest.raises(people.LikelyDuplicates) as caught:
            register(clinic, actors[R], details(nhs_number=VALID_NHS), confirmed_not_duplicate=confirmed)
        assert caught.value.certain


def test_who_may_register(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    for role in (P, M, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            register(clinic, actors[role], details())
    assert register(clinic, actors[N], details()).person_id


# ---- open the record ------------------------------------------------------------


def test_open_record_writes_one_audit_row_and_summarises(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = register(clinic, actors[R], details(nhs_number=VALID_NHS, discreet_envelope=True)).person_id
    with clinic.unit_of_work(write=True) as uow:
        record = people_summary.open_record(uow, actors[N], pid)
    assert record.hit.nhs_number == "943 476 5919" and record.hit.age == 41
    assert [c.label for c in record.chips] == ["Discreet envelope"]
    assert [h.reason for h in record.history] == ["Registered"]
    (opened,) = audit_rows(clinic, "person.opened")
    assert (opened.person_id, opened.actor_id) == (pid, actors[N].staff_id)
    with clinic.unit_of_work() as uow:
        viewers = record_viewers(uow, actors[M], pid)
    assert [v.staff for v in viewers] == [actors[N].full_name]


def _bbv_provider(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    require(actor, Permission.BBV_READ)
    return [Outstanding("bbv", "HCV RNA result awaited", date(2026, 11, 30), Severity.DUE, chip="Awaiting result")]


def _ost_provider(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    require(actor, Permission.OST_READ)
    return [Outstanding("ost", "Prescriber review before next dose", None, Severity.ALERT, chip="On OST")]


def test_providers_the_actor_cannot_read_are_skipped(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic)
    providers = (_bbv_provider, _ost_provider)
    with clinic.unit_of_work(write=True) as uow:
        nurse = people_summary.open_record(uow, actors[N], pid, providers=providers)
        probation = people_summary.open_record(uow, actors[P], pid, providers=providers)
    assert [o.label for o in nurse.outstanding] == ["Prescriber review before next dose", "HCV RNA result awaited"]
    assert [c.label for c in nurse.chips] == ["On OST", "Awaiting result"]
    assert probation.outstanding == () and probation.chips == ()


def test_reception_cannot_see_who_looked(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    with clinic.unit_of_work() as uow, pytest.raises(PermissionDenied):
        record_viewers(uow, actors[R], add_person(clinic))


# ---- edit and concurrency --------------------------------------------------------------


def _open(clinic: Clinic, actor: Actor, pid: int) -> people_summary.PersonRecord:
    with clinic.unit_of_work(write=True) as uow:
        return people_summary.open_record(uow, actor, pid)


def test_update_audits_changed_fields_only(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = register(clinic, actors[R], details()).person_id
    record = _open(clinic, actors[R], pid)
    from dataclasses import replace
    with clinic.unit_of_work(write=True) as uow:
        result = people.update(uow, actors[R], pid, record.version, replace(record.details, phone="07700 900123"))
    assert result.version == record.version + 1
    (row,) = audit_rows(clinic, "person.updated")
    assert json.loads(row.changes) == {"phone": ["", "07700 900123"], "version": [1, 2]}


def test_stale_save_says_what_changed_and_who(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    from dataclasses import replace
    pid = register(clinic, actors[R], details()).person_id
    first = _open(clinic, actors[R], pid)
    second = _open(clinic, actors[N], pid)
    with clinic.unit_of_work(write=True) as uow:
        people.update(uow, actors[N], pid, second.version,
                      replace(second.details, postcode="OX1 1AA", phone="07700900001"))
    with clinic.unit_of_work(write=True) as uow, pytest.raises(people.StaleRecord) as caught:
        people.update(uow, actors[R], pid, first.version, replace(first.details, surname="Brien"))
    stale = caught.value
    assert {(c.field, c.value, c.by) for c in stale.changed} == {
        ("postcode", "OX1 1AA", actors[N].full_name), ("phone", "07700900001", actors[N].full_name)}
    assert "Postcode" in str(stale) and stale.current_version == first.version + 1
    with clinic.unit_of_work() as uow:
        row = uow.session.get(Person, pid)
        assert row is not None and row.surname == "O'Brien"  # never silently overwritten


def test_update_refuses_another_records_nhs_number(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    from dataclasses import replace
    add_person(clinic, "Other", "Person", nhs_number="9434765919")
    pid = register(clinic, actors[R], details(date_of_birth=date(1999, 1, 1))).person_id
    record = _open(clinic, actors[R], pid)
    with clinic.unit_of_work(write=True) as uow, pytest.raises(people.InvalidDetails) as caught:
        people.update(uow, actors[R], pid, record.version, replace(record.details, nhs_number=VALID_NHS))
    assert "nhs_number" in caught.value.errors


def test_probation_cannot_edit(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic)
    with clinic.unit_of_work(write=True) as uow, pytest.raises(PermissionDenied):
        people.update(uow, actors[P], pid, 1, details())


# ---- close and reopen ------------------------------------------------------------------


def test_close_and_reopen_keep_history(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = register(clinic, actors[R], details()).person_id
    with clinic.unit_of_work(write=True) as uow:
        people.close_record(uow, actors[N],
                            people.CloseRecord(pid, "transferred", date(2026, 11, 20), "Moved to Leeds"))
    assert search(clinic, actors[R], "obrien") == []
    with clinic.unit_of_work(write=True) as uow:
        people.reopen(uow, actors[N], people.ReopenRecord(pid, date(2026, 11, 23)))
    record = _open(clinic, actors[N], pid)
    assert [(h.status, h.reason) for h in record.history] == [
        ("open", "Reopened"), ("closed", "Transferred to another service"), ("open", "Registered")]
    assert len(audit_rows(clinic, "person.closed")) == 1


def test_close_checks_reason_date_and_role(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic)
    bad = [(actors[N], people.CloseRecord(pid, "bored", date(2026, 11, 1)), people.InvalidDetails),
           (actors[N], people.CloseRecord(pid, "died", date(2026, 12, 1)), people.InvalidDetails),
           (actors[R], people.CloseRecord(pid, "died", date(2026, 11, 1)), PermissionDenied)]
    for actor, cmd, error in bad:
        with clinic.unit_of_work(write=True) as uow, pytest.raises(error):
            people.close_record(uow, actor, cmd)


# ---- merge ------------------------------------------------------------------------------


def test_merge_moves_every_linked_row(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    survivor = register(clinic, actors[R], details(surname="Merge", forename="Keep")).person_id
    other = register(clinic, actors[R], details(surname="Merge", forename="Gone", phone="07700 900555",
                                                 nhs_number=VALID_NHS), confirmed_not_duplicate=True).person_id
    older = add_person(clinic, "Merge", "Older", status="merged", merged_into_id=other)
    linked = people_merge.linked_columns()
    assert ("person_status_history", "person_id") in {(t.name, c.name) for t, c in linked}
    with clinic.unit_of_work() as uow:
        shown = people_merge.preview(uow, actors[M], survivor, other)
    assert shown.moving == {"person_status_history.person_id": 1} and "nhs_number" in shown.filled
    with clinic.unit_of_work(write=True) as uow:
        merged = people_merge.merge(uow, actors[M], survivor, other)
    assert merged.moved == {"person_status_history.person_id": 1, "people.merged_into_id": 1}
    with clinic.unit_of_work() as uow:
        for table, column in linked:
            left = uow.session.execute(select(column).select_from(table).where(column == other)).all()
            assert len(left) == (1 if table.name == "person_status_history" else 0)  # only its "merged" row
        gone, kept, old = (uow.session.get(Person, i) for i in (other, survivor, older))
        assert gone is not None and kept is not None and old is not None
        assert (gone.status, gone.merged_into_id, gone.nhs_number) == ("merged", survivor, None)
        assert (kept.nhs_number, kept.phone) == ("9434765919", "07700 900555")
        assert old.merged_into_id == survivor
        history = people_merge.merge_history(uow, actors[M], survivor)
    assert [(h.other_id, h.by) for h in history] == [(other, actors[M].full_name)]
    assert search(clinic, actors[R], "merge gone") == []
    record = _open(clinic, actors[R], survivor)
    assert {r.id for r in record.merged_from} == {other, older}


def test_only_a_manager_merges_and_not_two_nhs_numbers(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    a = add_person(clinic, "A", "A", nhs_number="9434765919")
    b = add_person(clinic, "B", "B", nhs_number="9434765870")
    for role in (R, N, P):
        with clinic.unit_of_work(write=True) as uow, pytest.raises(PermissionDenied):
            people_merge.merge(uow, actors[role], a, b)
    with clinic.unit_of_work(write=True) as uow, pytest.raises(ValueError, match="different NHS numbers"):
        people_merge.merge(uow, actors[M], a, b)
    with clinic.unit_of_work(write=True) as uow, pytest.raises(ValueError, match="two different"):
        people_merge.merge(uow, actors[M], a, a)


# ---- GP practices ---------------------------------------------------------------------


def test_gp_practices_add_edit_retire(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        added = people.save_gp_practice(uow, actors[R], people.Practice(None, "Jericho Health Centre"))
        people.save_gp_practice(uow, actors[R], people.Practice(added.id, "Jericho HC", active=False))
    with clinic.unit_of_work() as uow:
        assert people.gp_practices(uow, actors[R]) == []
        assert [p.name for p in people.gp_practices(uow, actors[R], include_inactive=True)] == ["Jericho HC"]
    assert len(audit_rows(clinic, "gp_practice.edited")) == 1
    with clinic.unit_of_work(write=True) as uow, pytest.raises(people.InvalidDetails):
        people.save_gp_practice(uow, actors[R], people.Practice(None, " "))


def test_name_of_gives_the_list_name_and_needs_person_search(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    pid = add_person(clinic, surname="Booker", forename="Bea")
    with clinic.unit_of_work() as uow:
        assert people_search.name_of(uow, actors[Role.NURSE], pid) == "BOOKER, Bea"
        with pytest.raises(ValueError, match="no longer on the register"):
            people_search.name_of(uow, actors[Role.NURSE], pid + 1000)
        with pytest.raises(PermissionDenied):
            people_search.name_of(uow, actors[Role.ADMIN], pid)
