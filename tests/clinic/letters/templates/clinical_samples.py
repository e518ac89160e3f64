"""Fixed clinical letters for the tests (recalls, OST letters, the
safe-storage leaflet): the same input every time. Their paragraphs are
what the services' data builders produce."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from clinic.letters import Recipient, Signatory
from clinic.letters.templates.ost_review_gp import OstReviewToGP
from clinic.letters.templates.pharmacy_missed_doses import PharmacyMissedDoses
from clinic.letters.templates.results_ready import ResultsReady
from clinic.letters.templates.safe_storage_leaflet import SafeStorageAdvice
from clinic.letters.templates.vaccination_recall import VaccinationRecall
from clinic.services.ost.letters import LEAFLET_POINTS
from tests.clinic.letters.samples import HEAD, NURSE, TODAY, ZOE

PRESCRIBER = Signatory("Dr Priya Shah", "Prescriber", "GMC 7654321")
RING = "Please ring us on 01234 567890 to arrange a time that suits you, or drop in during opening hours."


def vaccination_recall(recipient: Recipient = ZOE, **fields: object) -> VaccinationRecall:
    letter = VaccinationRecall(
        reference="H000123/8", date=TODAY, recipient=recipient, signatory=NURSE, letterhead=HEAD,
        paragraphs=("Your next appointment with our nurse is due on 7 December 2026.",
                    "It is important to come back so that the care you have started is completed.", RING))
    return replace(letter, **fields)


def results_ready(recipient: Recipient = ZOE, **fields: object) -> ResultsReady:
    letter = ResultsReady(
        reference="H000123/9", date=TODAY, recipient=recipient, signatory=NURSE, letterhead=HEAD,
        paragraphs=("We would like to see you to go over something from your recent visit to our service.",
                    "This will only take a few minutes with our nurse.", RING))
    return replace(letter, **fields)


def ost_review_gp(**fields: object) -> OstReviewToGP:
    letter = OstReviewToGP(
        reference="H000123/10", date=TODAY, signatory=PRESCRIBER, letterhead=HEAD,
        recipient=Recipient("Riverside Surgery", ("5 River Road", "Exampletown", "EX3 4CC")),
        patient_name="Zoë Ó Súilleabháin", date_of_birth=date(1985, 7, 3), nhs_number="9434765919",
        patient_address=("Flat 2", "14 Łukasz Court", "Exampletown", "EX2 3BB"),
        summary=(("Medication", "60 mg methadone (oral solution 1 mg/mL) daily"),
                 ("Supervision", "6 supervised, 1 take-home days a week"),
                 ("Review date", "23 November 2026"), ("Attendance", "Attending well"), ("Dose", "Adequate"),
                 ("On-top use", "None reported"), ("Injecting", "No"), ("Overdose risk", "Low"),
                 ("Naloxone held", "Yes"), ("Next review", "23 February 2027")),
        paragraphs=("We reviewed your patient's opioid substitution treatment. The main points are summarised above.",
                    "Agreed plan: Continue; naloxone refreshed.",
                    "Please do not prescribe opioids or sedatives without contacting us first."))
    return replace(letter, **fields)


def pharmacy_missed(**fields: object) -> PharmacyMissedDoses:
    letter = PharmacyMissedDoses(
        reference="H000123/11", date=TODAY, signatory=PRESCRIBER, letterhead=HEAD,
        recipient=Recipient("Quay Pharmacy", ("12 Quay Street", "Exampletown", "EX1 9ZZ")),
        patient_name="Zoë Ó Súilleabháin", date_of_birth=date(1985, 7, 3), nhs_number="9434765919",
        patient_address=("Flat 2", "14 Łukasz Court", "Exampletown", "EX2 3BB"),
        medicine="60 mg methadone daily", supervision="6 supervised, 1 take-home days a week",
        prescriber="Dr Priya Shah",
        missed_days=(date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)),
        instruction=("Do not dispense the next dose until the prescriber has reviewed the prescription and told "
                     "you how to continue."))
    return replace(letter, **fields)


def safe_storage(recipient: Recipient = ZOE, **fields: object) -> SafeStorageAdvice:
    letter = SafeStorageAdvice(reference="H000123/12", date=TODAY, recipient=recipient, signatory=NURSE,
                               letterhead=HEAD, box_number="B0042", issued_on=TODAY, points=LEAFLET_POINTS)
    return replace(letter, **fields)
