"""Finding a person while they stand at the desk, in SQL only.

What the search box accepts (the whole text is tried in this order):

- a client ID: "H000123", "h123", "H 123";
- an NHS number: 10 digits, spaces or hyphens allowed;
- a date of birth: 3/7/1985, 03071985, 1985-07-03, 3 July 1985;
- names: each word is folded (``clinic.names.fold``) and matched as a prefix
  of the folded surname, first name or preferred name. Two or more words
  match one as the surname and the others as first/preferred names, in
  either order ("smith jo", "jo smith"); all words run together are also
  tried as a surname ("o brien", "smith jones"). A word that reads as a date
  narrows by date of birth ("smith 3/7/1985").

Prefixes are range conditions (``col >= 'smi' AND col < 'smj'``) so SQLite
walks the ``ix_people_search_*`` indexes; nothing is filtered in Python.
Ranking: exact surname, then surname prefix, then first/preferred name
matches; alphabetical within each. Closed and merged records are hidden
unless ``include_closed``. Searching is not audited; opening a record is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, false, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from clinic.dates import age_on, looks_like_date
from clinic.names import fold
from clinic.people import PersonStatus, client_id, parse_client_id
from clinic.permissions import Actor, Permission, require
from clinic.uow import UnitOfWork
from db.dialect import starts_with
from db.tables.people import Person

_NHS = re.compile(r"[0-9][0-9 \-]{8,14}[0-9]")


@dataclass(frozen=True)
class Chip:
    """A flag shown beside a name. ``tone``: "post" (letters), "risk",
    "family", "module" (from another module), "status"."""

    label: str
    tone: str


@dataclass(frozen=True)
class PersonHit:
    id: int
    client_id: str
    display_name: str  # "SMITH, John"
    preferred_name: str
    date_of_birth: date
    age: int
    nhs_number: str  # formatted "943 476 5919", or ""
    postcode: str
    status: str  # open | closed | merged
    chips: tuple[Chip, ...]


def display_name(surname: str, forename: str) -> str:
    return f"{surname.upper()}, {forename}" if forename else surname.upper()


def format_nhs(digits: str | None) -> str:
    if not digits:
        return ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def chips_of(row: Person) -> tuple[Chip, ...]:
    chips = []
    if row.status != PersonStatus.OPEN:
        chips.append(Chip(row.status.capitalize(), "status"))
    if row.risk_notes.strip():
        chips.append(Chip("Risk", "risk"))
    if row.no_post:
        chips.append(Chip("No post", "post"))
    if row.discreet_envelope:
        chips.append(Chip("Discreet envelope", "post"))
    if row.children_in_household:
        chips.append(Chip("Children in household", "family"))
    return tuple(chips)


def hit_of(row: Person, today: date) -> PersonHit:
    return PersonHit(
        row.id, client_id(row.id), display_name(row.surname, row.forename), row.preferred_name,
        row.date_of_birth, age_on(row.date_of_birth, max(today, row.date_of_birth)),
        format_nhs(row.nhs_number), row.postcode, row.status, chips_of(row),
    )


def _prefix(column: InstrumentedAttribute[str], text: str) -> ColumnElement[bool]:
    """``column`` starts with ``text``, as an index range (per back end)."""
    return starts_with(column.expression, text)


def _given(text: str) -> ColumnElement[bool]:
    return or_(_prefix(Person.search_forename, text), _prefix(Person.search_preferred, text))


def _name_condition(words: list[str]) -> ColumnElement[bool]:
    if len(words) == 1:
        return or_(_prefix(Person.search_surname, words[0]), _given(words[0]))
    options = [_prefix(Person.search_surname, "".join(words))]
    for i, word in enumerate(words):
        others = [_given(w) for j, w in enumerate(words) if j != i]
        options.append(and_(_prefix(Person.search_surname, word), *others))
    return or_(*options)


def _rank(words: list[str]) -> ColumnElement[int]:
    exact = or_(*(Person.search_surname == w for w in [*words, "".join(words)]))
    prefix = or_(*(_prefix(Person.search_surname, w) for w in [*words, "".join(words)]))
    return case((exact, 0), (prefix, 1), else_=2)


def _condition(text: str, today: date) -> tuple[ColumnElement[bool], list[str]]:
    """The WHERE clause for ``text`` and the folded name words (for ranking)."""
    stripped = text.strip()
    if (number := parse_client_id(stripped)) is not None:
        return Person.id == number, []
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= 6:  # a bare client number, as the queue shows
        by_number = Person.id == int(stripped)
        if (dob := looks_like_date(stripped, today=today)) is not None:  # or a DOB typed as digits (030785)
            return or_(by_number, Person.date_of_birth == dob), []
        return by_number, []
    if _NHS.fullmatch(stripped) and len(digits := re.sub(r"[^0-9]", "", stripped)) == 10:
        return Person.nhs_number == digits, []
    if (dob := looks_like_date(stripped, today=today)) is not None:
        return Person.date_of_birth == dob, []
    dates, words = [], []
    for part in re.split(r"[\s,]+", stripped):
        if (d := looks_like_date(part, today=today)) is not None and any(c.isdigit() for c in part):
            dates.append(d)
        elif folded := fold(part):
            words.append(folded)
    clauses = [Person.date_of_birth == d for d in dates]
    if words:
        clauses.append(_name_condition(words))
    return (and_(*clauses) if clauses else false()), words


def search(uow: UnitOfWork, actor: Actor, text: str, *, include_closed: bool = False,
           limit: int = 50) -> list[PersonHit]:
    """The best ``limit`` matches for what was typed (see module notes)."""
    require(actor, Permission.PERSON_SEARCH)
    if not text.strip():
        return []
    today = uow.clock.today()
    where, words = _condition(text, today)
    stmt = select(Person).where(where)
    if not include_closed:
        stmt = stmt.where(Person.status == PersonStatus.OPEN)
    order = [_rank(words)] if words else []
    stmt = stmt.order_by(*order, Person.search_surname, Person.search_forename, Person.id).limit(limit)
    return [hit_of(row, today) for row in uow.session.execute(stmt).scalars()]


def name_of(uow: UnitOfWork, actor: Actor, person_id: int) -> str:
    """The person's name as lists show it ("SMITH, John"), for a dialog
    opened from their record (booking from the Vaccinations tab)."""
    require(actor, Permission.PERSON_SEARCH)
    row = uow.session.execute(select(Person.surname, Person.forename).where(Person.id == person_id)).one_or_none()
    if row is None:
        raise ValueError("That person is no longer on the register.")
    return display_name(row.surname, row.forename)


def person_hit(uow: UnitOfWork, actor: Actor, person_id: int) -> PersonHit:
    """The person as a search result shows them, to name who a dialog acts
    on ("DAVIES, Isla · 13/10/1983 · H000601") without opening the record."""
    require(actor, Permission.PERSON_SEARCH)
    row = uow.session.get(Person, person_id)
    if row is None:
        raise ValueError("That person is no longer on the register.")
    return hit_of(row, uow.clock.today())
