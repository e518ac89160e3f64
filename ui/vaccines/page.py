"""The nurse's vaccination and BBV page: recall worklists, and vaccine stock.

``VaccinationPage(ctx, parent=None)``; ``open_person(int)`` asks the shell
to open a person's record. Worklists the signed-in role may not read are
not shown (the services refuse them anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from clinic.permissions import Actor, Permission
from clinic.services import bbv
from clinic.services.vaccination import courses as vaccination
from clinic.services.vaccination import stock as vaccine_stock
from clinic.services.vaccination import recalls
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.operations import vaccination as vaccination_ops
from ui.output.batch_dialog import BatchPrintDialog
from ui.vaccines.stock import StockView
from ui.vaccines.worklist import WorklistView
from ui.widgets.page_title import title_label  # one page-title style (UI-48)

#: key, tab title, empty text, permission, service function
LISTS: tuple[tuple[str, str, str, Permission, Any], ...] = (
    ("due", "Due this week", "No doses due this week.", Permission.VACCINATION_READ,
     vaccination.doses_due_this_week),
    ("overdue", "Overdue", "No overdue doses.", Permission.VACCINATION_READ, vaccination.doses_overdue),
    ("anti_hbs", "Anti-HBs due", "No anti-HBs checks due.", Permission.VACCINATION_READ,
     vaccination.anti_hbs_due),
    ("awaiting", "Results awaited", "No results awaited.", Permission.BBV_READ, bbv.results_awaiting),
    ("not_given", "Results to give", "No results waiting to be given.", Permission.BBV_READ,
     bbv.results_not_given),
    ("retests", "HCV re-tests", "No hepatitis C re-tests due.", Permission.BBV_READ, bbv.hcv_retests_due),
)
DUE_HEADERS = {"awaiting": "Sample taken", "not_given": "Sample taken", "anti_hbs": "Due from"}


@dataclass(frozen=True)
class _Lists:
    lists: dict[str, Any]
    today: date


def _read(uow: UnitOfWork, actor: Actor, keys: tuple[str, ...]) -> _Lists:
    fns = {key: fn for key, _t, _e, _p, fn in LISTS}
    return _Lists({key: fns[key](uow, actor) for key in keys}, uow.clock.today())


class VaccinationPage(QWidget):
    loaded = Signal()
    open_person = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.lists: dict[str, WorklistView] = {}
        for key, title, empty, permission, _fn in LISTS:
            if ctx.can(permission):
                view = WorklistView(empty, DUE_HEADERS.get(key, "Due"))
                view.open_person.connect(self.open_person)
                self.lists[key] = view
                self.tabs.addTab(view, title)
        self.stock = StockView(ctx)
        if ctx.can(Permission.VACCINATION_READ):
            self.tabs.addTab(self.stock, "Stock")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.reload = QPushButton("Refres&h")
        self.reload.clicked.connect(self.refresh)
        self.recall_button = QPushButton("Print recall &letters for the selected…")
        self.recall_button.setToolTip("Select people in the Overdue, Anti-HBs or HCV re-test list "
                                      "(Shift or Ctrl with the arrows; Ctrl+A for all)")
        self.recall_button.clicked.connect(self.print_recalls)
        self.recall_button.setVisible(ctx.can(Permission.LETTER_CLINICAL))
        self.dialog: BatchPrintDialog | None = None
        heading = title_label("Vaccination and BBV recalls")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.recall_button)
        top.addWidget(self.reload)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.recall_status = QLabel()
        layout.addWidget(self.recall_status)
        layout.addWidget(self.tabs, 1)
        self._stale = True
        self._generation = 0  # bumped on lock: results of older reads are dropped
        ctx.changes_applied.connect(self._changes_applied)
        ctx.locked.connect(self.drop)

    def refresh(self) -> None:
        self._stale = False
        actor, keys = self.ctx.actor, tuple(self.lists)
        gen = self._generation
        self.ctx.query(self, lambda uow: _read(uow, actor, keys)).on_success(
            lambda data: self._show(data) if gen == self._generation else None).start()
        if self.tabs.currentWidget() is self.stock:
            self.stock.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def current_list(self) -> str | None:
        return next((k for k, v in self.lists.items() if v is self.tabs.currentWidget()), None)

    def print_recalls(self) -> BatchPrintDialog | None:
        """Recall letters for the people selected in this list, as one batch
        (progress, cancel; held letters for "no post" people; each filed)."""
        key = self.current_list()
        if key not in recalls.LISTS:
            self.recall_status.setText("Recall letters are printed from the Overdue, Anti-HBs and HCV re-test lists.")
            return None
        ids = self.lists[key].selected_person_ids()
        if not ids:
            self.recall_status.setText("Select the people to recall first (Ctrl+A selects the whole list).")
            return None
        self.recall_status.clear()
        actor = self.ctx.actor
        n = len(ids)
        self.dialog = BatchPrintDialog(self.ctx, vaccination_ops.recall_items(actor, key, ids), self,
                                       title=f"Recall letters for {n} {'person' if n == 1 else 'people'}")
        self.dialog.open()
        return self.dialog

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.stock:
            self.stock.refresh()

    def _changes_applied(self, changes: Changes, initiator: object) -> None:
        if any(changes.touches(a) for a in (vaccination.AREA, bbv.AREA, vaccine_stock.AREA, "people")):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def drop(self) -> None:
        self._stale = True
        self._generation += 1
        for view in self.lists.values():
            view.clear()
        self.stock.clear()

    def _show(self, data: _Lists) -> None:
        for key, wl in data.lists.items():
            self.lists[key].show_rows(wl.rows, wl.more, data.today)
            i = self.tabs.indexOf(self.lists[key])
            title = next(t for k, t, *_ in LISTS if k == key)
            self.tabs.setTabText(i, f"{title} ({wl.total}{'+' if wl.more else ''})")
        self.loaded.emit()

    def worklist_names(self) -> dict[str, list[str]]:
        return {key: view.names() for key, view in self.lists.items()}
