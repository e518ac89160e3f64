"""Call-back messages taken at reception, and marking them done."""

from __future__ import annotations

from clinic.services import callbacks
from ui.operations import action

take_message = action(callbacks.take_message)
mark_done = action(callbacks.mark_done)
