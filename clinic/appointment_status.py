"""What has happened to a booking, and which markings may follow which.

Stored as its value in ``appointments.status`` (``db/tables/appointments.py``).
Flow: booked → arrived → in_progress → seen; did not attend; cancelled by the
client or the service; left without being seen.
"""

from __future__ import annotations

from clinic.vocabulary import Labelled


class AppointmentStatus(Labelled):
    BOOKED = "booked"
    ARRIVED = "arrived"
    IN_PROGRESS = "in_progress"
    SEEN = "seen"
    DNA = "dna", "Did not attend"
    CANCELLED_CLIENT = "cancelled_client", "Cancelled by client"
    CANCELLED_SERVICE = "cancelled_service", "Cancelled by service"
    LEFT_UNSEEN = "left_unseen", "Left without being seen"

    @property
    def short_label(self) -> str:
        """The words the printed day sheet's narrow column shows."""
        return _SHORT_LABELS.get(self, self.label)


_SHORT_LABELS = {
    AppointmentStatus.IN_PROGRESS: "With clinician",
    AppointmentStatus.LEFT_UNSEEN: "Left unseen",
}

_S = AppointmentStatus
#: Cancellations free the slot.
CANCELLED = (_S.CANCELLED_CLIENT, _S.CANCELLED_SERVICE)
#: Statuses that still hold the slot: everything but a cancellation.
HOLDS_SLOT = tuple(s for s in AppointmentStatus if s not in CANCELLED)
#: Past appointments in these statuses still need an outcome.
NO_OUTCOME = (_S.BOOKED, _S.ARRIVED, _S.IN_PROGRESS)
#: The outcomes: who marks one is recorded.
OUTCOMES = (_S.SEEN, _S.DNA, _S.LEFT_UNSEEN)
#: Markings that say the person came (or did not): none is possible on a later day.
ON_THE_DAY = (*NO_OUTCOME[1:], *OUTCOMES)

#: status -> statuses it may move to (corrections included: a DNA later found
#: to have been seen, an arrival marked on the wrong person). Keyed by the
#: stored value, so a row's status looks itself up.
TRANSITIONS: dict[str, frozenset[AppointmentStatus]] = {
    _S.BOOKED: frozenset({_S.ARRIVED, _S.IN_PROGRESS, _S.SEEN, _S.DNA, *CANCELLED}),
    _S.ARRIVED: frozenset({_S.BOOKED, _S.IN_PROGRESS, _S.SEEN, _S.LEFT_UNSEEN}),
    _S.IN_PROGRESS: frozenset({_S.ARRIVED, _S.SEEN, _S.LEFT_UNSEEN}),
    _S.SEEN: frozenset({_S.IN_PROGRESS}),
    _S.DNA: frozenset({_S.BOOKED, _S.ARRIVED, _S.SEEN}),
    _S.LEFT_UNSEEN: frozenset({_S.ARRIVED}),
    _S.CANCELLED_CLIENT: frozenset(),
    _S.CANCELLED_SERVICE: frozenset(),
}
