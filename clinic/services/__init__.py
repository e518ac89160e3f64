"""The services: every read and write a screen or the admin tool makes, each
checking the user's role and auditing in the same unit of work.

Importing any of them wires the appointment book's one watcher (probation's
links), so a DRR booking links to its order and a DNA reaches Probation
whichever service was imported first. The watcher imports probation's links
when the book first calls it: imported here, probation, the book and the
bank-holiday calendar would be paid for by every process's first service
import, the sign-in window's too (issue 21, the cold start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clinic.services.appointments import watchers as _watchers

if TYPE_CHECKING:
    from clinic.permissions import Actor
    from clinic.uow import UnitOfWork
    from db.tables.appointments import Appointment


class _ProbationLinks:
    """``probation.links.BOOKING_LINKS``, imported at the book's first call."""

    def booked(self, uow: UnitOfWork, appointment: Appointment, order_id: int | None) -> _watchers.Linked | None:
        from clinic.services.probation.links import BOOKING_LINKS
        return BOOKING_LINKS.booked(uow, appointment, order_id)

    def changed(self, uow: UnitOfWork, appointment: Appointment, old_type_id: int,
                order_id: int | None) -> _watchers.Relinked | None:
        from clinic.services.probation.links import BOOKING_LINKS
        return BOOKING_LINKS.changed(uow, appointment, old_type_id, order_id)

    def status_set(self, uow: UnitOfWork, actor: Actor, appointment: Appointment,
                   status: str) -> _watchers.Recorded | None:
        from clinic.services.probation.links import BOOKING_LINKS
        return BOOKING_LINKS.status_set(uow, actor, appointment, status)


_watchers.watch(_ProbationLinks())
