"""Rules about people on the register, with no I/O.

- Client IDs: ``H`` and the record number padded to six digits ("H000123").
  Printed on letters and typed into search as "H123", "h000123" or
  "H 123". The number is the database id, so it never changes and is never
  reused; a merged record keeps its own ID and points to the survivor.
- Phone numbers and postcodes are checked loosely: a number that is not a UK
  number or a postcode that does not look like one gets a *warning*, never a
  refusal (people have foreign phones, and postcodes get typed in odd ways).
- Duplicate likelihood: same date of birth and a similar name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clinic.dates import check_date_of_birth
from clinic.names import fold
from clinic.nhs_number import normalise as normalise_nhs

CLIENT_ID_PREFIX = "H"
_CLIENT_ID = re.compile(r"[hH]\s*-?\s*([0-9]{1,9})")

CLOSE_REASONS: dict[str, str] = {
    "planned_exit": "Planned exit",
    "dropped_out": "Dropped out of treatment",
    "transferred": "Transferred to another service",
    "died": "Died",
}

class PersonStatus(StrEnum):
    """Where a record is (``people.status``): open, closed (it can be reopened),
    or merged into another record (never shown or written again)."""

    OPEN = "open"
    CLOSED = "closed"
    MERGED = "merged"


#: The screens' words for each status, keyed by its stored value.
STATUS_LABELS: dict[str, str] = {s: s.value.capitalize() for s in PersonStatus}


def client_id(person_id: int) -> str:
    """The ID staff see and type: "H000123"."""
    return f"{CLIENT_ID_PREFIX}{person_id:06d}"


def parse_client_id(text: str) -> int | None:
    """The record number in "H123" / "h000123" / "H 123", else None."""
    match = _CLIENT_ID.fullmatch(text.strip())
    if match is None:
        return None
    number = int(match.group(1))
    return number or None


# ---- phones and postcodes (warnings only) ---------------------------------

_PHONE_CHARS = re.compile(r"[0-9 ()+\-.]+")
_UK_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")


def phone_warning(text: str) -> str | None:
    """None if ``text`` is blank or a UK number, else what to check.

    UK numbers: 11 digits starting 0 (07700 900123, 020 7946 0000), or
    +44 followed by 10 digits. Other international numbers (+ and 8–15
    digits) are allowed with a gentle note.
    """
    stripped = text.strip()
    if not stripped:
        return None
    if not _PHONE_CHARS.fullmatch(stripped):
        return "Phone number has characters other than digits, spaces and + ( ) -"
    digits = re.sub(r"[^0-9]", "", stripped)
    if stripped.startswith("+") or stripped.startswith("00"):
        digits = digits[2:] if stripped.startswith("00") else digits
        if digits.startswith("44"):
            rest = digits[2:].removeprefix("0")
            return None if len(rest) == 10 else "UK numbers have 10 digits after +44"
        if 8 <= len(digits) <= 15:
            return "Not a UK number; check it can be called from here"
        return "International numbers have 8 to 15 digits after the +"
    if not digits.startswith("0"):
        return "UK numbers start with 0 (or +44)"
    if len(digits) != 11:
        return f"UK numbers have 11 digits (this has {len(digits)})"
    return None


def normalise_postcode(text: str) -> str:
    """Upper case with one space before the inward code: "ox11aa" -> "OX1 1AA".

    Text that does not look like a postcode is returned upper-cased and
    trimmed, unchanged otherwise (see ``postcode_warning``).
    """
    compact = re.sub(r"\s+", "", text).upper()
    if _UK_POSTCODE.fullmatch(compact):
        return f"{compact[:-3]} {compact[-3:]}"
    return " ".join(text.split()).upper()


def postcode_warning(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text).upper()
    if not compact or _UK_POSTCODE.fullmatch(compact):
        return None
    return "This does not look like a UK postcode (like OX1 1AA)"


# ---- checking a person's details --------------------------------------------


@dataclass(frozen=True)
class Checked:
    """Field name -> message. Errors stop a save; warnings are shown beside
    the field and the save goes ahead."""

    errors: dict[str, str]
    warnings: dict[str, str]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_details(
    *, surname: str, forename: str, date_of_birth: date | None, nhs_number: str,
    phone: str, postcode: str, emergency_contact_phone: str, today: date,
) -> Checked:
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    if not surname.strip():
        errors["surname"] = "Enter a surname (family name)"
    elif not fold(surname):
        errors["surname"] = "Surname needs at least one letter"
    if not forename.strip():
        errors["forename"] = "Enter a first name"
    if date_of_birth is None:
        errors["date_of_birth"] = "Enter a date of birth, like 03/07/1985"
    else:
        try:
            check_date_of_birth(date_of_birth, today=today)
        except ValueError as exc:
            errors["date_of_birth"] = str(exc)
    if nhs_number.strip():
        try:
            normalise_nhs(nhs_number)
        except ValueError as exc:
            errors["nhs_number"] = str(exc)
    for field, value in (("phone", phone), ("emergency_contact_phone", emergency_contact_phone)):
        if (message := phone_warning(value)) is not None:
            warnings[field] = message
    if (message := postcode_warning(postcode)) is not None:
        warnings["postcode"] = message
    return Checked(errors, warnings)


# ---- duplicates ----------------------------------------------------------------


@dataclass(frozen=True)
class NameParts:
    surname: str
    forename: str
    preferred: str = ""


def similar_name(a: NameParts, b: NameParts) -> str | None:
    """Why two names (with the same date of birth) may be one person, or None.

    Similar means: the same surname once folded; or the first three letters
    of both forename and surname agree (either way round, for names entered
    in the wrong boxes); or one's preferred name is the other's forename or
    preferred name.
    """
    sa, fa, pa = fold(a.surname), fold(a.forename), fold(a.preferred)
    sb, fb, pb = fold(b.surname), fold(b.forename), fold(b.preferred)
    if sa and sa == sb:
        return "same surname"
    if fa[:3] and (fa[:3], sa[:3]) == (fb[:3], sb[:3]):
        return "similar first name and surname"
    if fa[:3] and (fa[:3], sa[:3]) == (sb[:3], fb[:3]):
        return "first name and surname swapped"
    names_a, names_b = {fa, pa} - {""}, {fb, pb} - {""}
    if (pa and pa in names_b) or (pb and pb in names_a):
        return "same preferred name"
    return None
