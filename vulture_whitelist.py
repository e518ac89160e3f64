"""Names vulture cannot see used, each with why it stays (issue 15, item 7).

vulture reads this file as code that uses them; nothing imports it. Qt
overrides and pytest names it cannot see are in ``[tool.vulture]
ignore_names`` in pyproject.toml.
"""

from clinic import safeguarding as safeguarding_rules
from clinic import vocabulary
from clinic.services import queue, reports
from clinic.services.harm_reduction import alcohol
from clinic.services.appointments import sessions as appointments_sessions
from clinic.services.safeguarding import consent
from clinic.services.harm_reduction import reports as harm_reduction_reports
from clinic.services.journey import top as journey_top
from clinic.services.people import merge as people_merge
from db import dialect, engine, keyring_store, server
from db.tables import appointments, audit, harm_reduction, journey, ost, probation, safeguarding, vaccination

# SQLAlchemy calls the "begin" listener it is registered as by @event.listens_for.
engine._begin
# SQLAlchemy calls the "handle_error" listeners they are registered as by @event.listens_for.
engine._busy
server._in_one_sentence
# SQLAlchemy's compiler calls what @compiles registers, and reads inherit_cache on each construct.
dialect._starts_postgres
dialect._starts_default
dialect.day_of.inherit_cache
# keyring ranks backends by this class attribute.
keyring_store.MemoryKeyring.priority

# Columns the record keeps (who made it, who saw it, what was asked): written here, read by the database,
# the audit and any later report, not by a Python attribute read.
audit.AuditChain.mac_key  # the table is the model's so both schemas agree; db.audit reads the key in SQL
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
# Who did it, written by the service that does it (journey.record_first_contact, consent, safeguarding_flags,
# vaccine_stock.write_off, safeguarding.remove_child, safeguarding_flags.set_lead) and read by the audit and reports.
journey.Referral.first_contact_by
safeguarding.SafeguardingProfile.limits_explained_by
safeguarding.HouseholdChild.removed_reason
safeguarding.SafeguardingFlag.closed_by
safeguarding.SafeguardingLead.marked_by
safeguarding.SafeguardingLead.marked_at
vaccination.VaccineBatch.written_off_by

# The national-return profile is read and written by field name (journey_top._FIELDS, journey_ndtms._PROFILE).
journey.NationalProfile.sexual_orientation
journey.NationalProfile.religion
journey.NationalProfile.disability
journey.NationalProfile.primary_route
journey.NationalProfile.secondary_route
journey_top.Profile.sexual_orientation
journey_top.Profile.religion
journey_top.Profile.disability
journey_top.Profile.primary_route
journey_top.Profile.secondary_route

# Choices offered by iterating the enum and stored by value (StrEnum(value) reads them back), never named in code.
safeguarding_rules.Lives.WITH
safeguarding_rules.AgeBand.UNDER_1
safeguarding_rules.AgeBand.AGE_1_4
safeguarding_rules.AgeBand.AGE_5_11
safeguarding_rules.AgeBand.AGE_12_17
safeguarding_rules.ChildProtection.CHILD_IN_NEED
safeguarding_rules.ChildProtection.CP_PLAN
safeguarding_rules.ChildProtection.LOOKED_AFTER
safeguarding_rules.FlagKind.ADULT_CONCERN
safeguarding_rules.ConsentDecision.REFUSED
safeguarding_rules.ReferralKind.MENTAL_HEALTH
safeguarding_rules.ReferralKind.MUTUAL_AID
safeguarding_rules.ReferralKind.YOUNG_PEOPLE
safeguarding_rules.ReferralOutcome.SEEN

# Results handed back to the caller: part of what the service returns, whether or not today's screens show it.
alcohol.ScreenRecorded.screen_id
consent.ProbationConsent.may_share
alcohol.InterventionRecorded.intervention_id
harm_reduction_reports.HarmReductionReport.generated_at
reports.KpiReport.generated_at
people_merge.MergeEntry.other_client_id
queue.QueueView.threshold_minutes

# The clinic-setup screen on the `loops` branch edits and cancels sessions through these.
appointments_sessions.update_session
appointments_sessions.cancel_session

# Enum reads a member's value from _value_, set in Labelled.__new__.
vocabulary.Labelled._value_
# Opened by name through ui.shell.person_actions (one feature does not import another).
from ui.counter import naloxone_dialogs  # noqa: E402

naloxone_dialogs.open_supply
# Python calls a module's __getattr__ for `from db.tables import metadata` (every table, loaded then).
import db.tables  # noqa: E402

db.tables.__getattr__
