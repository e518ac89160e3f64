"""Safeguarding worklists: MASH / police requests due (overdue first),
referrals out with no outcome after the set weeks, and, for a safeguarding
lead, every open flag and every young person (on the register or seen at
the needle exchange, by name or code). Enter or
double-click opens the person's record. The administrator marks the
safeguarding leads here (Space ticks or clears one); a manager sees the
"people engaging with HCV treatment" figure for the quarter."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.dates import uk_date, uk_date_time
from clinic.permissions import Actor, Permission
from clinic.safe_storage import nhs_quarter
from clinic.services.safeguarding import referrals as referrals_svc
from clinic.services.safeguarding import flags as flags_svc
from clinic.services.safeguarding import requests as requests_svc
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import safeguarding as safeguarding_ops
from ui.widgets.page_title import title_label
from ui.widgets.table import fill, table


@dataclass(frozen=True)
class _Lists:
    requests: tuple[requests_svc.RequestRow, ...] = ()
    referrals: tuple[referrals_svc.ReferralRow, ...] = ()
    flags: tuple[flags_svc.FlagRow, ...] = ()
    young: tuple[flags_svc.YoungPerson, ...] = ()
    is_lead: bool = False
    candidates: tuple[flags_svc.LeadCandidate, ...] = ()
    hcv_engaging: str = ""  # the quarter's KPI line, for managers


def _read(uow: UnitOfWork, actor: Actor) -> _Lists:
    clinical = actor.can(Permission.SAFEGUARDING_READ)
    lists = _Lists(requests_svc.requests_due(uow, actor) if clinical else (),
                   referrals_svc.referrals_waiting(uow, actor) if clinical else ())
    if actor.can(Permission.SAFEGUARDING_LEAD) and flags_svc.am_i_lead(uow, actor):
        lists = replace(lists, flags=flags_svc.all_open_flags(uow, actor), young=flags_svc.young_people(uow, actor),
                        is_lead=True)
    if actor.can(Permission.STAFF_ADMIN):
        lists = replace(lists, candidates=flags_svc.lead_candidates(uow, actor))
    if actor.can(Permission.REPORTS_READ):
        quarter = nhs_quarter(uow.clock.today())
        count = referrals_svc.hcv_engaging(uow, actor, quarter.start, quarter.end)
        lists = replace(lists, hcv_engaging=f"People engaging with HCV treatment, {quarter.label}: {count}")
    return lists


def _when(row: requests_svc.RequestRow) -> str:
    return uk_date_time(row.due_at)


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
        self.young = self._table(("Name", "Date of birth", "Age", "Why listed"))
        self.leads = QListWidget()
        self.leads.itemChanged.connect(self._lead_ticked)
        self.lead_note = QLabel()
        self.lead_note.setWordWrap(True)
        self.kpi = QLabel()
        if ctx.can(Permission.SAFEGUARDING_READ):
            self.tabs.addTab(self.requests, "Requests due")
            self.tabs.addTab(self.referrals, "Referrals without outcome")
        if ctx.can(Permission.SAFEGUARDING_LEAD):
            flags_page = QWidget()
            column = QVBoxLayout(flags_page)
            column.addWidget(self.lead_note)
            column.addWidget(self.flags, 1)
            self.tabs.addTab(flags_page, "All open flags (lead)")
            self.tabs.addTab(self.young, "Young people (lead)")
        if ctx.can(Permission.STAFF_ADMIN):
            self.tabs.addTab(self.leads, "Safeguarding leads")
        refresh = QPushButton("&Refresh")
        refresh.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(title_label("Safeguarding"))  # the one page title style (UI-48)
        head.addWidget(self.kpi, 1)
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

        def read(uow: UnitOfWork) -> _Lists:
            return _read(uow, actor)

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
        for t in (self.requests, self.referrals, self.flags, self.young):
            t.setRowCount(0)
        self.leads.clear()
        self.lead_note.clear()
        self.kpi.clear()

    def _show(self, lists: _Lists) -> None:
        self.lists = lists
        fill(self.requests, [(r.person_name, r.source.label, r.urgency.label, _when(r),
                              "OVERDUE" if r.overdue else "Due", r.requester) for r in lists.requests])
        fill(self.referrals, [(r.person_name, uk_date(r.referred_on), r.kind.label, r.destination, r.reason)
                              for r in lists.referrals])
        fill(self.flags, [(f.person_name, f.label, uk_date(f.raised_on), f.raised_by, uk_date(f.review_on))
                          for f in lists.flags])
        fill(self.young, [(y.person_name, uk_date(y.date_of_birth), str(y.age), y.reason) for y in lists.young])
        self.kpi.setText(lists.hcv_engaging)
        self.leads.blockSignals(True)
        self.leads.clear()
        for c in lists.candidates:
            item = QListWidgetItem(f"{c.full_name} ({c.roles})")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.is_lead else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, c.staff_id)
            self.leads.addItem(item)
        self.leads.blockSignals(False)
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
                                    id(self.flags): self.lists.flags, id(self.young): self.lists.young}[id(t)]
        i = t.currentRow()
        person_id = rows[i].person_id if 0 <= i < len(rows) else None  # type: ignore[attr-defined]
        if person_id is not None:  # a pseudonymous NSP visitor has no record to open
            self.open_person.emit(person_id)

    def _lead_ticked(self, item: QListWidgetItem) -> None:
        cmd = flags_svc.MarkLead(item.data(Qt.ItemDataRole.UserRole), item.checkState() == Qt.CheckState.Checked)
        actor = self.ctx.actor
        self.ctx.write(self, safeguarding_ops.mark_lead(actor, cmd)).on_success(
            lambda _: self.refresh()).start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(watched, QTableWidget)):
            self.open_selected(watched)
            return True
        return super().eventFilter(watched, event)
