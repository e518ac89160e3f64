"""The one seam between the appointment book and a service that must act, in
the same transaction, on what happens to a booking.

A DRR booking links to the person's court order when it is made (or edited
into the DRR type; edited out of it, it is unlinked), and marking it
did-not-attend records the outcome Probation is owed. Probation books
appointments (a DRR series), so the book cannot import probation without a
cycle. Instead the book calls the watcher set here, and
``clinic/services/__init__.py`` sets it, so it is in place whatever module is
imported first (Anki's ``hooks`` do the same for its GUI). A book with no
watcher refuses to run rather than let a DNA go unreported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from clinic.permissions import Actor
    from clinic.uow import UnitOfWork
    from db.tables.appointments import Appointment


class Linked(Protocol):
    """What a new booking was linked to, in words the booking dialog shows."""

    @property
    def order_id(self) -> int: ...

    @property
    def label(self) -> str: ...


class Recorded(Protocol):
    """What marking a booking recorded elsewhere, in one sentence."""

    @property
    def message(self) -> str: ...


class Relinked(Protocol):
    """How a changed booking's link to an order changed, in one sentence."""

    @property
    def order_id(self) -> int | None: ...  # the order it is linked to now; None: unlinked

    @property
    def was_order_id(self) -> int | None: ...

    @property
    def message(self) -> str: ...


class BookingWatcher(Protocol):
    def booked(self, uow: UnitOfWork, appointment: Appointment, order_id: int | None) -> Linked | None:
        """A booking was just made (flushed, with its id); ``order_id`` is the
        order the user chose for it, if any."""

    def changed(self, uow: UnitOfWork, appointment: Appointment, old_type_id: int,
                order_id: int | None) -> Relinked | None:
        """A booking was just edited (flushed) from type ``old_type_id``;
        ``order_id`` is the order the user chose, if any. May refuse
        (``Refused``, field ``type_id``) a change the watcher cannot follow."""

    def status_set(self, uow: UnitOfWork, actor: Actor, appointment: Appointment, status: str) -> Recorded | None:
        """A booking was just marked ``status`` ("seen", "late", "dna", ...)."""


_watcher: BookingWatcher | None = None


def watch(watcher: BookingWatcher) -> None:
    global _watcher  # noqa: PLW0603 - the seam is exactly this one slot, set once at import
    _watcher = watcher


def watcher() -> BookingWatcher:
    if _watcher is None:
        raise RuntimeError("The appointment book has no watcher; import clinic.services before booking.")
    return _watcher
