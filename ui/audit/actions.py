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

#: Single actions worth their own words; others read as "<family>: <what>".
ACTION_LABELS = {prefix: label for prefix, label in ACTION_PREFIXES if prefix and not prefix.endswith(".")}


def plain_action(action: str) -> str:
    """An audit action as staff say it (UI-40): "probation.letter_sent" reads
    "DRR/ATR: letter sent"; the internal name stays in the CSV export."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    family, _, what = action.partition(".")
    label = next((text.removesuffix(": any") for prefix, text in ACTION_PREFIXES
                  if prefix == f"{family}."), family.replace("_", " ").capitalize())
    return f"{label}: {what.replace('_', ' ')}" if what else label


def plain_entity(entity: str, entity_id: str) -> str:
    """"drr_notification 592" reads "Drr notification no. 592"."""
    name = entity.replace("_", " ").capitalize()
    return f"{name} no. {entity_id}" if entity_id else name
