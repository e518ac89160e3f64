"""The harm-reduction counter: needle and syringe visits, naloxone kits and training,
alcohol screens and brief interventions."""

from __future__ import annotations

from clinic.services.harm_reduction import alcohol, naloxone, nsp
from ui.operations import action

record_visit = action(nsp.record_visit)
mark_safeguarding_reviewed = action(nsp.mark_safeguarding_reviewed)
receive_kits = action(naloxone.receive_kits)
supply_kit = action(naloxone.supply_kit)
report_used = action(naloxone.report_used)
record_training = action(naloxone.record_training)
record_screen = action(alcohol.record_screen)
record_alcohol_intervention = action(alcohol.record_alcohol_intervention)
record_drug_intervention = action(alcohol.record_drug_intervention)
