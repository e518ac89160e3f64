"""What letters to the person must never say (DESIGN §3, and the service's
own practice): anything that tells a reader what the service is for."""

from __future__ import annotations

REVEALING = ("drug", "substance", "bbv", "blood-borne", "hepatitis", "hiv", "methadone", "opioid", "needle",
             "inject", "treatment", "harm reduction", "alcohol", "probation", "overdose")
#: Words a kind letter after a missed appointment does not use.
PUNITIVE = ("failed", "did not attend", "dna", "discharge", "warning", "must", "breach", "unacceptable")


def words_found(text: str, words: tuple[str, ...]) -> list[str]:
    lowered = text.lower()
    return [word for word in words if word in lowered]
