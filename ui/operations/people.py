"""People on the register: register, change details, close and reopen a record, merge, GP practices,
and opening a record (audited, so a write)."""

from __future__ import annotations

from clinic.services.people import merge as merging, records, summary
from ui.operations import action

register = action(records.register)
update = action(records.update)
close_record = action(records.close_record)
reopen = action(records.reopen)
save_gp_practice = action(records.save_gp_practice)
merge = action(merging.merge)
open_record = action(summary.open_record)
