"""Safeguarding, consent to share and referrals out: the record tab, its
dialogs and the worklist pages (issue 20)."""
