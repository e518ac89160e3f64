"""Names vulture cannot see used, each with why it stays (issue 15, item 7).

vulture reads this file as code that uses them; nothing imports it. Qt
overrides and pytest names it cannot see are in ``[tool.vulture]
ignore_names`` in pyproject.toml.
"""

from clinic.services import alcohol, appointments_sessions, harm_reduction_reports, people_merge, queue, reports
from db import engine, keyring_store
from db.tables import appointments, harm_reduction, ost, probation

# SQLAlchemy calls the "begin" listener it is registered as by @event.listens_for.
engine._begin
# keyring ranks backends by this class attribute.
keyring_store.MemoryKeyring.priority

# Columns the record keeps (who made it, who saw it, what was asked): written here, read by the database,
# the audit and any later report, not by a Python attribute read.
appointments.AppointmentSeries.created_by
appointments.Appointment.created_by
appointments.Appointment.outcome_by
appointments.Appointment.outcome_at
appointments.QueueEntry.added_by
appointments.Callback.done_by
harm_reduction.NspVisit.safeguarding_reviewed_by
harm_reduction.NspVisitItem.needles_each
harm_reduction.NaloxoneUse.reported_on
harm_reduction.AlcoholScreen.audit_c_answers
ost.OstPrescription.previous_id
probation.DrrOrder.created_by

# Results handed back to the caller: part of what the service returns, whether or not today's screens show it.
alcohol.ScreenRecorded.screen_id
alcohol.InterventionRecorded.intervention_id
harm_reduction_reports.HarmReductionReport.generated_at
reports.KpiReport.generated_at
people_merge.MergeEntry.other_client_id
queue.QueueView.threshold_minutes

# The clinic-setup screen on the `loops` branch edits and cancels sessions through these.
appointments_sessions.update_session
appointments_sessions.cancel_session
