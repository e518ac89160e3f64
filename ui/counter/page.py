"""The Counter page: the NSP visit form, and for clinicians the naloxone and
alcohol actions for the person at the counter, the worklist of people on
OST or injecting with no in-date kit, under-18 visits for the safeguarding
lead, and the naloxone kit stock.

Reachable on its own and from the drop-in queue (``start_visit``).
Reception sees only the counter form, and only records there when the
site allows it (the service decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from clinic.changes import Changes
from clinic.dates import uk_date
from clinic.permissions import Actor, Permission
from clinic.services.harm_reduction import naloxone as kits
from clinic.services.harm_reduction import nsp as svc
from clinic.services.ost.worklists import WorkItem
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.counter.alcohol_dialogs import AuditDialog
from ui.counter.naloxone_dialogs import ReceiveKitsDialog, SupplyKitDialog
from ui.counter.visit_form import VisitForm
from ui.counter.widgets import right_aligned, stretch_column
from ui.operations import counter as counter_ops
from ui.widgets.page_title import page_title
from ui.widgets.table import fill, table


@dataclass(frozen=True)
class _Lists:
    no_kit: list[WorkItem]
    young: list[svc.SafeguardingItem]
    stock: list[kits.Batch]
    today: date


def _read_lists(uow: UnitOfWork, actor: Actor) -> _Lists:
    return _Lists(kits.no_kit_worklist(uow, actor), svc.safeguarding_worklist(uow, actor),
                  kits.kit_stock(uow, actor, include_empty=False), uow.clock.today())


class CounterPage(QWidget):
    open_person = Signal(int)
    #: The worklists were (re)loaded (tests wait on it).
    lists_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lists: _Lists | None = None
        self.dialog: QWidget | None = None
        self.clinician = ctx.can(Permission.HARM_REDUCTION_READ)
        self.form = VisitForm(ctx)
        self.tabs = QTabWidget()
        counter = QWidget()
        counter_layout = QVBoxLayout(counter)  # the actions above the form, not beside it: it fits 1366 px
        self.kit_button = QPushButton("Nalo&xone kit…")
        self.audit_button = QPushButton("&AUDIT-C…")
        self.kit_button.clicked.connect(self.supply_kit)
        self.audit_button.clicked.connect(self.screen_alcohol)
        self.kit_button.setVisible(ctx.can(Permission.HARM_REDUCTION_WRITE))
        self.audit_button.setVisible(ctx.can(Permission.ALCOHOL_WRITE))
        side = QHBoxLayout()
        side.addWidget(QLabel("For the person chosen:"))
        side.addWidget(self.kit_button)
        side.addWidget(self.audit_button)
        side.addStretch(1)
        if self.clinician:
            counter_layout.addLayout(side)
        counter_layout.addWidget(self.form, 1)
        self.form.person_chosen.connect(self._person_chosen)
        self._person_chosen(None)
        self.tabs.addTab(counter, "&Counter")

        self.no_kit = table(("Name", "Born", "Why"))
        self.no_kit.activated.connect(lambda index: self._open(self.lists.no_kit[index.row()].person_id
                                                               if self.lists else None))
        self.young = table(("Visit", "Who", "Needles", "Assessment", "Recorded by"))
        stretch_column(self.young, 3)
        self.review_button = QPushButton("&Mark reviewed")
        self.review_button.clicked.connect(self.mark_reviewed)
        self.review_button.setVisible(ctx.can(Permission.HARM_REDUCTION_WRITE))
        self.stock = table(("Product", "Batch", "Expires", "In stock"))
        self.receive_button = QPushButton("&Receive kits…")
        self.receive_button.clicked.connect(self.receive_kits)
        self.receive_button.setVisible(ctx.can(Permission.NALOXONE_STOCK_WRITE))
        if self.clinician:
            self.tabs.addTab(self.no_kit, "&People with no kit")
            young = QWidget()
            young_layout = QVBoxLayout(young)
            young_layout.addWidget(QLabel("Under-18 visits for the safeguarding lead to review."))
            young_layout.addWidget(self.young, 1)
            young_layout.addLayout(right_aligned(self.review_button))
            self.tabs.addTab(young, "&Young people")
            stock = QWidget()
            stock_layout = QVBoxLayout(stock)
            stock_layout.addWidget(self.stock, 1)
            stock_layout.addLayout(right_aligned(self.receive_button))
            self.tabs.addTab(stock, "Kit stoc&k")
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("Harm-reduction counter"))
        layout.addWidget(self.tabs, 1)
        self._stale = True
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.drop)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._stale:
            self.refresh()
        self.form.search.setFocus()

    def start_visit(self, person_id: int | None) -> None:
        """From the drop-in queue: the counter for this person (or an empty form for a walk-in)."""
        self.tabs.setCurrentIndex(0)
        self.form.clear()
        if person_id is not None:
            self.form.choose_person(person_id)

    def refresh(self) -> None:
        self._stale = False
        if not self.clinician:
            return
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: _read_lists(uow, actor)).on_success(self._show_lists).start()

    def _show_lists(self, lists: _Lists) -> None:
        self.lists = lists
        fill(self.no_kit, [(i.name, uk_date(i.date_of_birth), i.detail) for i in lists.no_kit])
        fill(self.young, [(uk_date(v.visited_on), v.visitor, str(v.needles_issued), v.assessment_note, v.recorded_by)
                          for v in lists.young])
        fill(self.stock, [(b.product, b.batch_number, ("EXPIRED " if b.expired else "") + uk_date(b.expires_on),
                           str(b.remaining)) for b in lists.stock])
        self.review_button.setEnabled(bool(lists.young))
        self.lists_loaded.emit()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if changes.touches("harm_reduction") or changes.touches("ost") or changes.touches("people"):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def drop(self) -> None:
        self.lists, self._stale = None, True
        for t in (self.no_kit, self.young, self.stock):
            fill(t, [])
        if self.dialog is not None:
            self.dialog.close()

    def _open(self, person_id: int | None) -> None:
        if person_id is not None:
            self.open_person.emit(person_id)

    def _person_chosen(self, person_id: object) -> None:
        for b in (self.kit_button, self.audit_button):
            b.setEnabled(person_id is not None)

    # -- actions ------------------------------------------------------------------

    def supply_kit(self) -> None:
        pid, actor = self.form.person_id, self.ctx.actor
        if pid is None:
            return
        self.ctx.query(self, lambda uow: kits.kit_stock(uow, actor)).on_success(
            lambda batches: self._open_supply(pid, batches)).start()

    def _open_supply(self, person_id: int, batches: list[kits.Batch]) -> None:
        self.dialog = SupplyKitDialog(self.ctx, person_id, batches, self.ctx.clinic.clock.today(), parent=self)
        self.dialog.open()

    def screen_alcohol(self) -> None:
        if self.form.person_id is None:
            return
        self.dialog = AuditDialog(self.ctx, self.form.person_id, self.ctx.clinic.clock.today(), parent=self)
        self.dialog.open()

    def receive_kits(self) -> None:
        self.dialog = ReceiveKitsDialog(self.ctx, self.ctx.clinic.clock.today(), parent=self)
        self.dialog.open()

    def mark_reviewed(self) -> None:
        row = self.young.currentRow()
        if self.lists is None or not 0 <= row < len(self.lists.young):
            return
        visit_id, actor = self.lists.young[row].visit_id, self.ctx.actor
        self.ctx.write(self, counter_ops.mark_safeguarding_reviewed(actor, visit_id)).start()


