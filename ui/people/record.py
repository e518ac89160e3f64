"""A person's record: header (name, preferred name, age, NHS number, client
ID, chips) over the tabs in ``ui.people.tabs.TABS``.

Opening writes one ``person.opened`` audit row; later refreshes (after a
save here or on another screen) use ``refresh_record`` and are not
openings. Client data is dropped when the screen locks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from clinic.dates import uk_date
from clinic.services.people import summary as people_summary
from clinic.services.people.summary import PersonRecord
from ui.context import AppContext
from ui.operations import people as people_ops
from ui.people.chips import ChipRow
from ui.people.tabs import TABS, TabSpec


class PersonRecordView(QWidget):
    #: The summary was (re)loaded and shown (tests wait on it).
    loaded = Signal(object)
    #: Another record should be opened instead (e.g. "merged into").
    open_person = Signal(int)

    def __init__(self, ctx: AppContext, person_id: int, parent: QWidget | None = None, *,
                 tabs: Sequence[TabSpec] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.record: PersonRecord | None = None
        self.name = QLabel("Opening…", self)
        self.name.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.name.setAccessibleName("person name")
        self.facts = QLabel(self)
        self.facts.setTextInteractionFlags(self.facts.textInteractionFlags())
        self.chips = ChipRow(self)
        self.risk = QLabel(self)
        self.risk.setWordWrap(True)
        self.risk.setStyleSheet("color: #b00020; font-weight: 600;")
        self.risk.setAccessibleName("risk and safety")
        self.risk.hide()
        self.tabs = QTabWidget(self)
        self._tab_widgets: list[QWidget] = []
        for spec in TABS if tabs is None else tabs:
            if ctx.can(spec.permission):
                widget = spec.factory(ctx, person_id, self.tabs)
                index = self.tabs.addTab(widget, spec.title)
                if index < 9:
                    self.tabs.setTabToolTip(index, f"Alt+{index + 1}")
                    QShortcut(QKeySequence(f"Alt+{index + 1}"), self, lambda i=index: self.tabs.setCurrentIndex(i),
                              context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self._tab_widgets.append(widget)
        header = QVBoxLayout()
        header.setSpacing(4)
        header.addWidget(self.name)
        header.addWidget(self.facts)
        header.addWidget(self.chips)
        header.addWidget(self.risk)
        top = QHBoxLayout()
        top.addLayout(header, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        ctx.changes_applied.connect(self._changed)
        ctx.locked.connect(self.drop)
        ctx.unlocked.connect(self.refresh)  # the same user gets the record back (UI-45)
        self.open()

    def show_tab(self, title: str) -> None:
        """Bring the tab called ``title`` to the front, if this role has it."""
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == title:
                self.tabs.setCurrentIndex(index)
                return

    def open(self) -> None:
        actor, pid = self.ctx.actor, self.person_id
        self.ctx.write(self, people_ops.open_record(actor, pid)
                       ).on_success(self.show_record).start()

    def refresh(self) -> None:
        actor, pid = self.ctx.actor, self.person_id
        self.ctx.query(self, lambda uow: people_summary.refresh_record(uow, actor, pid)
                       ).on_success(self.show_record).start()

    def show_record(self, record: PersonRecord) -> None:
        self.record = record
        hit = record.hit
        preferred = f"  “{hit.preferred_name}”" if hit.preferred_name else ""
        self.name.setText(f"{hit.display_name}{preferred}")
        status = "" if hit.status == "open" else f"   ·   Record {hit.status}"
        if record.merged_into is not None:
            status += f" into {record.merged_into.client_id}"
        self.facts.setText(
            f"Born {uk_date(hit.date_of_birth)} (age {hit.age})   ·   "
            f"NHS {hit.nhs_number or 'not known'}   ·   {hit.client_id}{status}")
        self.chips.set_chips(record.chips)
        risk = record.details.risk_notes
        self.risk.setText(f"Risk / safety: {risk}" if risk else "")
        self.risk.setVisible(bool(risk))
        for widget in self._tab_widgets:
            show = getattr(widget, "show_record", None)
            if callable(show):
                show(record)
        self.loaded.emit(record)

    def drop(self) -> None:
        """The screen locked: forget the client data shown here."""
        self.record = None
        self.name.setText("Locked")
        self.facts.setText("")
        self.chips.set_chips(())
        self.risk.setText("")
        self.risk.hide()
        for widget in self._tab_widgets:
            drop = getattr(widget, "drop", None)
            if callable(drop):
                drop()

    def _changed(self, changes: Any, initiator: Any) -> None:
        if self.record is not None and self.person_id in changes.person_ids:
            self.refresh()
