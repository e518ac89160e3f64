"""Action names for the audit filter: families first, then the common
single actions. A filter is a prefix, so "person." matches every person
action; the box is editable for anything not listed."""

from __future__ import annotations

ACTION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("", "Any action"),
    ("person.opened", "Record opened"),
    ("person.", "People: any"),
    ("appointment", "Appointments: any"),
    ("bbv.", "BBV tests: any"),
    ("vaccination.", "Vaccinations: any"),
    ("ost.", "OST: any"),
    ("safe_storage.", "Safe-storage boxes: any"),
    ("probation.", "DRR/ATR: any"),
    ("letter.", "Letters: any"),
    ("staff.", "Staff accounts: any"),
    ("staff.sign", "Sign-ins and refusals"),
    ("staff.locked_out", "Lock-outs"),
    ("settings.", "Site settings changed"),
    ("audit.", "Audit exports and checks"),
    ("site.", "Site set-up and backups"),
)
