"""The national return's shape: code lists, the extract's columns and the
items each record needs before it can be sent (seed 002 App. 1: "the NDTMS
report will be used").

NDTMS is the measure of record, but its data-set field names and numeric
codes could not be confirmed from public material here, so the extract's
column names are Harbour's own, written to read like the items they hold,
and the structure is NDTMS's: client → episode → modality → TOP. Ethnicity
uses the NHS Data Dictionary ethnic category codes (A–S, Z not stated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

NOT_STATED = "not_stated"

ETHNICITY = {
    "A": "White – British", "B": "White – Irish", "C": "White – any other White background",
    "D": "Mixed – White and Black Caribbean", "E": "Mixed – White and Black African",
    "F": "Mixed – White and Asian", "G": "Mixed – any other mixed background",
    "H": "Asian or Asian British – Indian", "J": "Asian or Asian British – Pakistani",
    "K": "Asian or Asian British – Bangladeshi", "L": "Asian or Asian British – any other Asian background",
    "M": "Black or Black British – Caribbean", "N": "Black or Black British – African",
    "P": "Black or Black British – any other Black background", "R": "Other – Chinese",
    "S": "Other – any other ethnic group", "Z": "Not stated",
}
SEXUAL_ORIENTATION = {"heterosexual": "Heterosexual or straight", "gay_lesbian": "Gay or lesbian",
                      "bisexual": "Bisexual", "other": "Other", "unsure": "Not sure",
                      NOT_STATED: "Not stated"}
RELIGION = {"none": "No religion", "christian": "Christian", "buddhist": "Buddhist", "hindu": "Hindu",
            "jewish": "Jewish", "muslim": "Muslim", "sikh": "Sikh", "other": "Any other religion",
            NOT_STATED: "Not stated"}
DISABILITY = {"yes": "Yes", "no": "No", NOT_STATED: "Not stated"}
SUBSTANCES = {
    "heroin": "Heroin", "methadone_illicit": "Methadone (not prescribed)",
    "buprenorphine_illicit": "Buprenorphine (not prescribed)", "other_opioid": "Other opioid",
    "crack": "Crack cocaine", "cocaine": "Cocaine powder", "amphetamines": "Amphetamines",
    "cannabis": "Cannabis", "benzodiazepines": "Benzodiazepines", "ketamine": "Ketamine",
    "nps": "New psychoactive substance", "alcohol": "Alcohol", "other": "Other",
}
ROUTES = {"injecting": "Injecting", "smoking": "Smoking", "sniffing": "Sniffing/snorting", "oral": "Oral",
          "other": "Other"}
INJECTING = {"current": "Currently injecting", "previous": "Previously injected", "never": "Never injected"}

#: Profile field → its allowed codes (what ``save_profile`` checks).
PROFILE_CODES: dict[str, Mapping[str, str]] = {
    "ethnicity": ETHNICITY, "sexual_orientation": SEXUAL_ORIENTATION, "religion": RELIGION,
    "disability": DISABILITY, "primary_substance": SUBSTANCES, "primary_route": ROUTES,
    "secondary_substance": SUBSTANCES, "secondary_route": ROUTES, "injecting_status": INJECTING,
}

#: The extract's columns, one CSV per level; each level carries its parent's key.
CLIENT_COLUMNS = ("record_level", "client_ref", "initials", "date_of_birth", "sex", "ethnicity",
                  "sexual_orientation", "religion", "disability", "postcode_district", "primary_substance",
                  "primary_route", "secondary_substance", "secondary_route", "injecting_status")
EPISODE_COLUMNS = ("record_level", "client_ref", "episode_ref", "referral_date", "referral_source",
                   "triage_date", "episode_start", "key_worker_assigned", "care_plan_date", "discharge_date",
                   "exit_reason", "reconstructed")
MODALITY_COLUMNS = ("record_level", "client_ref", "episode_ref", "modality", "referred_to_modality",
                    "modality_start", "modality_end")
TOP_COLUMNS = ("record_level", "client_ref", "episode_ref", "top_stage", "top_date")

#: Items a client needs before export: (label, test on the client's row).
REQUIRED_CLIENT = (
    ("Sex", "sex"), ("Ethnicity (or Z, not stated)", "ethnicity"), ("Primary substance", "primary_substance"),
    ("Route of the primary substance", "primary_route"), ("Injecting status", "injecting_status"),
)
REQUIRED_EPISODE = (
    ("Referral date", "referral_date"), ("Referral source", "referral_source"),
    ("Key worker", "key_worker_assigned"),
)


def client_ref(person_id: int) -> str:
    """A stable reference that is not the record number's plain digits."""
    return f"HB{person_id:07d}"


def initials(forename: str, surname: str) -> str:
    return (forename[:1] + surname[:1]).upper()


def postcode_district(postcode: str) -> str:
    """The outward part only ("SO14 2AA" → "SO14"): nothing finer leaves."""
    parts = postcode.strip().upper().split()
    return parts[0] if parts else ""


def iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def missing_items(client: Mapping[str, Any], episodes: Sequence[Mapping[str, Any]]) -> list[str]:
    """What a person's return lacks, in words, for the data-quality page.
    Each episode mapping has the episode columns plus ``has_start_top`` and
    ``has_exit_top``."""
    missing = [label for label, key in REQUIRED_CLIENT if not client.get(key)]
    for ep in episodes:
        if ep.get("reconstructed") == "yes":
            continue  # no referral or TOP was ever recorded for these: nothing to chase
        where = f"episode from {ep['episode_start']}"
        missing += [f"{label} ({where})" for label, key in REQUIRED_EPISODE if not ep.get(key)]
        if not ep.get("has_start_top"):
            missing.append(f"Start TOP ({where})")
        if ep.get("discharge_date") and not ep.get("has_exit_top"):
            missing.append(f"Exit TOP ({where})")
    return missing
