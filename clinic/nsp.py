"""Needle and syringe programme rules (seeds 000 §3, 001 §8.2 and §14, 002 §10.2).

- **Pseudonymous code.** Someone who will not give a name is known by their
  initials, date of birth and gender, as NSP services do, so repeat visits
  link without a name: "JS03071985M". Initials are folded (accents and
  punctuation dropped, upper case) so "j.s.", "J S" and "Jś" give the same
  code; the year is written in full so a code never means two people born a
  century apart.
- **Under 18.** Equipment goes to a 16 or 17 year old only after a recorded
  assessment that withholding it is the greater risk (seed 000 §3, §12), in
  smaller quantities (seed 002 §10.2: the site's cap on needles per visit),
  and the visit is flagged for the safeguarding lead. The cap counts
  needles: a loose needle or fixed-needle syringe is one, a pack as many as
  it holds.
- **Return rate** = items returned / items issued in the period, as a
  percentage; nothing issued means no rate (not 0%, not 100%).

The site's item list is a setting of lines ``type|label`` or
``type|label|needles`` (``parse_items``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from clinic.dates import age_on
from clinic.errors import Refused
from clinic.names import fold

ADULT_AGE = 18
MAX_INITIALS = 3

GENDERS = {"M": "Male", "F": "Female", "X": "Another gender or not stated"}
_GENDER_WORDS = {"m": "M", "male": "M", "man": "M", "f": "F", "female": "F", "woman": "F",
                 "x": "X", "other": "X", "another": "X", "u": "X", "unknown": "X", "notstated": "X"}
_CODE = re.compile(r"^([A-Z]{1,3})(\d{2})(\d{2})(\d{4})([MFX])$")

#: Item types, in the order the counter shows them, with the needles one of each holds by default.
ITEM_TYPES: dict[str, tuple[str, int]] = {
    "needle": ("Needles", 1),
    "syringe": ("Syringes", 1),
    "barrel": ("Barrels", 0),
    "pack": ("Packs", 10),
    "foil": ("Foil", 0),
    "citric": ("Citric", 0),
    "water": ("Water", 0),
    "filter": ("Filters", 0),
    "spoon": ("Spoons", 0),
    "swab": ("Swabs", 0),
    "sharps_bin": ("Sharps bins", 0),
    "condom": ("Condoms", 0),
}

ADVICE = {
    "safer_injecting": "Safer injecting",
    "bbv": "Blood-borne viruses",
    "overdose": "Overdose",
    "stop_injecting": "Moving away from injecting",
    "wound_care": "Wound care",
}

DEFAULT_ITEMS = (
    "needle|Orange 25G 16mm",
    "needle|Blue 23G 30mm",
    "needle|Green 21G 40mm",
    "syringe|1ml fixed needle (insulin)",
    "syringe|2ml",
    "barrel|2ml",
    "barrel|5ml",
    "pack|Standard pack (10 sets)|10",
    "foil|Foil sheets",
    "citric|Citric sachets",
    "water|Water ampoules",
    "filter|Filters",
    "spoon|Spoons (Stericup)",
    "swab|Swabs",
    "sharps_bin|Sharps bin 1 litre",
    "condom|Condoms",
)


@dataclass(frozen=True)
class Item:
    """One line of the site's item list."""

    type: str
    label: str
    needles: int  # needles one of these holds (for the under-18 cap)

    @property
    def type_label(self) -> str:
        return ITEM_TYPES[self.type][0]


def parse_items(lines: Iterable[str]) -> tuple[Item, ...]:
    """The site's item list; a line that is not ``type|label[|needles]`` is refused."""
    items, seen = [], set()
    for line in lines:
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (2, 3) or parts[0] not in ITEM_TYPES or not parts[1]:
            raise ValueError(f"{line!r} is not an item: write type|label or type|label|needles, "
                             f"with type one of {', '.join(ITEM_TYPES)}.")
        needles = ITEM_TYPES[parts[0]][1]
        if len(parts) == 3:
            if not parts[2].isdigit() or int(parts[2]) > 100:
                raise ValueError(f"{line!r}: the needles in one is a whole number from 0 to 100.")
            needles = int(parts[2])
        if (parts[0], parts[1]) in seen:
            raise ValueError(f"{parts[1]} is listed twice.")
        seen.add((parts[0], parts[1]))
        items.append(Item(parts[0], parts[1], needles))
    return tuple(items)


def normalise_gender(text: str) -> str:
    gender = _GENDER_WORDS.get(fold(text))
    if gender is None:
        raise Refused("Choose the gender: male, female, or another gender / not stated.", field="gender")
    return gender


def normalise_initials(text: str) -> str:
    initials = fold(text).upper()
    if not initials.isalpha() or not 1 <= len(initials) <= MAX_INITIALS:
        raise Refused("Initials are one to three letters: first name, then surname.", field="initials")
    return initials


def pseudonymous_code(initials: str, date_of_birth: date, gender: str, *, today: date) -> str:
    """The stable code for someone who will not give a name: "JS03071985M"."""
    if date_of_birth > today:
        raise Refused("The date of birth is in the future.", field="date_of_birth")
    if date_of_birth.year < 1900:
        raise Refused("The date of birth is before 1900.", field="date_of_birth")
    return f"{normalise_initials(initials)}{date_of_birth:%d%m%Y}{normalise_gender(gender)}"


def parse_code(text: str) -> str:
    """A typed code, tidied ("js 03-07-1985 m" -> "JS03071985M"); refused if it cannot be one."""
    code = re.sub(r"[^A-Za-z0-9]", "", text).upper()
    match = _CODE.match(code)
    if match is None:
        raise Refused("A code is initials, date of birth (ddmmyyyy) and M, F or X, e.g. JS03071985M.",
                      field="code")
    _, day, month, year, _ = match.groups()
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        raise Refused(f"{day}/{month}/{year} in the code is not a real date.", field="code") from None
    return code


def date_of_birth_in(code: str) -> date:
    match = _CODE.match(code)
    if match is None:
        raise ValueError("Not a pseudonymous code.")
    _, day, month, year, _ = match.groups()
    return date(int(year), int(month), int(day))


def is_under_18(date_of_birth: date | None, on: date, *, stated_under_18: bool = False) -> bool:
    """From the date of birth when known, else as the visitor stated."""
    if date_of_birth is None:
        return stated_under_18
    return age_on(date_of_birth, on) < ADULT_AGE


def needles_in(quantities: Iterable[tuple[Item, int]]) -> int:
    return sum(item.needles * quantity for item, quantity in quantities)


def check_young_person(*, under_18: bool, needles: int, cap: int, greater_risk_assessed: bool,
                       assessment_note: str) -> None:
    """Refuse an under-18 visit without the assessment, or over the cap. Adults pass."""
    if not under_18:
        return
    if not greater_risk_assessed or not assessment_note.strip():
        raise Refused("Under 18: record the assessment that withholding equipment is the greater risk "
                      "(tick it and say why) before anything is given.", field="assessment")
    if needles > cap:
        raise Refused(f"Under 18: at most {cap} needles a visit (site setting); {needles} entered.",
                      field="items")


def return_rate(returned: int, issued: int) -> float | None:
    """Items returned as a percentage of items issued; None when nothing was issued."""
    if returned < 0 or issued < 0:
        raise ValueError("Counts of items cannot be negative.")
    if issued == 0:
        return None
    return 100.0 * returned / issued
