"""Tests for clinic.services.staff: sign-in, lockout and account administration."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic.clock import FixedClock
from clinic.passwords import PasswordRejected
from clinic.permissions import Actor, PermissionDenied, Role
from clinic.services import staff
from clinic.uow import Clinic
from tests.conftest import STAFF_PASSWORD


def sign_in(clinic: Clinic, username: str, password: str) -> staff.SignIn:
    with clinic.unit_of_work(write=True) as uow:
        return staff.sign_in(uow, username, password)


def new_account(clinic: Clinic, admin: Actor, username: str = "jo.bloggs") -> int:
    with clinic.unit_of_work(write=True) as uow:
        return staff.create_staff(uow, admin, staff.NewStaff(
            username, "Jo Bloggs", frozenset({Role.NURSE}), "temporary-pass-1", "NMC 99X9999E"))


def test_right_password_signs_in(clinic: Clinic) -> None:
    result = sign_in(clinic, "Nurse ", STAFF_PASSWORD)
    assert result.actor is not None and Role.NURSE in result.actor.roles


@pytest.mark.parametrize("username", ["nurse", "nobody"])
def test_wrong_password_or_unknown_user_gets_the_same_message(clinic: Clinic, username: str) -> None:
    assert sign_in(clinic, username, "wrong password").refusal == "That username and password do not match."


def test_five_failures_lock_for_fifteen_minutes(clinic: Clinic, clock: FixedClock) -> None:
    for _ in range(4):
        assert sign_in(clinic, "nurse", "wrong password").actor is None
    assert "locked for 15 minutes" in sign_in(clinic, "nurse", "wrong password").refusal
    assert "locked" in sign_in(clinic, "nurse", STAFF_PASSWORD).refusal  # even the right one
    clock.advance(timedelta(minutes=16))
    assert sign_in(clinic, "nurse", STAFF_PASSWORD).actor is not None


def test_admin_unlocks_a_locked_account(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    for _ in range(5):
        sign_in(clinic, "nurse", "wrong password")
    with clinic.unit_of_work(write=True) as uow:
        staff.unlock(uow, actors[Role.ADMIN], actors[Role.NURSE].staff_id)
    assert sign_in(clinic, "nurse", STAFF_PASSWORD).actor is not None


def test_new_account_must_change_its_temporary_password(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    new_account(clinic, actors[Role.ADMIN])
    result = sign_in(clinic, "jo.bloggs", "temporary-pass-1")
    assert result.must_change_password and result.actor is not None
    with clinic.unit_of_work(write=True) as uow:
        staff.change_own_password(uow, result.actor, "temporary-pass-1", "my own long password")
    assert not sign_in(clinic, "jo.bloggs", "my own long password").must_change_password


@pytest.mark.parametrize(("password", "message"), [
    ("", "at least 10"), ("short", "at least 10"), ("jo.bloggs", "at least 10"),
    ("password123", "commonly used"), ("PASSWORD123", "commonly used"),
])
def test_password_rules(clinic: Clinic, actors: dict[Role, Actor], password: str, message: str) -> None:
    with pytest.raises(PasswordRejected, match=message), clinic.unit_of_work(write=True) as uow:
        staff.create_staff(uow, actors[Role.ADMIN], staff.NewStaff(
            "jo.bloggs", "Jo Bloggs", frozenset({Role.NURSE}), password))


def test_password_cannot_be_the_username(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    with pytest.raises(PasswordRejected, match="username"), clinic.unit_of_work(write=True) as uow:
        staff.create_staff(uow, actors[Role.ADMIN], staff.NewStaff(
            "jonathan.b", "Jonathan B", frozenset({Role.NURSE}), "Jonathan.B"))


def test_deactivated_leaver_cannot_sign_in_but_stays_listed(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    admin = actors[Role.ADMIN]
    with clinic.unit_of_work(write=True) as uow:
        staff.set_active(uow, admin, actors[Role.NURSE].staff_id, False)
    assert "deactivated" in sign_in(clinic, "nurse", STAFF_PASSWORD).refusal
    with clinic.unit_of_work() as uow:
        listed = {s.username: s for s in staff.list_staff(uow, admin)}
    assert listed["nurse"].active is False


def test_reset_password_forces_a_change(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    with clinic.unit_of_work(write=True) as uow:
        staff.reset_password(uow, actors[Role.ADMIN], actors[Role.NURSE].staff_id, "a-temporary-one")
    result = sign_in(clinic, "nurse", "a-temporary-one")
    assert result.must_change_password


def test_two_administrators_editing_one_account(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    admin = actors[Role.ADMIN]
    with clinic.unit_of_work() as uow:
        opened = {s.username: s for s in staff.list_staff(uow, admin)}["nurse"]
    kwargs = dict(version=opened.version, full_name="Nadia N", roles=frozenset({Role.NURSE}),
                  registration_number="NMC 12A3456E")
    with clinic.unit_of_work(write=True) as uow:
        staff.update_staff(uow, admin, opened.id, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(staff.StaleRecord), clinic.unit_of_work(write=True) as uow:
        staff.update_staff(uow, admin, opened.id, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_the_administrator_manages_staff(clinic: Clinic, actors: dict[Role, Actor], role: Role) -> None:
    with pytest.raises(PermissionDenied), clinic.unit_of_work() as uow:
        staff.list_staff(uow, actors[role])


def test_nurses_and_prescribers_need_a_registration_number(clinic: Clinic, actors: dict[Role, Actor]) -> None:
    with pytest.raises(ValueError, match="registration number"), clinic.unit_of_work(write=True) as uow:
        staff.create_staff(uow, actors[Role.ADMIN], staff.NewStaff(
            "jo.bloggs", "Jo Bloggs", frozenset({Role.PRESCRIBER}), "temporary-pass-1", "  "))
    with clinic.unit_of_work(write=True) as uow:  # reception has none, and needs none
        staff.create_staff(uow, actors[Role.ADMIN], staff.NewStaff(
            "jo.bloggs", "Jo Bloggs", frozenset({Role.RECEPTION}), "temporary-pass-1"))
