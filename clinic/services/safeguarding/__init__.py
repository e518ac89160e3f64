"""Safeguarding: household and children, flags, requests, consent to share and referrals out."""
