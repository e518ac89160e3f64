"""Where a walk-in is in the drop-in queue, and which moves are allowed.

waiting → with_clinician → seen, or left (from waiting or with the
clinician). Stored as its value in ``queue_entries.status``.
"""

from __future__ import annotations

from clinic.vocabulary import Labelled


class QueueStatus(Labelled):
    WAITING = "waiting"
    WITH_CLINICIAN = "with_clinician"
    SEEN = "seen"
    LEFT = "left"


#: Still in the queue: waiting or with the clinician.
IN_QUEUE = (QueueStatus.WAITING, QueueStatus.WITH_CLINICIAN)

#: status -> the statuses it may be reached from.
REACHED_FROM: dict[QueueStatus, tuple[QueueStatus, ...]] = {
    QueueStatus.WITH_CLINICIAN: (QueueStatus.WAITING,),
    QueueStatus.SEEN: (QueueStatus.WITH_CLINICIAN, QueueStatus.WAITING),
    QueueStatus.LEFT: IN_QUEUE,
    QueueStatus.WAITING: (QueueStatus.WITH_CLINICIAN,),  # called by mistake: back in the queue
}
