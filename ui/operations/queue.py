"""The walk-in queue on the Today page: add, call, seen or left."""

from __future__ import annotations

from clinic.services import queue
from ui.operations import action

add_walk_in = action(queue.add_walk_in)
call_next = action(queue.call_next)
mark_seen = action(queue.mark_seen)
mark_left = action(queue.mark_left)
