"""Probation letters: preview, batch print (one PDF, each letter filed on its
own), mark sent, and the engagement summary for progress reports.

Letter content comes only from ``probation_letter_data.build`` (the sharing
rule). A batch is made first (``prepare_batch``, which writes nothing) and
filed only after it has printed or been saved (``file_batch``): a cancelled
print dialog or a PDF that could not be made leaves every letter due and
nothing reported as printed. A letter that cannot be made (consent
withdrawn, no officer address) is reported by name and the rest go ahead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType

from sqlalchemy import select

from clinic.changes import Area, Changes
from clinic.dates import uk_long
from clinic.letters.document import Cancelled, Part, build, split
from clinic.letters.layout import LETTER_PAGES, check_letter
from clinic.letters.model import Disposition
from clinic.letters.templates import (
    probation_attendance, probation_closure, probation_non_attendance, probation_progress,
)
from clinic.letters.templates.probation_common import ProbationLetter
from clinic.permissions import Actor, Permission, require
from clinic.probation import NotificationKind as Kind
from clinic.probation import NotificationStatus as NoteStatus
from clinic.services.letters import filing
from clinic.services.probation.common import AREA, get_row
from clinic.services.probation.orders import NOTIFICATION_LABELS
from clinic.services.probation.letter_data import LetterBlocked, Loaded, Sender, check_summary, sender
from clinic.services.probation.letter_data import build as build_letter
from clinic.services.probation.letter_data import load as load_letters
from clinic.services.safeguarding import consent
from clinic.uow import UnitOfWork
from db.tables.probation import DrrOrder, Notification

#: Keyed by the stored kind.
TEMPLATES: dict[str, ModuleType] = {
    Kind.NON_ATTENDANCE: probation_non_attendance,
    Kind.ATTENDANCE_CONFIRMATION: probation_attendance,
    Kind.PROGRESS_REPORT: probation_progress,
    Kind.CLOSURE: probation_closure,
}
METHODS = {"post": "Post", "hand": "By hand", "secure_email": "Secure email (sent outside Harbour)"}

__all__ = ["Cancelled", "LetterBlocked"]


def parts(letters: Sequence[ProbationLetter]) -> list[Part]:
    out = []
    for letter in letters:
        check_letter(letter)
        out.append(Part(letter, LETTER_PAGES, TEMPLATES[letter.kind].body(letter)))
    return out


def render(letters: Sequence[ProbationLetter], *, on_start: Callable[[int], None] | None = None) -> bytes:
    """One PDF of ``letters`` in order (each starts on a new page)."""
    pdf, _ = build(parts(letters), title="Letters to Probation", on_start=on_start)
    return pdf


def _made(uow: UnitOfWork, notification_id: int, who: Sender, on: date, loaded: Loaded | None = None,
          refusals: dict[int, date] | None = None) -> ProbationLetter:
    """A letter through the one sharing rule (``consent.probation_refused_on``):
    the order's signed consent (``letter_data.build``), then no refusal in
    force on the person's consent record (a batch passes ``refusals`` read once)."""
    loaded = loaded if loaded is not None else load_letters(uow, [notification_id])
    letter = build_letter(uow, notification_id, who, on, loaded)
    person = loaded.orders[loaded.notes[notification_id].order_id].person_id
    refused = (refusals if refusals is not None else consent.probation_refusals(uow, [person])).get(person)
    if refused is not None:
        raise LetterBlocked(f"{letter.person_name}: consent to share with Probation was refused on "
                            f"{uk_long(refused)}, so no letter can be sent. "
                            "Contact the probation officer to tell them.")
    return letter


def preview(uow: UnitOfWork, actor: Actor, notification_id: int) -> bytes:
    """The letter as it would be printed today; nothing is filed."""
    require(actor, Permission.LETTER_PROBATION)
    letter = _made(uow, notification_id, sender(uow, actor), uow.clock.today())
    return render([letter])


def letter_data(uow: UnitOfWork, actor: Actor, notification_id: int) -> ProbationLetter:
    """The data object a letter is made from (what tests inspect)."""
    require(actor, Permission.LETTER_PROBATION)
    return _made(uow, notification_id, sender(uow, actor), uow.clock.today())


@dataclass(frozen=True)
class BatchResult:
    pdf: bytes | None  # None if no letter could be made
    filed: tuple[tuple[int, int], ...]  # (notification id, filed letter id)
    failures: tuple[tuple[str, str], ...]  # (who / which letter, why)
    changes: Changes = field(default_factory=Changes)

    @property
    def summary(self) -> str:
        text = f"{len(self.filed)} letter{'s' if len(self.filed) != 1 else ''} made and filed."
        if self.failures:
            text += f" {len(self.failures)} could not be made: " + "; ".join(f"{w} ({why})" for w, why in self.failures)
        return text


@dataclass(frozen=True)
class PreparedBatch:
    """Letters made but not yet filed: filed only once printing (or saving)
    has succeeded, so nothing is ever reported as printed that was not."""

    pdf: bytes | None  # the one PDF to print; None if no letter could be made
    letters: tuple[tuple[int, ProbationLetter, bytes], ...]  # (notification id, data, its own pages)
    failures: tuple[tuple[str, str], ...]


def prepare_batch(uow: UnitOfWork, actor: Actor, notification_ids: Sequence[int], *,
                  progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> PreparedBatch:
    """Make every letter owed by ``notification_ids`` as one PDF, laid out
    once and cut into each letter's own copy. Writes nothing.

    ``progress(done, total)`` is called as letters are prepared and laid
    out; ``cancelled()`` turning true stops it with ``Cancelled``.
    """
    require(actor, Permission.LETTER_PROBATION)
    who, today = sender(uow, actor), uow.clock.today()
    loaded = load_letters(uow, notification_ids)
    refusals = consent.probation_refusals(uow, (o.person_id for o in loaded.orders.values()))
    ready: list[tuple[int, ProbationLetter]] = []
    failures: list[tuple[str, str]] = []
    total = len(notification_ids)
    for i, nid in enumerate(notification_ids):
        _check_cancel(cancelled)
        note = loaded.notes.get(nid)
        if note is None or note.status != NoteStatus.DUE:
            failures.append((f"Notification {nid}", "already printed or no longer due"))
            continue
        try:
            letter = _made(uow, nid, who, today, loaded, refusals)
            check_letter(letter)
        except ValueError as exc:  # LetterBlocked is one; layout refusals are the others
            failures.append((_who(uow, note), str(exc)))
            continue
        ready.append((nid, letter))
        if progress:
            progress(i + 1, total * 2)
    if not ready:
        return PreparedBatch(None, (), tuple(failures))

    def on_start(index: int) -> None:
        _check_cancel(cancelled)
        if progress:
            progress(total + index + 1, total * 2)

    combined, pages = build(parts([letter for _, letter in ready]), title="Letters to Probation",
                            on_start=on_start)
    singles = split(combined, pages)  # laid out once; each letter still filed on its own
    return PreparedBatch(combined, tuple((nid, letter, one) for (nid, letter), one in zip(ready, singles, strict=True)),
                         tuple(failures))


def file_batch(uow: UnitOfWork, actor: Actor, batch: PreparedBatch,
               disposition: str = Disposition.PRINTED) -> BatchResult:
    """File each letter of a batch that has been printed (or saved as PDF)."""
    require(actor, Permission.LETTER_PROBATION)
    filed = []
    person_ids = set()
    # Two reads for the whole batch, kept referenced so each letter's lookups below are found in the session.
    notes = uow.session.execute(select(Notification).where(
        Notification.id.in_([nid for nid, _, _ in batch.letters]))).scalars().all()
    orders = uow.session.execute(select(DrrOrder).where(  # noqa: F841 - held for the session's identity map
        DrrOrder.id.in_({n.order_id for n in notes}))).scalars().all()
    to_file = []
    for nid, letter, pdf in batch.letters:
        note = get_row(uow, Notification, nid)
        if note.status != NoteStatus.DUE:
            raise ValueError("These letters have been filed from another workstation meanwhile: refresh the list.")
        order = get_row(uow, DrrOrder, note.order_id)
        to_file.append(filing.FileLetter(
            order.person_id, letter.template, "probation", f"{NOTIFICATION_LABELS[note.kind]} to Probation",
            letter.reference, pdf, disposition, to_person=False))  # addressed to the officer, never held
    for (nid, _, _), saved in zip(batch.letters, filing.file_letters(uow, actor, to_file), strict=True):
        note = get_row(uow, Notification, nid)
        order = get_row(uow, DrrOrder, note.order_id)
        note.letter_id, note.status = saved.letter.id, NoteStatus.FILED
        if note.corrects_id is not None:
            old = uow.session.get(Notification, note.corrects_id)
            if old is not None and old.letter_id is not None:
                filing.supersede(uow, actor, old.letter_id, saved.letter.id)
        uow.audit(actor, "probation.letter_filed", "drr_notification", nid, person_id=order.person_id,
                  changes={"status": [NoteStatus.DUE, NoteStatus.FILED], "letter_id": [None, saved.letter.id]})
        filed.append((nid, saved.letter.id))
        person_ids.add(order.person_id)
    uow.session.flush()
    return BatchResult(batch.pdf, tuple(filed), batch.failures,
                       Changes(frozenset({AREA, Area.LETTERS}), frozenset(person_ids)))


def batch_print(uow: UnitOfWork, actor: Actor, notification_ids: Sequence[int], *,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> BatchResult:
    """Prepare and file in one transaction (for callers that print on their
    own afterwards; the Probation page prepares, prints, then files)."""
    return file_batch(uow, actor, prepare_batch(uow, actor, notification_ids, progress=progress,
                                                  cancelled=cancelled))


@dataclass(frozen=True)
class MarkSent:
    notification_ids: tuple[int, ...]
    on: date
    method: str  # post | hand | secure_email


def mark_sent(uow: UnitOfWork, actor: Actor, cmd: MarkSent) -> Changes:
    """Printed letters have gone: record the date and how, on each."""
    require(actor, Permission.LETTER_PROBATION)
    if cmd.method not in METHODS:
        raise ValueError("Choose how the letters were sent: post, by hand or secure email.")
    people = set()
    for nid in cmd.notification_ids:
        note = get_row(uow, Notification, nid)
        if note.status != NoteStatus.FILED or note.letter_id is None:
            raise ValueError("Only printed letters can be marked sent: print it first.")
        order = get_row(uow, DrrOrder, note.order_id)
        filing.mark_sent(uow, actor, note.letter_id, on=cmd.on, method=cmd.method)
        note.status, note.sent_on, note.method = NoteStatus.SENT, cmd.on, cmd.method
        uow.audit(actor, "probation.letter_sent", "drr_notification", nid, person_id=order.person_id,
                  changes={"status": [NoteStatus.FILED, NoteStatus.SENT], "sent_on": [None, cmd.on.isoformat()],
                           "method": [None, cmd.method]})
        people.add(order.person_id)
    return Changes(frozenset({AREA, Area.LETTERS}), frozenset(people))


def printed_not_sent(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str, str, date]]:
    """Filed letters waiting to be marked sent: (notification id, person, kind label, due)."""
    require(actor, Permission.LETTER_PROBATION)
    from db.tables.people import Person

    rows = uow.session.execute(
        select(Notification.id, Person.forename, Person.surname, Notification.kind, Notification.due_on)
        .join(DrrOrder, DrrOrder.id == Notification.order_id).join(Person, Person.id == DrrOrder.person_id)
        .where(Notification.status == NoteStatus.FILED).order_by(Notification.due_on).limit(500))
    return [(nid, f"{sur.upper()}, {fore}", NOTIFICATION_LABELS[kind], due) for nid, fore, sur, kind, due in rows]


def set_summary(uow: UnitOfWork, actor: Actor, notification_id: int, text: str) -> Changes:
    """The engagement summary for a progress report (refused if clinical)."""
    require(actor, Permission.PROBATION_WRITE)
    note = get_row(uow, Notification, notification_id)
    if note.kind != Kind.PROGRESS_REPORT:
        raise ValueError("Only progress reports carry an engagement summary.")
    if note.status != NoteStatus.DUE:
        raise ValueError("This report has already been printed.")
    check_summary(text)
    before = note.summary
    note.summary = text.strip()
    order = get_row(uow, DrrOrder, note.order_id)
    uow.audit(actor, "probation.summary_changed", "drr_notification", note.id, person_id=order.person_id,
              changes={"summary_length": [len(before), len(note.summary)]})
    return Changes.of(AREA, person_id=order.person_id)


@dataclass(frozen=True)
class NotificationRow:
    id: int
    kind: str
    label: str
    due_on: date
    status: str
    sent_on: date | None
    method: str | None
    letter_id: int | None
    is_correction: bool
    summary: str


def notifications_for_order(uow: UnitOfWork, actor: Actor, order_id: int) -> list[NotificationRow]:
    require(actor, Permission.PROBATION_READ)
    rows = uow.session.execute(select(Notification).where(Notification.order_id == order_id)
                               .order_by(Notification.due_on.desc(), Notification.id.desc())).scalars()
    return [NotificationRow(n.id, n.kind, NOTIFICATION_LABELS[n.kind], n.due_on, n.status, n.sent_on, n.method,
                            n.letter_id, n.corrects_id is not None, n.summary) for n in rows]


def _who(uow: UnitOfWork, note: Notification) -> str:
    from db.tables.people import Person

    order = uow.session.get_one(DrrOrder, note.order_id)
    person = uow.session.execute(select(Person.forename, Person.surname)
                                 .where(Person.id == order.person_id)).one()
    return f"{person[0]} {person[1]} — {NOTIFICATION_LABELS[note.kind].lower()}"


def _check_cancel(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled("The batch was cancelled; nothing was filed.")
