"""Safeguarding worklists: MASH / police requests due (overdue first),
referrals out with no outcome after the set weeks, and, for a safeguarding
lead, every open flag on the register. Enter or double-click opens the
person's record."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.dates import uk_long
from clinic.errors import Refused
from clinic.permissions import Permission
from clinic.services import referrals as referrals_svc
from clinic.services import safeguarding_flags as flags_svc
from clinic.services import safeguarding_requests as requests_svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.widgets.table import fill, table


@dataclass(frozen=True)
class _Lists:
    requests: tuple[requests_svc.RequestRow, ...]
    referrals: tuple[referrals_svc.ReferralRow, ...]
    flags: tuple[flags_svc.FlagRow, ...] | None  # None: not a safeguarding lead
    is_lead: bool


def _when(row: requests_svc.RequestRow) -> str:
    return row.due_at.strftime("%d/%m/%Y %H:%M")


class SafeguardingPage(QWidget):
    open_person = Signal(int)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lists: _Lists | None = None
        self.tabs = QTabWidget()
        self.requests = self._table(("Name", "From", "Urgency", "Due", "Status", "Who asked"))
        self.referrals = self._table(("Name", "Referred", "Kind", "To", "Reason"))
        self.flags = self._table(("Name", "Flag", "Raised", "By", "Review"))
        self.lead_note = QLabel()
        self.lead_note.setWordWrap(True)
        flags_page = QWidget()
        column = QVBoxLayout(flags_page)
        column.addWidget(self.lead_note)
        column.addWidget(self.flags, 1)
        if ctx.can(Permission.SAFEGUARDING_READ):
            self.tabs.addTab(self.requests, "Requests due")
            self.tabs.addTab(self.referrals, "Referrals without outcome")
        self.tabs.addTab(flags_page, "All open flags (lead)")
        refresh = QPushButton("&Refresh")
        refresh.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(QLabel("<b>Safeguarding</b>"), 1)
        head.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        self._stale, self._generation = True, 0
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.drop)

    def _table(self, headers: tuple[str, ...]) -> QTableWidget:
        t = table(headers)
        t.doubleClicked.connect(lambda _i, t=t: self.open_selected(t))
        t.installEventFilter(self)
        return t

    def refresh(self) -> None:
        actor, gen = self.ctx.actor, self._generation
        self._stale = False
        clinical = self.ctx.can(Permission.SAFEGUARDING_READ)

        def read(uow: UnitOfWork) -> _Lists:
            requests = requests_svc.requests_due(uow, actor) if clinical else ()
            referrals = referrals_svc.referrals_waiting(uow, actor) if clinical else ()
            try:
                return _Lists(requests, referrals, flags_svc.all_open_flags(uow, actor), True)
            except Refused:
                return _Lists(requests, referrals, None, False)

        self.ctx.query(self, read).on_success(lambda lists: self._show(lists) if gen == self._generation else None) \
            .start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("safeguarding") or changes.touches("referrals"):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def drop(self) -> None:
        self.lists, self._stale = None, True
        self._generation += 1
        for t in (self.requests, self.referrals, self.flags):
            t.setRowCount(0)
        self.lead_note.clear()

    def _show(self, lists: _Lists) -> None:
        self.lists = lists
        fill(self.requests, [(r.person_name, r.source.label, r.urgency.label, _when(r),
                              "OVERDUE" if r.overdue else "Due", r.requester) for r in lists.requests])
        fill(self.referrals, [(r.person_name, uk_long(r.referred_on), r.kind.label, r.destination, r.reason)
                              for r in lists.referrals])
        fill(self.flags, [(f.person_name, f.label, uk_long(f.raised_on), f.raised_by, uk_long(f.review_on))
                          for f in lists.flags or ()])
        self.lead_note.setText("" if lists.is_lead else
                               "Only a safeguarding lead sees every flag. Ask the administrator to mark you as one.")
        overdue = sum(1 for r in lists.requests if r.overdue)
        if self.ctx.can(Permission.SAFEGUARDING_READ):
            self.tabs.setTabText(0, f"Requests due ({len(lists.requests)}, {overdue} overdue)")
            self.tabs.setTabText(1, f"Referrals without outcome ({len(lists.referrals)})")
        self.loaded.emit()

    def open_selected(self, t: QTableWidget) -> None:
        if self.lists is None:
            return
        rows: tuple[object, ...] = {id(self.requests): self.lists.requests, id(self.referrals): self.lists.referrals,
                                    id(self.flags): self.lists.flags or ()}[id(t)]
        i = t.currentRow()
        if 0 <= i < len(rows):
            self.open_person.emit(rows[i].person_id)  # type: ignore[attr-defined]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(watched, QTableWidget)):
            self.open_selected(watched)
            return True
        return super().eventFilter(watched, event)
