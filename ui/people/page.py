"""The People page: find a person (Ctrl+F), register one (Ctrl+N), and the
records opened from the search, each in its own closable tab (Ctrl+W).

An open record gets the width (UI-5): the search folds away while a record
is shown and comes back with Ctrl+F, with "Find a person" above the
records, or when the last record is closed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic.permissions import Permission
from clinic.services.people.summary import PersonRecord
from ui.context import AppContext
from ui.people.practices import PracticesDialog
from ui.people.record import PersonRecordView
from ui.people.register import RegisterDialog
from ui.people.search import PersonSearch
from ui.shell import theme


class PeoplePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.search = PersonSearch(ctx, self)
        self.search.person_chosen.connect(self.open_person)
        self.register_button = QPushButton("&Register a new person…")
        self.register_button.setIcon(theme.icon("user-plus"))
        self.register_button.clicked.connect(self.register)
        self.practices_button = QPushButton("G&P practices…")
        self.practices_button.clicked.connect(self.edit_practices)
        self.practices_button.setVisible(ctx.can(Permission.PERSON_EDIT))
        self.records = QTabWidget()
        self.records.setTabsClosable(True)
        self.records.setDocumentMode(True)
        self.records.tabCloseRequested.connect(self._close_tab)

        self.find_button = QPushButton("Find a person")
        self.find_button.setToolTip("Ctrl+F")
        self.find_button.setIcon(theme.icon("search"))
        self.find_button.clicked.connect(self.focus_search)
        self.records.setCornerWidget(self.find_button, Qt.Corner.TopLeftCorner)
        left = self.search_panel = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.search, 1)
        row = QHBoxLayout()
        row.addWidget(self.register_button)
        row.addStretch(1)
        row.addWidget(self.practices_button)
        col.addLayout(row)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.records)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        QVBoxLayout(self).addWidget(split)
        for keys, slot in ((QKeySequence.StandardKey.New, self.register),
                           (QKeySequence.StandardKey.Close, self._close_current)):
            QShortcut(QKeySequence(keys), self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.register_button.setEnabled(ctx.can(Permission.PERSON_REGISTER))
        self._show_search(True)

    def focus_search(self) -> None:
        self._show_search(True)
        self.search.box.setFocus()
        self.search.box.selectAll()

    def _show_search(self, shown: bool) -> None:
        self.search_panel.setVisible(shown or not self.records.count())
        self.find_button.setVisible(not self.search_panel.isVisibleTo(self))
        self.records.setVisible(bool(self.records.count()) or not shown)

    def open_person(self, person_id: int, tab: str = "") -> None:
        """Show the record, opening it (one audited opening) if not already open;
        ``tab`` names the tab to show, e.g. "Probation" from its worklist (UI-33)."""
        for i in range(self.records.count()):
            view = self.records.widget(i)
            if isinstance(view, PersonRecordView) and view.person_id == person_id:
                self.records.setCurrentIndex(i)
                self._show_search(False)
                if tab:
                    view.show_tab(tab)
                return
        view = PersonRecordView(self.ctx, person_id, self.records)
        if tab:
            view.show_tab(tab)
        view.open_person.connect(self.open_person)
        index = self.records.addTab(view, "Opening…")
        view.loaded.connect(lambda record, v=view: self._titled(v, record))
        self.records.setCurrentIndex(index)
        self._show_search(False)
        view.setFocus()

    def _titled(self, view: PersonRecordView, record: PersonRecord) -> None:
        index = self.records.indexOf(view)
        if index >= 0:
            self.records.setTabText(index, record.hit.display_name)

    def register(self) -> None:
        if not self.register_button.isEnabled():
            return
        dialog = RegisterDialog(self.ctx, self)
        dialog.registered.connect(self.open_person)
        dialog.open_existing.connect(self.open_person)
        dialog.open()

    def edit_practices(self) -> None:
        PracticesDialog(self.ctx, self).open()

    def _close_tab(self, index: int) -> None:
        widget = self.records.widget(index)
        self.records.removeTab(index)
        if widget is not None:
            widget.deleteLater()
        if not self.records.count():
            self.focus_search()

    def _close_current(self) -> None:
        if self.records.count():
            self._close_tab(self.records.currentIndex())
