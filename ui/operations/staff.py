"""Staff accounts and signing in: deactivate or reactivate, unlock, the lock screen's password check."""

from __future__ import annotations

from clinic.services import staff
from ui.operations import action

set_active = action(staff.set_active)
unlock = action(staff.unlock)
check_password = action(staff.check_password)
