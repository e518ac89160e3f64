"""Probation (DRR orders): orders, consent, attendance and drug tests, and the letters to Probation."""

from __future__ import annotations

from clinic.services.probation import attendance, letters, orders
from ui.operations import action

activate_order = action(orders.activate_order)
end_order = action(orders.end_order)
withdraw_consent = action(orders.withdraw_consent)
book_required = action(attendance.book_required)
record_outcome = action(attendance.record_outcome)
amend_outcome = action(attendance.amend_outcome)
record_drug_test = action(attendance.record_drug_test)
set_summary = action(letters.set_summary)
file_batch = action(letters.file_batch)
mark_sent = action(letters.mark_sent)
save_contact = action(orders.save_contact)
