"""Safe-storage boxes: stock, who holds which box, and quarterly counts.

Seed 002 asks the provider to give lockable boxes to people who keep
medication at home where children live or visit. The log is a list of plain
events; replaying them in date order gives the stock and the holders, and
every new event is checked against that replay, so an impossible history
(issuing a box that was never received) is refused rather than miscounted.

Assumptions where the seed is silent:

- a returned box goes back into stock and may be issued again;
- a lost box leaves stock; if it turns up, record it as received again;
- "replaced" hands the holder a new box in one step, the old one coming back
  to stock or being recorded as lost;
- the quarterly "boxes issued" count includes replacement boxes, because a
  box went out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from dateutil.relativedelta import relativedelta


class BoxEventKind(StrEnum):
    RECEIVED = "received"
    ISSUED = "issued"
    RETURNED = "returned"
    LOST = "lost"
    REPLACED = "replaced"


#: A box given to someone: its first issue or a replacement (the KPI counts both).
HANDED_OVER = (BoxEventKind.ISSUED, BoxEventKind.REPLACED)


class BoxStatus(StrEnum):
    """Where a box is now (``safe_storage_boxes.status``), as the event log says;
    ``new`` only until its first event is applied."""

    NEW = "new"
    IN_STOCK = "in_stock"
    ISSUED = "issued"
    LOST = "lost"


@dataclass(frozen=True)
class BoxEvent:
    """One entry in the box log.

    ``holder`` (a person id) is needed when issuing. A replacement names the
    box handed back or lost as ``box``, the box issued instead as
    ``new_box``, and whether the old box came back (``old_box_returned``).
    """

    kind: BoxEventKind
    box: str
    on: date
    holder: str | None = None
    new_box: str | None = None
    old_box_returned: bool = False

    def __post_init__(self) -> None:
        if self.kind is BoxEventKind.ISSUED and not self.holder:
            raise ValueError(f"Say who box {self.box} is issued to.")
        if self.kind is BoxEventKind.REPLACED and (not self.new_box or self.new_box == self.box):
            raise ValueError(f"Give the number of the new box replacing box {self.box}.")


class Quarter(NamedTuple):
    """An NHS financial-year quarter (April to June is Q1)."""

    start: date
    end: date
    label: str


@dataclass
class _Ledger:
    """Where every box is, after replaying the log up to some point."""

    in_stock: set[str] = field(default_factory=set)
    held_by: dict[str, str] = field(default_factory=dict)
    ever_issued: set[str] = field(default_factory=set)

    def require_in_stock(self, box: str) -> None:
        if box in self.held_by:
            raise ValueError(f"Box {box} is already issued")
        if box not in self.in_stock:
            raise ValueError(f"Box {box} is not in stock")

    def require_out(self, box: str) -> None:
        if box not in self.ever_issued:
            raise ValueError(f"Box {box} was never issued")
        if box not in self.held_by:
            raise ValueError(f"Box {box} is not out on issue")

    def issue(self, box: str, holder: str) -> None:
        self.require_in_stock(box)
        self.in_stock.remove(box)
        self.held_by[box] = holder
        self.ever_issued.add(box)

    def take_back(self, box: str) -> str:
        """Remove a box from its holder, returning who held it."""
        self.require_out(box)
        return self.held_by.pop(box)

    def apply(self, event: BoxEvent) -> None:
        box = event.box
        match event.kind:
            case BoxEventKind.RECEIVED:
                if box in self.in_stock:
                    raise ValueError(f"Box {box} is already in stock")
                if box in self.held_by:
                    raise ValueError(f"Box {box} is already issued")
                self.in_stock.add(box)
            case BoxEventKind.ISSUED:
                assert event.holder is not None  # checked by BoxEvent
                self.issue(box, event.holder)
            case BoxEventKind.RETURNED:
                self.take_back(box)
                self.in_stock.add(box)
            case BoxEventKind.LOST:
                if box in self.in_stock:
                    self.in_stock.remove(box)
                elif box in self.held_by:
                    del self.held_by[box]
                else:
                    raise ValueError(f"Box {box} is neither in stock nor issued")
            case BoxEventKind.REPLACED:
                assert event.new_box is not None  # checked by BoxEvent
                holder = self.take_back(box)
                if event.old_box_returned:
                    self.in_stock.add(box)
                self.issue(event.new_box, holder)


def _replay(events: Iterable[BoxEvent]) -> _Ledger:
    """Apply events in date order; same-day events keep the order given."""
    ledger = _Ledger()
    for event in sorted(events, key=lambda e: e.on):
        ledger.apply(event)
    return ledger


def stock_on_hand(events: Iterable[BoxEvent]) -> set[str]:
    """Box numbers in the cupboard, ready to issue."""
    return _replay(events).in_stock


def holder_of(box: str, events: Iterable[BoxEvent]) -> str | None:
    """Who holds ``box`` now, or ``None`` if it is in stock, lost or unknown."""
    return _replay(events).held_by.get(box)


def check_event(event: BoxEvent, events: Iterable[BoxEvent]) -> None:
    """Refuse an event the log so far makes impossible."""
    _replay([*events, event])


def check_issue(box: str, events: Iterable[BoxEvent]) -> None:
    """Refuse to issue a box that is already issued or is not in stock."""
    _replay(events).require_in_stock(box)


def check_return(box: str, events: Iterable[BoxEvent]) -> None:
    """Refuse to take back a box that was never issued or is not out now."""
    _replay(events).require_out(box)


def issued_between(events: Iterable[BoxEvent], start: date, end: date) -> int:
    """Boxes handed out from ``start`` to ``end`` inclusive, replacements included."""
    handed_out = (BoxEventKind.ISSUED, BoxEventKind.REPLACED)
    return sum(1 for e in events if e.kind in handed_out and start <= e.on <= end)


def nhs_quarter(d: date) -> Quarter:
    """The NHS financial-year quarter containing ``d``: Q1 April–June ... Q4 January–March.

    Labelled by financial year, e.g. October 2026 is "2026/27 Q3" and
    February 2027 is "2026/27 Q4".
    """
    year = d.year if d.month >= 4 else d.year - 1
    number = (d.month - 4) % 12 // 3 + 1
    start = date(year, 4, 1) + relativedelta(months=3 * (number - 1))
    end = start + relativedelta(months=3) - timedelta(days=1)
    return Quarter(start, end, f"{year}/{(year + 1) % 100:02d} Q{number}")
