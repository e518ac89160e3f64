"""Synthetic people for the demo and benchmarks: seeded, reproducible, fast.

Nobody here is real. NHS numbers are in the 999 range (never issued to
people) with a correct Modulus 11 check digit; phones are in Ofcom's
drama range (07700 900000–900999); postcodes are well-formed but made up.
50,000 people take a few seconds: rows go in with one bulk ``insert()``.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from clinic.demo.bulk import bulk_insert
from clinic.names import fold
from clinic.nhs_number import check_digit
from db.tables.people import GpPractice, Person, PersonStatusChange

SURNAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
    "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
    "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan", "Scott",
    "Watson", "Davis", "Parker", "James", "Bennett", "Young", "Phillips", "Richardson", "Mitchell",
    "Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Begum", "Miller",
    "Cox", "Hussain", "Marshall", "Simpson", "Price", "Anderson", "Adams", "Wilkinson", "Ali", "Ahmed",
    "Foster", "Ellis", "Murphy", "Chapman", "Mason", "Gray", "Richards", "Webb", "Griffiths", "Hunt",
    "Palmer", "Campbell", "Holmes", "Mills", "Rogers", "Barnes", "Knight", "Matthews", "Barker",
    "Powell", "Stevens", "Kaur", "Fisher", "Butler", "Dixon", "Russell", "Harvey", "Pearson", "Graham",
    "O'Brien", "O'Connor", "O'Neill", "McDonald", "MacLeod", "Smith-Jones", "Lloyd-Webber", "Ó Súilleabháin",
    "Nowak", "Kowalski", "Wiśniewski", "Dąbrowski", "Nguyen", "Okafor", "Adeyemi", "Mensah", "D'Souza",
    "Fernández", "Müller", "Brontë", "Ní Bhriain", "Van der Berg", "Da Silva", "Abdi", "Mohamed", "Yilmaz",
)
FORENAMES = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William", "James",
    "Leo", "Daniel", "Michael", "David", "Paul", "Mark", "Andrew", "Richard", "Stephen", "Lee", "Craig",
    "Darren", "Wayne", "Dean", "Gary", "Kevin", "Sean", "Liam", "Connor", "Ryan", "Jamie", "Callum",
    "Olivia", "Amelia", "Isla", "Emily", "Ava", "Jessica", "Sophie", "Chloe", "Lucy", "Hannah", "Emma",
    "Sarah", "Laura", "Rebecca", "Claire", "Kelly", "Lisa", "Michelle", "Nicola", "Donna", "Gemma",
    "Stacey", "Leanne", "Kirsty", "Danielle", "Jade", "Amy", "Siobhán", "Zoë", "Łukasz", "Agnieszka",
    "Piotr", "Chidi", "Amara", "Kwame", "Aisha", "Mohammed", "Fatima", "Priya", "Arjun", "Niamh",
    "Aoife", "Seán", "Dónal", "Renée", "José", "Anaïs", "Bartłomiej", "Krzysztof", "Małgorzata", "Ewa",
    "Jo", "Sam", "Alex", "Charlie", "Frankie", "Robin",
)
PREFERRED = {"Michael": "Mike", "William": "Bill", "Richard": "Rick", "Daniel": "Dan", "Rebecca": "Becky",
             "Jessica": "Jess", "Stephen": "Steve", "Nicola": "Nicky", "Katherine": "Kate", "Andrew": "Andy",
             "James": "Jim", "Thomas": "Tom", "Krzysztof": "Kris", "Małgorzata": "Gosia"}
STREETS = ("High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane",
           "The Crescent", "Queen Street", "Cowley Road", "London Road", "Albert Street", "Green Lane",
           "Manor Close", "Orchard Way", "Canal Side", "St Clement's", "Iffley Road", "Botley Road")
TOWNS = (("Oxford", "OX"), ("Southampton", "SO"), ("Portsmouth", "PO"), ("Winchester", "SO"),
         ("Banbury", "OX"), ("Reading", "RG"), ("Basingstoke", "RG"), ("Eastleigh", "SO"))
GENDERS = ("Male", "Female", "Male", "Female", "Non-binary", "")
RISKS = ("Do not see alone", "History of aggression to staff; two staff present",
         "Lives with a known risk to them; do not leave messages", "Recent overdose; check naloxone")
GP_PRACTICES = (
    ("Jericho Health Centre", "Walton Street\nOxford", "OX2 6NW", "01865 000101"),
    ("Cowley Road Medical Practice", "Cowley Road\nOxford", "OX4 1XD", "01865 000102"),
    ("Bitterne Park Surgery", "Cobden Avenue\nSouthampton", "SO18 1FZ", "023 8000 0103"),
    ("Portswood Primary Care", "Portswood Road\nSouthampton", "SO17 2FY", "023 8000 0104"),
    ("Fratton Park Surgery", "Fratton Road\nPortsmouth", "PO1 5BX", "023 9200 0105"),
    ("St Clement's Surgery", "Cranmer Road\nWinchester", "SO22 5BP", "01962 000106"),
    ("Banbury Cross Health Centre", "Horsefair\nBanbury", "OX16 0AE", "01295 000107"),
    ("Oxford Road Medical Centre", "Oxford Road\nReading", "RG1 7PX", "0118 900 0108"),
)
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def nhs_test_number(rng: random.Random, used: set[str]) -> str:
    """A valid-format NHS number in the 999 range (never a real person's),
    not yet given to anyone in ``used``: two people never share one."""
    while True:
        first_nine = "999" + f"{rng.randrange(1_000_000):06d}"
        digit = check_digit(first_nine)
        if digit is not None and (number := first_nine + str(digit)) not in used:
            used.add(number)
            return number


def _postcode(rng: random.Random, area: str) -> str:
    return f"{area}{rng.randint(1, 18)} {rng.randint(1, 9)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"


def _phone(rng: random.Random) -> str:
    return f"07700 900{rng.randrange(1000):03d}"


def add_gp_practices(session: Session) -> list[int]:
    """The demo practices, once; returns their ids."""
    existing = list(session.execute(select(GpPractice.id)).scalars())
    if existing:
        return existing
    rows = [{"name": n, "address": f"{a}\n{p}", "phone": ph, "active": True} for n, a, p, ph in GP_PRACTICES]
    session.execute(insert(GpPractice), rows)
    return list(session.execute(select(GpPractice.id)).scalars())


def _person(rng: random.Random, today: date, practices: list[int], created: datetime,
            used_nhs: set[str]) -> dict[str, object]:
    surname, forename = rng.choice(SURNAMES), rng.choice(FORENAMES)
    preferred = PREFERRED.get(forename, "") if rng.random() < 0.5 else ""
    dob = today - timedelta(days=rng.randint(18 * 365, 75 * 365))
    town, area = rng.choice(TOWNS)
    address = "" if rng.random() < 0.08 else f"{rng.randint(1, 240)} {rng.choice(STREETS)}\n{town}"
    closed = rng.random() < 0.15
    return {
        "surname": surname, "forename": forename, "preferred_name": preferred, "date_of_birth": dob,
        "gender": rng.choice(GENDERS), "nhs_number": nhs_test_number(rng, used_nhs) if rng.random() < 0.85 else None,
        "address_lines": address, "postcode": _postcode(rng, area) if address else "",
        "phone": _phone(rng) if rng.random() < 0.8 else "",
        "consent_to_text": rng.random() < 0.6, "consent_to_voicemail": rng.random() < 0.4,
        "no_post": rng.random() < 0.06, "discreet_envelope": rng.random() < 0.2,
        "children_in_household": rng.random() < 0.18, "injects": rng.random() < 0.35,
        "risk_notes": rng.choice(RISKS) if rng.random() < 0.04 else "",
        "gp_practice_id": rng.choice(practices) if rng.random() < 0.9 else None,
        "emergency_contact_name": "", "emergency_contact_phone": "",
        "status": "closed" if closed else "open", "merged_into_id": None, "created_at": created,
        "search_surname": fold(surname), "search_forename": fold(forename), "search_preferred": fold(preferred),
        "version": 1,
    }


def generate_people(session: Session, rng: random.Random, n: int, *, today: date | None = None,
                    staff_id: int | None = None) -> list[int]:
    """Insert ``n`` synthetic people (and the demo GP practices); return their ids.

    With ``staff_id`` each person also gets a "registered" status row (and a
    "closed" one for closed records), attributed to that member of staff.
    """
    today = today or date(2026, 11, 23)
    practices = add_gp_practices(session)
    created = datetime.combine(today, datetime.min.time(), UTC)
    used_nhs = {n for n in session.execute(select(Person.nhs_number).where(Person.nhs_number.is_not(None))).scalars()
                if n is not None}
    rows = [_person(rng, today, practices, created, used_nhs) for _ in range(n)]
    first = (session.execute(select(Person.id).order_by(Person.id.desc()).limit(1)).scalar() or 0) + 1
    bulk_insert(session, Person, rows)
    ids = list(session.execute(select(Person.id).where(Person.id >= first).order_by(Person.id)).scalars())
    if staff_id is not None:
        history = []
        for pid, row in zip(ids, rows, strict=True):
            history.append({"person_id": pid, "status": "open", "reason": "registered", "note": "",
                            "effective_on": today - timedelta(days=rng.randint(30, 3000)),
                            "staff_id": staff_id, "recorded_at": created})
            if row["status"] == "closed":
                history.append({"person_id": pid, "status": "closed", "note": "", "staff_id": staff_id,
                                "reason": rng.choice(("planned_exit", "dropped_out", "transferred")),
                                "effective_on": today - timedelta(days=rng.randint(1, 29)), "recorded_at": created})
        bulk_insert(session, PersonStatusChange, history)
    return ids
