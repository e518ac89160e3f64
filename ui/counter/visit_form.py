"""The NSP counter: one visit in under ten seconds, keyboard only.

Who: type a name, client ID or date of birth in *Find person* and press
Enter to take the highlighted match (Up/Down move it); or, for someone who
will not give a name, type initials, date of birth and gender: the code
they make finds their earlier visits. Then Tab through the item spin boxes
typing numbers, the returns and the advice, and press Enter to save. The
form clears and focus goes back to *Find person* for the next visitor.

For an under-18 (from the date of birth) the young-person box appears: the
assessment that withholding is the greater risk must be ticked and
explained, the quantity is capped by the site, and the visit is flagged
for the safeguarding lead (all enforced by ``clinic.services.harm_reduction.nsp``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
    QSpinBox, QVBoxLayout, QWidget,
)

from clinic import nsp as rules
from clinic.dates import looks_like_date, uk_date
from clinic.errors import PermissionDenied, Refused
from clinic.services.harm_reduction import nsp as svc
from clinic.services.people import search as people_search
from ui.context import AppContext
from ui.operations import counter as counter_ops
from ui.widgets.alert_banner import AlertBanner
from ui.widgets.form_row import FieldError
from ui.widgets.table import fill, table

SEARCH_DELAY_MS = 150
#: Which message line a refusal from the service goes under.
FIELD_AREA = {"person": "who", "code": "who", "initials": "who", "date_of_birth": "who", "gender": "who",
              "visited_on": "who", "items": "items", "returns": "returns", "advice": "returns",
              "assessment": "young"}


class VisitForm(QWidget):
    #: A visit was saved (VisitRecorded); tests wait on it.
    saved = Signal(object)
    #: The visitor on the form changed (person id, or None for a code or nobody).
    person_chosen = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: tuple[rules.Item, ...] = ()
        self.hits: list[people_search.PersonHit] = []
        self.person_id: int | None = None
        self.visitor: svc.Visitor | None = None
        self.may_record = True  # until the site says otherwise (the service decides in any case)
        self._asked: object = None

        # -- who ------------------------------------------------------------
        self.search = QLineEdit()
        self.search.setPlaceholderText("Name, client ID or date of birth; Enter takes the match")
        self.search.setAccessibleName("Find person")
        self.search.installEventFilter(self)
        self.results = table(("Name", "Client ID", "Born"))
        self.results.setMaximumHeight(130)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # driven from the search box (Up/Down)
        self.initials = QLineEdit()
        self.initials.setMaxLength(3)
        self.initials.setMaximumWidth(60)
        self.dob = QLineEdit()
        self.dob.setPlaceholderText("dd/mm/yyyy")
        self.dob.setMinimumWidth(110)
        self.dob.setMaximumWidth(130)
        self.gender = QComboBox()
        self.gender.setMinimumWidth(230)
        self.gender.addItem("", None)  # chosen, never assumed
        for key, label in rules.GENDERS.items():
            self.gender.addItem(label, key)
        self.visitor_label = QLabel("Nobody chosen yet.")
        self.visitor_label.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.visitor_label.setAccessibleName("visitor")
        self.who_error = FieldError()
        who = QGroupBox("Who")
        who_form = QFormLayout(who)
        who_form.addRow(_label("Fi&nd person", self.search), self.search)
        who_form.addRow("", self.results)
        code_row = QHBoxLayout()
        for text, w in (("&Initials", self.initials), ("Date of &birth", self.dob), ("Gen&der", self.gender)):
            code_row.addWidget(_label(text, w))
            code_row.addWidget(w)
        code_row.addStretch(1)
        code_row.setSpacing(8)
        who_form.addRow("Or a code", code_row)
        who_form.addRow("", self.visitor_label)
        who_form.addRow("", self.who_error)

        # -- young person -----------------------------------------------------
        self.young_banner = AlertBanner()
        self.assessed = QCheckBox("&Judged: withholding equipment is the greater risk")
        self.assessment = QLineEdit()
        self.assessment.setPlaceholderText("Why (recorded for the safeguarding lead)")
        self.young_error = FieldError()
        self.young = QGroupBox("Young person (under 18)")
        young_layout = QVBoxLayout(self.young)
        young_layout.addWidget(self.young_banner)
        young_layout.addWidget(self.assessed)
        young_layout.addWidget(_label("Reason for the judg&ement", self.assessment))
        young_layout.addWidget(self.assessment)
        young_layout.addWidget(self.young_error)
        self.young.hide()

        # -- items ------------------------------------------------------------
        self.spins: list[tuple[rules.Item, QSpinBox]] = []
        self.items_box = QGroupBox("Given")
        self.items_grid = QGridLayout(self.items_box)
        self.items_error = FieldError()

        # -- returns and advice ---------------------------------------------------
        self.bins = _spin(100)
        self.loose = _spin(10_000)
        self.advice = {key: QCheckBox(label) for key, label in rules.ADVICE.items()}
        for key, text in (("safer_injecting", "&Safer injecting"), ("bbv", "BB&V"), ("overdose", "&Overdose"),
                          ("stop_injecting", "&Moving away from injecting"), ("wound_care", "Wo&und care")):
            self.advice[key].setText(text)
        self.returns_error = FieldError()
        returns = QGroupBox("Returned and advised")
        returns_form = QFormLayout(returns)
        returns_form.addRow(_label("Sharps bins &returned", self.bins), self.bins)
        returns_form.addRow(_label("&Loose items returned", self.loose), self.loose)
        advice_row = QGridLayout()  # two columns: the form fits a laptop's height
        for i, box in enumerate(self.advice.values()):
            advice_row.addWidget(box, i // 2, i % 2)
        returns_form.addRow("Advice given", advice_row)
        returns_form.addRow("", self.returns_error)

        self.save_button = QPushButton("Save visit (Enter)")
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setAccessibleName("status")
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.save_button)

        left = QVBoxLayout()
        left.addWidget(who)
        left.addWidget(self.young)
        left.addWidget(returns)
        left.addStretch(1)
        given = QWidget()
        right = QVBoxLayout(given)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.items_box)
        right.addWidget(self.items_error)
        right.addStretch(1)
        # the item list scrolls (Tab scrolls to each field) rather than making the window taller than a laptop
        self.given_scroll = QScrollArea()
        self.given_scroll.setWidget(given)
        self.given_scroll.setWidgetResizable(True)
        self.given_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.given_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(self.given_scroll, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(bar)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._run_search)
        self.search.textEdited.connect(lambda _: self._timer.start())
        for w in (self.initials, self.dob):
            w.textEdited.connect(lambda _: self._code_changed())
        self.gender.currentIndexChanged.connect(lambda _: self._code_changed())
        for key in ("Return", "Enter"):
            QShortcut(QKeySequence(key), self, self._enter, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        ctx.locked.connect(self.clear)
        self._load_items()

    # -- items ------------------------------------------------------------------

    def _load_items(self) -> None:
        actor = self.ctx.actor
        self.ctx.query(self, lambda uow: (svc.counter_items(uow, actor), svc.may_record(uow, actor))).on_success(
            lambda loaded: self._show_items(*loaded)).start()

    def _show_items(self, items: tuple[rules.Item, ...], may_record: bool) -> None:
        self.items = items
        self.may_record = may_record
        if not may_record:
            self.status.setText("This site does not let reception record NSP visits: ask a nurse.")
            self.save_button.setEnabled(False)
        previous: QWidget = self.gender
        for row, item in enumerate(items):
            spin = _spin(svc.MAX_QUANTITY)
            spin.setAccessibleName(item.label)
            caption = QLabel(f"{item.type_label}: {item.label}")
            caption.setBuddy(spin)
            self.items_grid.addWidget(caption, row, 0)
            self.items_grid.addWidget(spin, row, 1)
            self.spins.append((item, spin))
            QWidget.setTabOrder(previous, spin)
            previous = spin
        QWidget.setTabOrder(previous, self.bins)
        if (given := self.given_scroll.widget()) is not None:
            self.given_scroll.setMinimumWidth(given.minimumSizeHint().width()
                                              + self.given_scroll.verticalScrollBar().sizeHint().width())

    # -- who --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step and self.hits:
                row = min(max(self.results.currentRow() + step, 0), len(self.hits) - 1)
                self.results.selectRow(row)
                return True
        return super().eventFilter(watched, event)

    def _run_search(self) -> None:
        text, actor = self.search.text().strip(), self.ctx.actor
        asked = self._asked = object()
        if len(text) < 2:
            self._show_hits([], asked)
            return
        self.ctx.query(self, lambda uow: people_search.search(uow, actor, text, limit=8)).on_success(
            lambda hits: self._show_hits(hits, asked)).start()

    def _show_hits(self, hits: list[people_search.PersonHit], asked: object) -> None:
        if asked is not self._asked:
            return
        self.hits = list(hits)
        fill(self.results, [(h.display_name, h.client_id, uk_date(h.date_of_birth)) for h in self.hits])
        if self.hits:
            self.results.selectRow(0)

    def choose_person(self, person_id: int) -> None:
        """Start a visit for a registered person (from the search, or the drop-in queue)."""
        self.initials.clear()
        self.dob.clear()
        self.gender.setCurrentIndex(0)
        self.person_id = person_id
        self._look_up(person_id=person_id)
        self.person_chosen.emit(person_id)
        if self.spins:
            self.spins[0][1].setFocus()

    def _code_changed(self) -> None:
        if self.person_id is not None:
            self.person_id = None
            self.person_chosen.emit(None)
        self.search.clear()
        self._show_hits([], self._asked)
        day = looks_like_date(self.dob.text(), today=self.ctx.clinic.clock.today())
        gender = self.gender.currentData()
        if not self.initials.text().strip() or day is None or gender is None:
            self.visitor = None
            self.visitor_label.setText("Enter initials, date of birth and gender for a code.")
            self._young(False)
            return
        try:
            code = rules.pseudonymous_code(self.initials.text(), day, gender, today=self.ctx.clinic.clock.today())
        except Refused as exc:
            self.who_error.show_message(exc.message)
            return
        self.who_error.clear_message()
        self._look_up(code=code)

    def code(self) -> str:
        """The code the fields make now, or ""."""
        day = looks_like_date(self.dob.text(), today=self.ctx.clinic.clock.today())
        gender = self.gender.currentData()
        if not self.initials.text().strip() or day is None or gender is None:
            return ""
        try:
            return rules.pseudonymous_code(self.initials.text(), day, gender, today=self.ctx.clinic.clock.today())
        except Refused:
            return ""

    def _look_up(self, *, person_id: int | None = None, code: str = "") -> None:
        actor = self.ctx.actor
        asked = self._asked = object()
        self.ctx.query(self, lambda uow: svc.visitor(uow, actor, person_id=person_id, code=code)).on_success(
            lambda v: self._show_visitor(v, asked)).on_failure(self._failed).start()

    def _show_visitor(self, visitor: svc.Visitor, asked: object) -> None:
        if asked is not self._asked:
            return
        self.visitor = visitor
        history = (f"{visitor.visits} earlier visit{'s' if visitor.visits != 1 else ''}, last "
                   f"{uk_date(visitor.last_visit)}" if visitor.last_visit else "first visit")
        kind = "" if visitor.person_id is not None else "Code "
        self.visitor_label.setText(f"{kind}{visitor.name} · {visitor.age} · {history}")
        self._young(visitor.under_18)

    def _young(self, under_18: bool) -> None:
        self.young.setVisible(under_18)
        self.young_banner.show_alert(
            "Under 18: give equipment only if withholding it is the greater risk; fewer needles "
            "(site cap); the visit is flagged for the safeguarding lead. Encourage the young people's "
            "service." if under_18 else "")

    # -- saving -------------------------------------------------------------------

    def _enter(self) -> None:
        if self.search.hasFocus():
            row = self.results.currentRow()
            if 0 <= row < len(self.hits):
                self.choose_person(self.hits[row].id)
            return
        self.save()

    def command(self) -> svc.RecordVisit:
        return svc.RecordVisit(
            visited_on=self.ctx.clinic.clock.today(), person_id=self.person_id,
            code="" if self.person_id is not None else self.code(),
            items=tuple(svc.ItemIssued(i.type, i.label, s.value()) for i, s in self.spins if s.value()),
            bins_returned=self.bins.value(), loose_returned=self.loose.value(),
            advice=tuple(k for k, box in self.advice.items() if box.isChecked()),
            greater_risk_assessed=self.assessed.isChecked(), assessment_note=self.assessment.text())

    def save(self) -> None:
        if not self.may_record:
            return
        for error in (self.who_error, self.items_error, self.returns_error, self.young_error):
            error.clear_message()
        cmd, actor = self.command(), self.ctx.actor
        self.save_button.setEnabled(False)
        self.ctx.write(self, counter_ops.record_visit(actor, cmd)).on_success(
            lambda done: self._saved(done, cmd)).on_failure(self._failed).start()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, Refused):
            area = FIELD_AREA.get(error.field or "", "who")
            {"who": self.who_error, "items": self.items_error, "returns": self.returns_error,
             "young": self.young_error}[area].show_message(error.message)
            if area == "young":
                self.young.show()
            return
        if isinstance(error, PermissionDenied):
            self.who_error.show_message(str(error))
            return
        self.ctx.show_error(self, error)

    def _saved(self, done: svc.VisitRecorded, cmd: svc.RecordVisit) -> None:
        who = self.visitor.name if self.visitor else cmd.code
        given = sum(i.quantity for i in cmd.items)
        self.status.setText(f"Saved: {who}, {given} item{'s' if given != 1 else ''} given"
                            + (" · flagged for safeguarding" if done.safeguarding_flag else "") + ".")
        self.clear(keep_status=True)
        self.saved.emit(done)

    def clear(self, keep_status: bool = False) -> None:
        """Ready for the next visitor (also on lock: nothing about this one stays on screen)."""
        self._asked = object()
        self.person_id, self.visitor, self.hits = None, None, []
        for w in (self.search, self.initials, self.dob, self.assessment):
            w.clear()
        self.gender.setCurrentIndex(0)
        fill(self.results, [])
        for _, spin in self.spins:
            spin.setValue(0)
        self.bins.setValue(0)
        self.loose.setValue(0)
        for box in (*self.advice.values(), self.assessed):
            box.setChecked(False)
        self.visitor_label.setText("Nobody chosen yet.")
        self._young(False)
        for error in (self.who_error, self.items_error, self.returns_error, self.young_error):
            error.clear_message()
        if not keep_status and self.may_record:
            self.status.clear()
        self.save_button.setEnabled(self.may_record)
        self.person_chosen.emit(None)
        self.search.setFocus()


class CountSpin(QSpinBox):
    """A count typed over: focus (by Tab or click) selects the number, so "5" replaces "0"."""

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt name
        super().focusInEvent(event)
        self.selectAll()
        QTimer.singleShot(0, self.selectAll)  # again after a mouse click has placed the cursor


def _spin(maximum: int) -> QSpinBox:
    spin = CountSpin()
    spin.setRange(0, maximum)
    spin.setMaximumWidth(90)
    spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
    return spin


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label

