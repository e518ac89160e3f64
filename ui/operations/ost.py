"""Opioid substitution treatment: prescriptions, pharmacies, reviews, missed doses."""

from __future__ import annotations

from clinic.changes import Changes
from clinic.permissions import Actor
from clinic.services.ost import missed, prescriptions, reviews
from ui.operations import Write, action

start_prescription = action(prescriptions.start_prescription)
change_prescription = action(prescriptions.change_prescription)
stop_prescription = action(prescriptions.stop_prescription)
update_pharmacy = action(prescriptions.update_pharmacy)
retire_pharmacy = action(prescriptions.retire_pharmacy)
record_review = action(reviews.record_review)
sign_off_review = action(reviews.sign_off_review)
record_missed_doses = action(missed.record_missed_doses)
record_decision = action(missed.record_decision)


def add_pharmacy(actor: Actor, cmd: prescriptions.AddPharmacy) -> Write[prescriptions.PharmacySaved]:
    """Add a pharmacy, answered as an update is (the pharmacy list reads a ``PharmacySaved``)."""
    return lambda uow: prescriptions.PharmacySaved(prescriptions.add_pharmacy(uow, actor, cmd), "Added.",
                                                   Changes.of(prescriptions.AREA))
