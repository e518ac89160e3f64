"""Filing letters: every printed, saved or held letter is kept as its exact
PDF bytes with a SHA-256, never re-rendered and never edited in place.

A correction is a new letter that supersedes the old; both stay filed.
Letters for people flagged "no post" are held for collection instead of
being printed. Who may file or read a letter follows its category.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from clinic.changes import Area, Changes
from clinic.clock import to_local
from clinic.dates import uk_date
from clinic.errors import Refused
from clinic.letters import registry
from clinic.letters.templates import gp_letter, ost_review_gp, pharmacy_missed_doses, safe_storage_leaflet
from clinic.letters.model import Disposition, LetterStatus
from clinic.permissions import Actor, Permission, PermissionDenied, require
from clinic.services.safeguarding import consent
from clinic.uow import UnitOfWork
from db.tables.letters import FiledLetter
from db.tables.people import Person

CATEGORY_PERMISSION = {
    "appointment": Permission.LETTER_APPOINTMENT,
    "clinical": Permission.LETTER_CLINICAL,
    "probation": Permission.LETTER_PROBATION,
    "admin": Permission.APPOINTMENT_READ,  # day sheets
}
SEND_METHODS = ("post", "hand", "secure_email")


@dataclass(frozen=True)
class FileLetter:
    person_id: int | None
    letter_type: str
    category: str
    title: str
    reference: str
    pdf: bytes
    #: What the user did: "printed" or "saved". A no-post person's letter is
    #: held instead of printed, whatever was asked.
    disposition: str
    #: False for a letter about the person to someone else (their GP): the
    #: person's "no post" flag is about post to them, so it is not held.
    to_person: bool = True


@dataclass(frozen=True)
class LetterSummary:
    id: int
    person_id: int | None
    letter_type: str
    category: str
    title: str
    reference: str
    sha256: str
    author_id: int
    created_at: datetime
    disposition: str
    status: str
    sent_on: date | None
    sent_method: str | None
    superseded_by_id: int | None


@dataclass(frozen=True)
class Filed:
    letter: LetterSummary
    changes: Changes


def permission_for(category: str) -> Permission:
    try:
        return CATEGORY_PERMISSION[category]
    except KeyError:
        raise ValueError(f"Unknown letter category {category!r}.") from None


def route(person_no_post: bool, requested: str) -> str:
    """Where a letter goes: a no-post person's printed letter is held."""
    if requested not in (Disposition.PRINTED, Disposition.SAVED):
        raise ValueError("A letter is either printed or saved as a PDF.")
    return Disposition.HELD if person_no_post and requested == Disposition.PRINTED else requested


def file_letter(uow: UnitOfWork, actor: Actor, cmd: FileLetter) -> Filed:
    require(actor, permission_for(cmd.category))
    return file_letters(uow, actor, [cmd])[0]


def file_letters(uow: UnitOfWork, actor: Actor, cmds: Sequence[FileLetter]) -> list[Filed]:
    """File a batch of letters as ``file_letter`` files one, in one pass: the
    people are read in one query and the letters inserted in one flush, not
    a read and a flush per letter (issue 21: 200 letters' filing)."""
    for category in sorted({cmd.category for cmd in cmds}):
        require(actor, permission_for(category))
    if not all(cmd.pdf.startswith(b"%PDF") for cmd in cmds):
        raise ValueError("The letter could not be made, so it was not filed.")
    no_post = _no_post(uow, {cmd.person_id for cmd in cmds if cmd.person_id is not None})
    rows = [FiledLetter(
        person_id=cmd.person_id, letter_type=cmd.letter_type, category=cmd.category, title=cmd.title,
        reference=cmd.reference, pdf=cmd.pdf, sha256=hashlib.sha256(cmd.pdf).hexdigest(),
        author_id=actor.staff_id, created_at=uow.clock.now(),
        disposition=route(cmd.person_id is not None and no_post[cmd.person_id] and cmd.to_person, cmd.disposition),
        status=LetterStatus.FILED,
    ) for cmd in cmds]
    uow.session.add_all(rows)
    uow.session.flush()
    filed = []
    for cmd, row in zip(cmds, rows, strict=True):
        uow.audit(actor, f"letter.{row.disposition}", "letter", row.id, person_id=cmd.person_id,
                  changes={"type": [None, cmd.letter_type], "sha256": [None, row.sha256]})
        filed.append(Filed(_summary(row), Changes.of(Area.LETTERS, person_id=cmd.person_id)))
    return filed


def _no_post(uow: UnitOfWork, person_ids: set[int]) -> dict[int, bool]:
    """Each person's "no post" flag; ``ValueError`` if one is not on the register."""
    found: dict[int, bool] = {}
    if person_ids:
        rows = uow.session.execute(select(Person.id, Person.no_post).where(Person.id.in_(person_ids)))
        found = {pid: bool(flag) for pid, flag in rows}
    if set(found) != person_ids:
        raise ValueError("That person is not on the register.")
    return found


def list_for_person(uow: UnitOfWork, actor: Actor, person_id: int) -> list[LetterSummary]:
    """The person's filed letters that the actor's role may read."""
    categories = [c for c, p in CATEGORY_PERMISSION.items() if actor.can(p)]
    if not categories:
        raise PermissionDenied(actor, Permission.LETTER_APPOINTMENT)
    rows = uow.session.execute(
        select(FiledLetter).where(FiledLetter.person_id == person_id, FiledLetter.category.in_(categories))
        .order_by(FiledLetter.created_at.desc())
    ).scalars()
    return [_summary(r) for r in rows]


def filed_pdf(uow: UnitOfWork, actor: Actor, letter_id: int) -> bytes:
    """The filed copy exactly as it left, for reopening or reprinting."""
    row = _get(uow, actor, letter_id)
    uow.audit(actor, "letter.opened", "letter", row.id, person_id=row.person_id)
    return row.pdf


def record_export(uow: UnitOfWork, actor: Actor, letter_id: int) -> None:
    """A filed letter was saved as a PDF outside the encrypted store."""
    row = _get(uow, actor, letter_id)
    uow.audit(actor, "letter.exported", "letter", row.id, person_id=row.person_id)


def mark_sent(uow: UnitOfWork, actor: Actor, letter_id: int, *, on: date, method: str) -> Changes:
    if method not in SEND_METHODS:
        raise Refused("Choose how it was sent: post, by hand or secure email.", field="method")
    row = _get(uow, actor, letter_id)
    if row.status == LetterStatus.SUPERSEDED:
        raise ValueError("This letter has been superseded by a corrected one; send that instead.")
    if on > uow.clock.today():
        raise Refused("A letter cannot be sent on a future date.", field="on")
    filed_on = to_local(row.created_at).date()
    if on < filed_on:
        raise Refused(f"A letter cannot be sent before it was filed ({uk_date(filed_on)}).", field="on")
    before = (row.status, row.sent_on, row.sent_method)
    row.status, row.sent_on, row.sent_method = LetterStatus.SENT, on, method
    uow.audit(actor, "letter.sent", "letter", row.id, person_id=row.person_id,
              changes={"status": [before[0], LetterStatus.SENT], "sent_on": [before[1], on],
                       "method": [before[2], method]})
    return Changes.of(Area.LETTERS, person_id=row.person_id)


def mark_returned(uow: UnitOfWork, actor: Actor, letter_id: int) -> Changes:
    row = _get(uow, actor, letter_id)
    before = row.status
    row.status = LetterStatus.RETURNED
    uow.audit(actor, "letter.returned", "letter", row.id, person_id=row.person_id,
              changes={"status": [before, LetterStatus.RETURNED]})
    return Changes.of(Area.LETTERS, person_id=row.person_id)


def mark_collected(uow: UnitOfWork, actor: Actor, letter_id: int) -> Changes:
    row = _get(uow, actor, letter_id)
    if row.disposition != Disposition.HELD:
        raise ValueError("Only letters held for collection can be collected.")
    row.status = LetterStatus.COLLECTED
    uow.audit(actor, "letter.collected", "letter", row.id, person_id=row.person_id,
              changes={"status": [LetterStatus.FILED, LetterStatus.COLLECTED]})
    return Changes.of(Area.LETTERS, person_id=row.person_id)


def supersede(uow: UnitOfWork, actor: Actor, old_id: int, new_id: int) -> Changes:
    """Mark ``old_id`` as replaced by the corrected ``new_id`` (both stay filed)."""
    old, new = _get(uow, actor, old_id), _get(uow, actor, new_id)
    if old.person_id != new.person_id or old.id == new.id:
        raise ValueError("A letter can only be superseded by a later letter to the same person.")
    old.status, old.superseded_by_id = LetterStatus.SUPERSEDED, new.id
    uow.audit(actor, "letter.superseded", "letter", old.id, person_id=old.person_id,
              changes={"superseded_by": [None, new.id]})
    return Changes.of(Area.LETTERS, person_id=old.person_id)


def held_for_collection(uow: UnitOfWork, actor: Actor) -> list[LetterSummary]:
    categories = [c for c, p in CATEGORY_PERMISSION.items() if actor.can(p)]
    rows = uow.session.execute(
        select(FiledLetter).where(FiledLetter.disposition == Disposition.HELD, FiledLetter.status == LetterStatus.FILED,
                                  FiledLetter.category.in_(categories))
        .order_by(FiledLetter.created_at)
    ).scalars()
    return [_summary(r) for r in rows]


def _get(uow: UnitOfWork, actor: Actor, letter_id: int) -> FiledLetter:
    row = uow.session.get(FiledLetter, letter_id)
    if row is None:
        raise ValueError("That letter is not on file.")
    require(actor, permission_for(row.category))
    return row


def _summary(r: FiledLetter) -> LetterSummary:
    return LetterSummary(r.id, r.person_id, r.letter_type, r.category, r.title, r.reference, r.sha256,
                         r.author_id, r.created_at, r.disposition, r.status, r.sent_on, r.sent_method,
                         r.superseded_by_id)


# -- filing what was printed or saved ------------------------------------------

#: Written about a person to someone else, so their "no post" flag does not apply.
ABOUT_A_PERSON = frozenset({gp_letter.TEMPLATE.key, ost_review_gp.TEMPLATE.key,
                            pharmacy_missed_doses.TEMPLATE.key,
                            consent.REFERRAL_LETTER})  # filed by clinic.services.safeguarding.referrals
#: Handed to the person, never posted: not held for collection either.
HANDED_OVER = frozenset({safe_storage_leaflet.TEMPLATE.key, "recovery_plan"})


def to_person(letter_type: str) -> bool:
    """Whether the letter goes to the person themselves rather than to
    someone about them (a GP, a pharmacy)."""
    return letter_type not in ABOUT_A_PERSON


def held_if_no_post(letter_type: str) -> bool:
    """Whether a "no post" person's printed copy is held for collection: not
    for a letter to someone else, nor for one handed to them in person."""
    return to_person(letter_type) and letter_type not in HANDED_OVER


def file_rendered(uow: UnitOfWork, actor: Actor, person_id: int | None, letter_type: str, pdf: bytes,
                  disposition: str, *, reference: str = "", supersedes: int | None = None,
                  exported: bool = False) -> Filed:
    """File a letter that has been printed or saved (a no-post person's is
    held instead of printed). ``supersedes`` marks an earlier letter as
    corrected by this one; ``exported`` audits a Save as PDF."""
    filed = file_letter(uow, actor, rendered(uow, actor, person_id, letter_type, pdf, disposition,
                                             reference=reference))
    if supersedes is not None:
        supersede(uow, actor, supersedes, filed.letter.id)
    if exported:
        record_export(uow, actor, filed.letter.id)
    return filed


def rendered(uow: UnitOfWork, actor: Actor, person_id: int | None, letter_type: str, pdf: bytes,
             disposition: str, *, reference: str = "") -> FileLetter:
    """What filing a rendered letter of ``letter_type`` files, once the
    actor may write it and an outside recipient has the person's consent."""
    template = registry.REGISTRY.get(letter_type)
    require(actor, permission_for(template.category))
    consent.check_letter(uow, person_id, letter_type)  # an outside recipient needs the person's consent
    return FileLetter(person_id, template.key, template.category, template.title, reference or "—", pdf,
                      disposition, to_person=held_if_no_post(letter_type))
