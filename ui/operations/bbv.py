"""BBV testing: offer, decline, test, result, result given, referral, correction."""

from __future__ import annotations

from clinic.services import bbv
from ui.operations import action

record_offer = action(bbv.record_offer)
record_decline = action(bbv.record_decline)
record_test = action(bbv.record_test)
record_result = action(bbv.record_result)
record_result_given = action(bbv.record_result_given)
record_referral = action(bbv.record_referral)
void_event = action(bbv.void_event)
