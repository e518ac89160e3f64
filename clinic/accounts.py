"""The account behind an Actor, as it is now (issue 13: M4, M5).

An Actor is captured at sign-in; an administrator may deactivate, demote or
reset the account afterwards. Every unit of work binds :func:`current` as the
check ``require`` runs, so each action sees the account as stored: its roles
now, and a refusal when it is deactivated, locked out, or still on a
temporary password (which only :func:`clinic.services.staff.change_own_password`
may use).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import Token
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from clinic.permissions import ACCOUNT_CHECK, AccountRefused, Actor, parse_roles
from clinic.settings import SiteSettings
from db.tables.staff import Staff

if TYPE_CHECKING:
    from clinic.uow import UnitOfWork

DEACTIVATED = "This account has been deactivated. Ask the administrator."
MUST_CHANGE = "Change your temporary password before doing anything else."
EXPIRED = "Your temporary password has expired. Ask the administrator for a new one."


def refusal(row: Staff | None, now: datetime, settings: SiteSettings) -> str:
    """Why this account may not act now, or "" when it may."""
    if row is None or not row.active:
        return DEACTIVATED
    if locked_minutes(row, now):
        return locked_message(row, now)
    if row.must_change_password:
        return EXPIRED if temporary_expired(row, now, settings) else MUST_CHANGE
    return ""


def locked_minutes(row: Staff, now: datetime) -> int:
    """Minutes left of a lockout, 0 when not locked."""
    if row.locked_until is None or aware(row.locked_until) <= now:
        return 0
    return int((aware(row.locked_until) - now).total_seconds() // 60) + 1


def locked_message(row: Staff, now: datetime) -> str:
    return ("This account is locked after too many wrong passwords. "
            f"Try again in {locked_minutes(row, now)} minutes, or ask the administrator to unlock it.")


def temporary_expired(row: Staff, now: datetime, settings: SiteSettings) -> bool:
    if not row.must_change_password or row.password_set_at is None:
        return False
    return now - aware(row.password_set_at) > timedelta(days=settings["security.temporary_password_days"])


def current(uow: UnitOfWork, actor: Actor, cache: dict[int, Actor]) -> Actor:
    """The actor as the account stands in this unit of work (read once)."""
    if actor.staff_id in cache:
        return cache[actor.staff_id]
    row = uow.session.get(Staff, actor.staff_id)
    reason = refusal(row, uow.clock.now(), uow.settings)
    if reason:
        raise AccountRefused(reason)
    assert row is not None
    fresh = Actor(row.id, row.username, row.full_name, parse_roles(row.roles), row.registration_number)
    cache[actor.staff_id] = fresh
    return fresh


def bind(uow: UnitOfWork) -> Token[Callable[[Actor], Actor] | None]:
    """Make ``require`` re-check accounts through this unit of work."""
    cache: dict[int, Actor] = {}
    return ACCOUNT_CHECK.set(lambda actor: current(uow, actor, cache))


def unbind(token: Token[Callable[[Actor], Actor] | None]) -> None:
    ACCOUNT_CHECK.reset(token)


def aware(dt: datetime) -> datetime:
    """SQLite returns naive datetimes; ours are always stored as UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
