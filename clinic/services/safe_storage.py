"""Safe-storage boxes (seed 002): receive stock, issue, return, lost, replaced.

Every new event is checked by replaying the log of the boxes it touches
through ``clinic.safe_storage`` (so a backdated event that makes the
history impossible is refused), then the box rows' ``status`` and
``holder_person_id`` are set from the replay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from clinic import safe_storage as rules
from clinic.changes import Area, Changes
from clinic.errors import Refused, refused_as
from clinic.outstanding import Outstanding, Severity
from clinic.permissions import Actor, Permission, require
from clinic.safe_storage import BoxEvent, BoxEventKind, BoxStatus
from clinic.uow import UnitOfWork
from clinic.validation import DAY_NAMED, DAY_ONLY, check_date
from db.tables.people import Person
from db.tables.safe_storage import SafeStorageBox, SafeStorageEvent
from db.tables.staff import Staff

AREA = Area.SAFE_STORAGE
REASONS = {"children_in_household": "Children in the household", "other": "Other (say why)"}


@dataclass(frozen=True)
class ReceiveBoxes:
    box_numbers: tuple[str, ...]
    received_on: date


@dataclass(frozen=True)
class IssueBox:
    person_id: int
    box_number: str
    issued_on: date
    reason: str
    advice_given: bool
    reason_note: str = ""


@dataclass(frozen=True)
class ReturnBox:
    box_number: str
    returned_on: date


@dataclass(frozen=True)
class LoseBox:
    box_number: str
    lost_on: date
    note: str = ""


@dataclass(frozen=True)
class ReplaceBox:
    box_number: str
    new_box_number: str
    replaced_on: date
    old_box_returned: bool
    advice_given: bool
    note: str = ""


@dataclass(frozen=True)
class BoxChanged:
    box_numbers: tuple[str, ...]
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class BoxEventRow:
    id: int
    box_number: str
    kind: str
    event_on: date
    new_box_number: str | None
    old_box_returned: bool
    reason: str
    reason_note: str
    advice_given: bool
    staff_name: str


@dataclass(frozen=True)
class PersonBoxes:
    held: tuple[str, ...]
    events: tuple[BoxEventRow, ...]


@dataclass(frozen=True)
class StockBox:
    box_number: str
    received_on: date


@dataclass(frozen=True)
class Stock:
    in_stock: tuple[StockBox, ...]
    issued: int
    lost: int
    quarter_label: str
    quarter_start: date
    quarter_end: date
    issued_this_quarter: int


def _number(text: str, field: str = "box_number") -> str:
    number = text.strip().upper()
    if not number:
        raise Refused("Enter the box number.", field=field)
    if len(number) > 40:
        raise Refused("A box number is at most 40 characters.", field=field)
    return number


def _box(uow: UnitOfWork, number: str, field: str = "box_number") -> SafeStorageBox:
    row = uow.session.execute(select(SafeStorageBox).where(SafeStorageBox.box_number == number)).scalar_one_or_none()
    if row is None:
        raise Refused(f"Box {number} is not in stock", field=field)
    return row


def _history(uow: UnitOfWork, box_ids: Iterable[int]) -> tuple[list[BoxEvent], dict[int, SafeStorageBox]]:
    """The log of these boxes and of every box a replacement ties them to."""
    ids, boxes = set(box_ids), {}
    rows: dict[int, SafeStorageEvent] = {}
    while True:
        found = uow.session.execute(select(SafeStorageEvent).where(
            or_(SafeStorageEvent.box_id.in_(ids), SafeStorageEvent.new_box_id.in_(ids)))).scalars().all()
        rows.update({e.id: e for e in found})
        more = {e.box_id for e in found} | {e.new_box_id for e in found if e.new_box_id} | ids
        if more == ids:
            break
        ids = more
    for b in uow.session.execute(select(SafeStorageBox).where(SafeStorageBox.id.in_(ids))).scalars():
        boxes[b.id] = b
    events = [_event(e, boxes) for e in sorted(rows.values(), key=lambda e: (e.event_on, e.id))]
    return events, boxes


def _event(e: SafeStorageEvent, boxes: dict[int, SafeStorageBox]) -> BoxEvent:
    return BoxEvent(
        BoxEventKind(e.kind), boxes[e.box_id].box_number, e.event_on,
        holder=str(e.person_id) if e.person_id is not None else None,
        new_box=boxes[e.new_box_id].box_number if e.new_box_id else None, old_box_returned=e.old_box_returned)


def _apply(uow: UnitOfWork, actor: Actor, boxes: dict[int, SafeStorageBox], event: BoxEvent,
           history: list[BoxEvent], row: SafeStorageEvent, *, field: str = "box_number") -> None:
    """Check ``event`` against the history (a refusal said by ``field``, the
    box it is about), store it, bring the box rows up to date."""
    with refused_as(field):
        rules.check_event(event, history)
    uow.session.add(row)
    after = [*history, event]
    stock = rules.stock_on_hand(after)
    for box in boxes.values():
        holder = rules.holder_of(box.box_number, after)
        status = BoxStatus.ISSUED if holder else BoxStatus.IN_STOCK if box.box_number in stock else BoxStatus.LOST
        new_holder = int(holder) if holder else None
        if (box.status, box.holder_person_id) != (status, new_holder):
            uow.audit(actor, "safe_storage.box_" + status, "safe_storage_box", box.id, person_id=new_holder
                      or box.holder_person_id, changes={"status": [box.status, status],
                                                         "holder_person_id": [box.holder_person_id, new_holder]})
            box.status, box.holder_person_id = status, new_holder
    uow.session.flush()


def receive_boxes(uow: UnitOfWork, actor: Actor, cmd: ReceiveBoxes) -> BoxChanged:
    require(actor, Permission.SAFE_STORAGE_WRITE)
    numbers = [_number(n, "box_numbers") for n in cmd.box_numbers]
    if not numbers:
        raise Refused("Enter at least one box number.", field="box_numbers")
    if len(set(numbers)) != len(numbers):
        raise Refused("A box number is entered twice.", field="box_numbers")
    check_date(cmd.received_on, field="received_on", label="The received date", today=uow.clock.today(),
               wording=DAY_NAMED)
    for number in numbers:
        box = uow.session.execute(
            select(SafeStorageBox).where(SafeStorageBox.box_number == number)).scalar_one_or_none()
        if box is None:
            box = SafeStorageBox(box_number=number, received_on=cmd.received_on, status=BoxStatus.NEW)
            uow.session.add(box)
            uow.session.flush()
        history, boxes = _history(uow, [box.id])
        boxes[box.id] = box
        event = BoxEvent(BoxEventKind.RECEIVED, number, cmd.received_on)
        _apply(uow, actor, boxes, event, history, SafeStorageEvent(
            box_id=box.id, kind=BoxEventKind.RECEIVED, event_on=cmd.received_on, staff_id=actor.staff_id),
            field="box_numbers")
    return BoxChanged(tuple(numbers), Changes.of(AREA))


def issue_box(uow: UnitOfWork, actor: Actor, cmd: IssueBox) -> BoxChanged:
    require(actor, Permission.SAFE_STORAGE_WRITE)
    number = _number(cmd.box_number)
    if cmd.reason not in REASONS:
        raise Refused("Choose the reason for the box.", field="reason")
    if cmd.reason == "other" and not cmd.reason_note.strip():
        raise Refused("Say why the box is issued.", field="reason_note")
    if uow.session.get(Person, cmd.person_id) is None:
        raise ValueError("That person is not on the register.")
    check_date(cmd.issued_on, field="issued_on", today=uow.clock.today(), wording=DAY_ONLY)
    box = _box(uow, number)
    history, boxes = _history(uow, [box.id])
    event = BoxEvent(BoxEventKind.ISSUED, number, cmd.issued_on, holder=str(cmd.person_id))
    _apply(uow, actor, boxes, event, history, SafeStorageEvent(
        box_id=box.id, person_id=cmd.person_id, kind=BoxEventKind.ISSUED, event_on=cmd.issued_on, reason=cmd.reason,
        reason_note=cmd.reason_note.strip(), advice_given=cmd.advice_given, staff_id=actor.staff_id))
    return BoxChanged((number,), Changes.of(AREA, Area.OST, person_id=cmd.person_id))


def return_box(uow: UnitOfWork, actor: Actor, cmd: ReturnBox) -> BoxChanged:
    require(actor, Permission.SAFE_STORAGE_WRITE)
    number = _number(cmd.box_number)
    check_date(cmd.returned_on, field="returned_on", today=uow.clock.today(), wording=DAY_ONLY)
    box = _known(uow, number)
    history, boxes = _history(uow, [box.id])
    holder = box.holder_person_id
    _apply(uow, actor, boxes, BoxEvent(BoxEventKind.RETURNED, number, cmd.returned_on), history,
           SafeStorageEvent(box_id=box.id, person_id=holder, kind=BoxEventKind.RETURNED, event_on=cmd.returned_on,
                            staff_id=actor.staff_id))
    return BoxChanged((number,), Changes.of(AREA, Area.OST, person_id=holder))


def lose_box(uow: UnitOfWork, actor: Actor, cmd: LoseBox) -> BoxChanged:
    require(actor, Permission.SAFE_STORAGE_WRITE)
    number = _number(cmd.box_number)
    check_date(cmd.lost_on, field="lost_on", today=uow.clock.today(), wording=DAY_ONLY)
    box = _known(uow, number)
    history, boxes = _history(uow, [box.id])
    holder = box.holder_person_id
    _apply(uow, actor, boxes, BoxEvent(BoxEventKind.LOST, number, cmd.lost_on), history,
           SafeStorageEvent(box_id=box.id, person_id=holder, kind=BoxEventKind.LOST, event_on=cmd.lost_on,
                            reason_note=cmd.note.strip(), staff_id=actor.staff_id))
    return BoxChanged((number,), Changes.of(AREA, Area.OST, person_id=holder))


def replace_box(uow: UnitOfWork, actor: Actor, cmd: ReplaceBox) -> BoxChanged:
    require(actor, Permission.SAFE_STORAGE_WRITE)
    old_number, new_number = _number(cmd.box_number), _number(cmd.new_box_number, "new_box_number")
    check_date(cmd.replaced_on, field="replaced_on", today=uow.clock.today(), wording=DAY_ONLY)
    old, new = _known(uow, old_number), _box(uow, new_number, "new_box_number")
    history, boxes = _history(uow, [old.id, new.id])
    holder = old.holder_person_id
    with refused_as("new_box_number"):
        event = BoxEvent(BoxEventKind.REPLACED, old_number, cmd.replaced_on, new_box=new_number,
                         old_box_returned=cmd.old_box_returned)
    # Which of the two boxes is wrong on the day, so the form says it by that box.
    so_far = [e for e in history if e.on <= cmd.replaced_on]
    with refused_as("box_number"):
        rules.check_return(old_number, so_far)
    with refused_as("new_box_number"):
        rules.check_issue(new_number, so_far)
    _apply(uow, actor, boxes, event, history, SafeStorageEvent(
        box_id=old.id, new_box_id=new.id, person_id=holder, kind=BoxEventKind.REPLACED, event_on=cmd.replaced_on,
        old_box_returned=cmd.old_box_returned, advice_given=cmd.advice_given, reason_note=cmd.note.strip(),
        staff_id=actor.staff_id))
    return BoxChanged((old_number, new_number), Changes.of(AREA, Area.OST, person_id=holder))


def _known(uow: UnitOfWork, number: str) -> SafeStorageBox:
    try:
        return _box(uow, number)
    except Refused:
        raise Refused(f"Box {number} was never issued", field="box_number") from None


# --- reading ------------------------------------------------------------------

def person_boxes(uow: UnitOfWork, actor: Actor, person_id: int) -> PersonBoxes:
    require(actor, Permission.SAFE_STORAGE_READ)
    held = uow.session.execute(select(SafeStorageBox.box_number).where(
        SafeStorageBox.holder_person_id == person_id).order_by(SafeStorageBox.box_number)).scalars().all()
    box, new_box = aliased(SafeStorageBox), aliased(SafeStorageBox)
    rows = uow.session.execute(
        select(SafeStorageEvent, box.box_number, new_box.box_number, Staff.full_name)
        .join(box, box.id == SafeStorageEvent.box_id)
        .outerjoin(new_box, new_box.id == SafeStorageEvent.new_box_id)
        .join(Staff, Staff.id == SafeStorageEvent.staff_id)
        .where(SafeStorageEvent.person_id == person_id)
        .order_by(SafeStorageEvent.event_on.desc(), SafeStorageEvent.id.desc())).all()
    events = tuple(BoxEventRow(e.id, number, e.kind, e.event_on, new_number, e.old_box_returned, e.reason,
                               e.reason_note, e.advice_given, staff) for e, number, new_number, staff in rows)
    return PersonBoxes(tuple(held), events)


def holds_box(uow: UnitOfWork, person_id: int) -> bool:
    """Whether the person holds a box now (no permission: callers check theirs)."""
    return uow.session.execute(select(SafeStorageBox.id).where(
        SafeStorageBox.holder_person_id == person_id).limit(1)).first() is not None


def issued_between(uow: UnitOfWork, actor: Actor, start: date, end: date) -> int:
    """Boxes handed out from ``start`` to ``end`` inclusive, replacements included (KPI)."""
    require(actor, Permission.SAFE_STORAGE_READ)
    return uow.session.execute(select(func.count()).select_from(SafeStorageEvent).where(
        SafeStorageEvent.kind.in_(rules.HANDED_OVER),
        SafeStorageEvent.event_on.between(start, end))).scalar_one()


def stock(uow: UnitOfWork, actor: Actor, *, on: date | None = None) -> Stock:
    """Stock on hand, counts by status, and boxes issued in the NHS quarter of ``on``."""
    require(actor, Permission.SAFE_STORAGE_READ)
    quarter = rules.nhs_quarter(on or uow.clock.today())
    in_stock = uow.session.execute(
        select(SafeStorageBox.box_number, SafeStorageBox.received_on)
        .where(SafeStorageBox.status == BoxStatus.IN_STOCK).order_by(SafeStorageBox.box_number)).all()
    counts = dict(uow.session.execute(select(SafeStorageBox.status, func.count())
                                      .group_by(SafeStorageBox.status)).all())
    return Stock(tuple(StockBox(n, r) for n, r in in_stock), counts.get(BoxStatus.ISSUED, 0),
                 counts.get(BoxStatus.LOST, 0),
                 quarter.label, quarter.start, quarter.end, issued_between(uow, actor, quarter.start, quarter.end))


def safe_storage_outstanding(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Outstanding]:
    """For the person summary: the boxes the person holds (the no-box alert is
    in the OST provider, which knows about take-home doses)."""
    require(actor, Permission.SAFE_STORAGE_READ)
    held = uow.session.execute(select(SafeStorageBox.box_number).where(
        SafeStorageBox.holder_person_id == person_id)).scalars().all()
    return [Outstanding("safe_storage", f"Holds safe-storage box {n}", None, Severity.INFO) for n in held]
