"""Choosing a person inside another form, and saying who was chosen (UI-4).

``who(hit)`` is the one way a dialog names the person it acts on:
"DAVIES, Isla · 13/10/1983 · H000601". ``PersonLine`` shows it for a
person given by id (read off the UI thread). ``PersonPicker`` finds a
person as the People search does (name, date of birth, NHS number, client
number): type, Down or Enter chooses, and the line under the box names who
was chosen; typing again un-chooses. Nothing chosen leaves the typed text
for forms that accept a name of someone not on the register (walk-ins).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.services.people import search as people_search
from clinic.services.people.search import PersonHit
from clinic.dates import uk_date
from ui.context import AppContext

NOBODY = "No one chosen yet"
ROWS_SHOWN = 4


def who(hit: PersonHit) -> str:
    return f"{hit.display_name} · {uk_date(hit.date_of_birth)} · {hit.client_id}"


class PersonLine(QLabel):
    """Names one person; ``show_person`` reads them by id."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(NOBODY)  # hidden until there is someone to name
        self.ctx = ctx
        self.setObjectName("personLine")
        self.setAccessibleName("person chosen")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        ctx.locked.connect(self.clear)
        self._person_id: int | None = None
        ctx.unlocked.connect(lambda: self.show_person(self._person_id) if self._person_id else None)

    def show_person(self, person_id: int) -> None:
        self._person_id = person_id
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: people_search.person_hit(uow, actor, person_id)) \
            .on_success(self.set_hit).start()

    def set_hit(self, hit: PersonHit | None) -> None:
        self._person_id = hit.id if hit is not None else None
        self.setText(who(hit) if hit is not None else NOBODY)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text) and text != NOBODY)


class PersonPicker(QWidget):
    #: The person chosen (a ``PersonHit``), or None when the choice is undone by typing.
    chosen = Signal(object)
    #: A set of results was shown (tests wait on it).
    results_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hit: PersonHit | None = None
        self._generation = 0
        self._hits: list[PersonHit] = []
        self.box = QLineEdit(self)
        self.box.setPlaceholderText(placeholder or "Name, date of birth, NHS number or client number")
        self.box.setAccessibleName("Find a person")
        self.results = QListWidget(self)
        self.results.setAccessibleName("People found")
        self.results.setMaximumHeight(self.results.fontMetrics().lineSpacing() * ROWS_SHOWN + 12)
        self.results.hide()
        self.line = PersonLine(ctx, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.box)
        layout.addWidget(self.results)
        layout.addWidget(self.line)
        self.setFocusProxy(self.box)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.search)
        self.box.textEdited.connect(self._typed)
        self.box.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemActivated.connect(lambda item: self._choose_row(self.results.row(item)))
        ctx.locked.connect(self.clear)

    @property
    def person_id(self) -> int | None:
        return self.hit.id if self.hit is not None else None

    def text(self) -> str:
        return self.box.text()

    def _typed(self, _text: str) -> None:
        if self.hit is not None:
            self.hit = None
            self.line.set_hit(None)
            self.chosen.emit(None)
        self._debounce.start()

    def search(self) -> None:
        self._debounce.stop()
        self._generation += 1
        generation, text, actor = self._generation, self.box.text(), self.ctx.actor
        if not text.strip():
            self._show(generation, [])
            return
        self.ctx.query(self, lambda uow: people_search.search(uow, actor, text, limit=20)) \
            .on_success(lambda hits: self._show(generation, hits)).start()

    def _show(self, generation: int, hits: list[PersonHit]) -> None:
        if generation != self._generation:
            return
        self._hits = list(hits)
        self.results.clear()
        for hit in hits:
            self.results.addItem(QListWidgetItem(who(hit)))
        self.results.setVisible(bool(hits))
        if hits:
            self.results.setCurrentRow(0)
        elif self.box.text().strip() and self.hit is None:
            self.line.setText("Not on the register: the name is used as typed")
        self.results_shown.emit()

    def choose(self, hit: PersonHit) -> None:
        self.hit = hit
        self.box.setText(hit.display_name)
        self.line.set_hit(hit)
        self.results.hide()
        self.chosen.emit(hit)

    def _choose_row(self, row: int) -> None:
        if 0 <= row < len(self._hits):
            self.choose(self._hits[row])
            self.box.setFocus()
            self.focusNextChild()  # on to the next field of the form

    def clear(self) -> None:
        self._generation += 1
        self._debounce.stop()
        self.hit, self._hits = None, []
        self.box.clear()
        self.results.clear()
        self.results.hide()
        self.line.set_hit(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.box:
            if key == Qt.Key.Key_Down and self._hits and self.results.isVisible():
                self.results.setFocus()
                return True
            if enter and self.hit is None and self.box.text().strip():
                if self._debounce.isActive():
                    self.search()
                    return True  # Enter again once the results are there
                if self._hits and self.results.isVisible():
                    self._choose_row(max(self.results.currentRow(), 0))
                    return True
                self.focusNextChild()  # not on the register: on to the next field with the name as typed
                return True
        elif watched is self.results:
            if enter:
                self._choose_row(self.results.currentRow())
                return True
            if key == Qt.Key.Key_Up and self.results.currentRow() <= 0:
                self.box.setFocus()
                return True
            if key == Qt.Key.Key_Escape:
                self.results.hide()
                self.box.setFocus()
                return True
        return False


def name_the_person(dialog: QWidget) -> None:
    """Put "who this is about" at the top of a dialog that acts on one person
    (it holds ``ctx`` and an int ``person_id``) and does not name them yet.
    Called for every dialog the first time it is shown (ui/shell/keyboard.py)."""
    ctx, person_id = getattr(dialog, "ctx", None), getattr(dialog, "person_id", None)
    if not isinstance(ctx, AppContext) or not isinstance(person_id, int) or dialog.findChildren(PersonLine):
        return
    layout = dialog.layout()
    if not isinstance(layout, QBoxLayout):
        return
    line = PersonLine(ctx, dialog)
    line.setText("…")
    layout.insertWidget(0, line)
    line.show_person(person_id)
