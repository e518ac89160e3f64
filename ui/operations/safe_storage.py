"""Safe storage boxes: received into stock, issued, returned, lost, replaced."""

from __future__ import annotations

from clinic.services import safe_storage
from ui.operations import action

receive_boxes = action(safe_storage.receive_boxes)
issue_box = action(safe_storage.issue_box)
return_box = action(safe_storage.return_box)
lose_box = action(safe_storage.lose_box)
replace_box = action(safe_storage.replace_box)
