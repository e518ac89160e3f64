"""Staff changes act at once (issue 13: M4, M5, m7, m10; DESIGN.md §3).

Each test is a reproduction from the reliability review: it failed before
the account re-check, the lock-screen lockout and the password rules.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clinic.clock import FixedClock
from clinic.errors import Refused
from clinic.passwords import PasswordRejected
from clinic.permissions import AccountRefused, Actor, PermissionDenied, Role
from clinic.services import bbv, site_settings, staff
from clinic.uow import Clinic
from tests.conftest import STAFF_PASSWORD, add_person

TEMPORARY = "temporary pass 99"


def new_nurse(clinic: Clinic, admin: Actor, name: str = "nurse2") -> tuple[int, staff.SignIn]:
    with clinic.unit_of_work(write=True) as uow:
        sid = staff.create_staff(uow, admin, staff.NewStaff(name, name.title(), frozenset({Role.NURSE}),
                                                            TEMPORARY, "NMC 99X"))
    with clinic.unit_of_work(write=True) as uow:
        return sid, staff.sign_in(uow, name, TEMPORARY)


def change_password(clinic: Clinic, actor: Actor) -> None:
    with clinic.unit_of_work(write=True) as uow:
        staff.change_own_password(uow, actor, TEMPORARY, "my own long password 7")


def read_bbv(clinic: Clinic, actor: Actor, person: int) -> int:
    with clinic.unit_of_work() as uow:
        return len(bbv.overview(uow, actor, person).history)


def test_temporary_password_allows_nothing_but_changing_it(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    _, signed = new_nurse(clinic, actors[Role.ADMIN])
    assert signed.actor is not None and signed.must_change_password
    with pytest.raises(AccountRefused, match="temporary password"):
        read_bbv(clinic, signed.actor, person)
    change_password(clinic, signed.actor)
    assert read_bbv(clinic, signed.actor, person) == 0


def test_deactivated_account_loses_access_within_one_action(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person, nurse, admin = add_person(clinic), actors[Role.NURSE], actors[Role.ADMIN]
    read_bbv(clinic, nurse, person)
    with clinic.unit_of_work(write=True) as uow:
        staff.set_active(uow, admin, nurse.staff_id, False)
    with pytest.raises(AccountRefused, match="deactivated"):
        read_bbv(clinic, nurse, person)
    with pytest.raises(AccountRefused), clinic.unit_of_work(write=True) as uow:
        bbv.record_offer(uow, nurse, bbv.RecordOffer(person, (bbv.Virus.HIV,), date(2026, 11, 20)))


def test_demoted_account_loses_clinical_read_at_once(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person, nurse, admin = add_person(clinic), actors[Role.NURSE], actors[Role.ADMIN]
    with clinic.unit_of_work() as uow:
        version = {s.id: s for s in staff.list_staff(uow, admin)}[nurse.staff_id].version
    with clinic.unit_of_work(write=True) as uow:
        staff.update_staff(uow, admin, nurse.staff_id, version=version, full_name="Nadia Nurse",
                           roles=frozenset({Role.RECEPTION}), registration_number=None)
    with pytest.raises(PermissionDenied, match="changed since you signed in"):
        read_bbv(clinic, nurse, person)


def test_temporary_password_expires_after_the_set_days(clinic: Clinic, actors: dict[Role, Actor],
                                                       clock: FixedClock) -> None:
    new_nurse(clinic, actors[Role.ADMIN])
    clock.advance(timedelta(days=8))
    with clinic.unit_of_work(write=True) as uow:
        result = staff.sign_in(uow, "nurse2", TEMPORARY)
    assert result.actor is None and "expired" in result.refusal


def lock_out(clinic: Clinic, username: str) -> None:
    for i in range(5):
        with clinic.unit_of_work(write=True) as uow:
            staff.sign_in(uow, username, f"wrong {i}")


def test_lock_screen_counts_wrong_passwords_and_refuses_a_locked_account(
        clinic: Clinic, actors: dict[Role, Actor]) -> None:
    nurse = actors[Role.NURSE]
    outcomes = []
    for i in range(7):
        with clinic.unit_of_work(write=True) as uow:
            outcomes.append(staff.check_password(uow, nurse, f"guess {i}"))
    assert not any(outcomes) and "locked" in outcomes[-1].refusal
    with clinic.unit_of_work(write=True) as uow:
        right = staff.check_password(uow, nurse, STAFF_PASSWORD)
    assert not right and "locked" in right.refusal
    with clinic.unit_of_work(write=True) as uow:
        assert "locked" in staff.sign_in(uow, "nurse", STAFF_PASSWORD).refusal


def test_a_locked_out_session_is_refused(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    person = add_person(clinic)
    lock_out(clinic, "nurse")
    with pytest.raises(AccountRefused, match="locked"):
        read_bbv(clinic, actors[Role.NURSE], person)


@pytest.mark.parametrize(("key", "value"), [
    ("security.lockout_minutes", 0), ("security.lockout_attempts", 10**9), ("security.lockout_attempts", 0),
    ("security.idle_lock_minutes", 10**6), ("security.idle_lock_minutes", 0),
])
def test_lockout_and_idle_lock_cannot_be_switched_off(clinic: Clinic, actors: dict[Role, Actor],
                                                      key: str, value: int) -> None:
    with pytest.raises(Refused, match="between") as refused, clinic.unit_of_work(write=True) as uow:
        site_settings.change(uow, actors[Role.ADMIN], {key: value})
    assert refused.value.field == key


def test_admin_cannot_grant_themself_a_clinical_role(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    admin = actors[Role.ADMIN]
    with clinic.unit_of_work() as uow:
        listed = {s.id: s for s in staff.list_staff(uow, admin)}
    mine = listed[admin.staff_id]
    with pytest.raises(Refused, match="another administrator") as refused, clinic.unit_of_work(write=True) as uow:
        staff.update_staff(uow, admin, admin.staff_id, version=mine.version, full_name=mine.full_name,
                           roles=frozenset({Role.ADMIN, Role.PRESCRIBER}), registration_number="GMC 1")
    assert refused.value.field == "roles"
    second = next(s for s in listed.values() if s.username == "admin2")
    with clinic.unit_of_work(write=True) as uow:  # a second administrator may
        staff.update_staff(uow, admin, second.id, version=second.version, full_name=second.full_name,
                           roles=frozenset({Role.ADMIN, Role.NURSE}), registration_number="NMC 1")


@pytest.mark.parametrize("password", [" " * 10, " " * 14, STAFF_PASSWORD, "Harbour-Demo-2026"])
def test_blank_and_published_passwords_refused_for_real_accounts(clinic: Clinic, actors: dict[Role, Actor],
                                                                 password: str) -> None:
    with pytest.raises(PasswordRejected), clinic.unit_of_work(write=True) as uow:
        staff.create_staff(uow, actors[Role.ADMIN], staff.NewStaff(
            "jo.bloggs", "Jo Bloggs", frozenset({Role.RECEPTION}), password))
