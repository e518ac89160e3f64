"""The treatment journey: referrals, episodes and their key worker, modalities, care plans,
TOP forms and the profile, discharge."""

from __future__ import annotations

from clinic.services.journey import episodes, ndtms, plans, top
from ui.operations import action

record_referral = action(episodes.record_referral)
record_first_contact = action(episodes.record_first_contact)
close_referral = action(episodes.close_referral)
open_episode = action(episodes.open_episode)
set_key_worker = action(episodes.set_key_worker)
add_modality = action(episodes.add_modality)
start_modality = action(episodes.start_modality)
end_modality = action(episodes.end_modality)
discharge = action(episodes.discharge)
save_plan = action(plans.save_plan)
review_plan = action(plans.review_plan)
record_top = action(top.record_top)
save_profile = action(top.save_profile)
top_form = action(top.top_form)
extract_csv = action(ndtms.extract_csv)
