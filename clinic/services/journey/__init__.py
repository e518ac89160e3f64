"""The treatment journey: referral to discharge, plans, TOP, worklists, reports and the NDTMS extract."""
