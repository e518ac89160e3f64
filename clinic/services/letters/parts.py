"""The pieces every letter is built from: the letterhead, the signature, the
address block, the reference, and the patient block of a letter about
someone to their GP or pharmacy. Each concept's letter data
(``appointments/letters.py``, ``ost/letters.py``, ...) is made of these."""

from __future__ import annotations

import base64
import binascii
from dataclasses import fields, replace
from typing import Any

from sqlalchemy import func, select

from clinic.letters.logo import logo_image
from clinic.letters.model import Letterhead, Recipient, Signatory
from clinic.permissions import REGISTERED_ROLES, Actor, Role
from clinic.uow import UnitOfWork
from db.tables.letters import FiledLetter
from db.tables.people import GpPractice, Person

_LOGO_FIX = "Choose another logo in Settings, or remove it."


def letterhead(uow: UnitOfWork) -> Letterhead:
    """The letterhead from the site settings; ``ValueError`` if the logo is
    not a usable PNG (so a batch fails once, clearly, not per letter)."""
    s = uow.settings
    return Letterhead(
        service_name=s["site.service_name"].strip(),
        address_lines=lines(s["site.address"]),
        phone=s["site.phone"].strip(),
        secure_email=s["site.secure_email"].strip(),
        return_address=s["site.return_address"].strip(),
        footer=s["site.letter_footer"].strip(),
        logo_png=decode_logo(s["site.logo_png_base64"]),
    )


def decode_logo(text: str) -> bytes | None:
    """The logo setting as PNG bytes, None when there is none."""
    if not text.strip():
        return None
    try:
        png = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"The letterhead logo in Settings is not a readable image file. {_LOGO_FIX}") from None
    logo_image(png)  # ValueError naming what is wrong
    return png


def signatory(actor: Actor) -> Signatory:
    """The signature block: name, role, and registration where the role has one."""
    roles = sorted(actor.roles - {Role.ADMIN}) or sorted(actor.roles)
    registration = (actor.registration_number or "").strip()
    if not any(r in REGISTERED_ROLES for r in actor.roles):
        registration = ""
    return Signatory(name=actor.full_name, role=", ".join(r.label for r in roles), registration=registration)


def recipient_for(person: Person) -> Recipient:
    """The person as the address block shows them. A person with no address
    gets an empty one, which the engine marks "for collection"."""
    name = display_name(person)
    address = lines(person.address_lines)
    postcode = (person.postcode or "").strip().upper()
    if address and postcode:
        address = (*address, postcode)
    return Recipient(name=name, address_lines=address, discreet=bool(person.discreet_envelope),
                     no_post=bool(person.no_post))


def handed_over(person: Person) -> Recipient:
    """The address block of a leaflet handed over in person: their "no post"
    flag is about post, so it is not marked for collection."""
    return replace(recipient_for(person), no_post=False)


def display_name(person: Person) -> str:
    """How a letter addresses someone: their preferred forename if they gave one."""
    forename = (person.preferred_name or "").strip() or person.forename.strip()
    return f"{forename} {person.surname.strip()}".strip()


def next_reference(uow: UnitOfWork, person_id: int) -> str:
    """``H000123/4``: the person's number and their fourth letter."""
    count = uow.session.execute(
        select(func.count()).select_from(FiledLetter).where(FiledLetter.person_id == person_id)
    ).scalar_one()
    return f"H{person_id:06d}/{count + 1}"


def lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def to_gp(uow: UnitOfWork, actor: Actor, person: Person, form: dict[str, Any]) -> dict[str, Any]:
    practice = uow.session.get(GpPractice, person.gp_practice_id) if person.gp_practice_id else None
    if practice is None:
        raise ValueError("No GP practice is recorded for this person: add it to their record first.")
    return {
        "recipient": Recipient(name=practice.name, address_lines=lines(practice.address)),
        **patient_facts(person), "summary": (), "paragraphs": (),
    }


def patient_facts(person: Person) -> dict[str, Any]:
    """Who a letter to a GP, pharmacy or referral service is about: full legal
    name, date of birth, NHS number and home address, to match their own records."""
    return {"patient_name": f"{person.forename.strip()} {person.surname.strip()}".strip(),
            "date_of_birth": person.date_of_birth, "nhs_number": person.nhs_number or None,
            "patient_address": recipient_for(person).address_lines}


def build(data_class: type, values: dict[str, Any], form: dict[str, Any]) -> Any:
    """``data_class(**values | form)``, refusing fields it does not have."""
    known = {f.name for f in fields(data_class)}
    unknown = sorted(set(form) - known)
    if unknown:
        raise ValueError(f"The letter has no field {unknown[0]!r}.")
    try:
        return data_class(**{k: v for k, v in (values | form).items() if k in known})
    except TypeError as exc:  # a required field nobody filled
        raise ValueError(f"The letter is missing something it needs: {exc}.") from None
