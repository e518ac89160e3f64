"""Safeguarding: flags, referrals and their letters, the household, consent to share, information requests."""

from __future__ import annotations

from clinic.services.safeguarding import consent, flags, household, referrals, requests
from ui.operations import action

raise_flag = action(flags.raise_flag)
review_flag = action(flags.review_flag)
close_flag = action(flags.close_flag)
mark_lead = action(flags.mark_lead)
refer = action(referrals.refer)
record_outcome = action(referrals.record_outcome)
file_letter = action(referrals.file_letter)
add_child = action(household.add_child)
remove_child = action(household.remove_child)
record_pregnancy = action(household.record_pregnancy)
record_hidden_harm_review = action(household.record_hidden_harm_review)
record_early_help = action(household.record_early_help)
record_consent = action(consent.record_consent)
record_probation_consent = action(consent.record_probation_consent)
record_limits_explained = action(consent.record_limits_explained)
record_disclosure = action(consent.record_disclosure)
log_request = action(requests.log_request)
answer_request = action(requests.answer_request)
