"""The TOP form and the national-return details.

Every TOP answer starts empty: type a number, pick yes/no, or "NA" when the
person did not disclose. Follow-up answers (amount per using day, sharing)
are needed only when their lead answer is above zero; the service says
which, by the item.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic import ndtms, top
from clinic.dates import parse_date, uk_date
from clinic.services.journey import top as svc
from clinic.services.journey.record import EpisodeView
from ui.context import AppContext
from ui.journey.dialogs import Command, choice
from ui.operations import journey as journey_ops
from ui.widgets.form_dialog import FormDialog
from ui.widgets.table import fill, table
from ui.widgets.write_dialog import date_edit, date_of

STAGES = (("Start", "start"), ("Review", "review"), ("Exit", "exit"), ("Post-treatment exit", "post_exit"))


class TopDialog(FormDialog):
    def __init__(self, ctx: AppContext, episode: EpisodeView, today: date, *, stage: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Treatment Outcomes Profile", parent)
        self.episode = episode
        self.stage = choice(STAGES)
        if stage is not None:  # opened as "exit TOP" from the discharge: the stage is the button's
            self.stage.setCurrentIndex(self.stage.findData(stage))
        self.interview_on = date_edit(today, maximum=today)
        self.field("stage", "Treatment &stage", self.stage)
        self.field("interview_on", "&Interview date", self.interview_on, hint="Each answer is about the past 4 weeks")
        self.answers: dict[str, QLineEdit | QComboBox] = {}
        # The 40 items go in a scrolling form of their own; ``field`` adds to ``self.form``.
        dialog_form, body = self.form, QWidget()
        self.form = QFormLayout(body)
        section = 0
        for item in top.ITEMS:
            if item.section != section:
                section = item.section
                self.form.addRow(QLabel(f"<b>{section}. {top.SECTIONS[section]}</b>"))
            editor: QLineEdit | QComboBox
            if item.kind is top.Kind.YES_NO:
                editor = choice([("Yes", True), ("No", False), ("NA (not disclosed)", top.NA)])
            else:
                editor = QLineEdit()
                editor.setPlaceholderText({top.Kind.DAYS: "0–28 or NA", top.Kind.RATING: "0 poor – 20 good, or NA",
                                           top.Kind.AMOUNT: f"{item.unit} or NA", top.Kind.TEXT: "name"}[item.kind])
            self.answers[item.key] = editor
            label = item.label + (" (if any)" if item.when_positive else "")
            self.field(item.key, label, editor)
        self.form = dialog_form
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.form.addRow(scroll)
        self.resize(760, 640)
        self.stage.setFocus()

    def collected(self) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        for key, editor in self.answers.items():
            if isinstance(editor, QComboBox):
                if editor.currentData() is not None:
                    values[key] = editor.currentData()
                continue
            text = editor.text().strip()
            if not text:
                continue
            if text.upper() == top.NA:
                values[key] = top.NA
            elif top.BY_KEY[key].kind is top.Kind.TEXT:
                values[key] = text
            else:
                try:
                    values[key] = float(text) if top.BY_KEY[key].kind is top.Kind.AMOUNT else int(text)
                except ValueError:
                    self.show_field_error(key, "Enter a number, or NA.")
                    return None
        return values

    def command(self) -> Command:
        answers = self.collected()
        if answers is None:
            return None
        cmd = svc.RecordTop(self.episode.id, self.stage.currentData() or "", date_of(self.interview_on), answers)
        actor = self.ctx.actor
        return journey_ops.record_top(actor, cmd)


class ProfileDialog(FormDialog):
    """Ethnicity, orientation, religion, disability, substances and injecting."""

    LABELS = (("ethnicity", "&Ethnicity"), ("sexual_orientation", "Se&xual orientation"), ("religion", "&Religion"),
              ("disability", "&Disability"), ("primary_substance", "&Primary substance"),
              ("primary_route", "Primary r&oute"), ("secondary_substance", "Seco&ndary substance"),
              ("secondary_route", "Secondary ro&ute"), ("injecting_status", "&Injecting status"))

    def __init__(self, ctx: AppContext, current: svc.Profile, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Details for the national return", parent)
        self.current = current
        self.boxes: dict[str, QComboBox] = {}
        for key, label in self.LABELS:
            box = choice([(v, k) for k, v in ndtms.PROFILE_CODES[key].items()])
            value = getattr(current, key)
            if value:
                box.setCurrentIndex(max(0, box.findData(value)))
            self.boxes[key] = box
            self.field(key, label, box)
        self.status_on = QLineEdit(uk_date(current.injecting_status_on) if current.injecting_status_on
                                   else "")
        self.last_injected = QLineEdit(uk_date(current.last_injected_on) if current.last_injected_on
                                       else "")
        self.field("injecting_status_on", "Injecting status &given on", self.status_on, hint="dd/mm/yyyy")
        self.field("last_injected_on", "&Last injected (if previously)", self.last_injected, hint="dd/mm/yyyy")
        self.boxes["ethnicity"].setFocus()

    def _date(self, edit: QLineEdit, name: str) -> tuple[bool, date | None]:
        if not edit.text().strip():
            return True, None
        try:
            return True, parse_date(edit.text(), today=self.ctx.clinic.clock.today())
        except ValueError as e:
            self.show_field_error(name, str(e))
            return False, None

    def command(self) -> Command:
        ok1, status_on = self._date(self.status_on, "injecting_status_on")
        ok2, last = self._date(self.last_injected, "last_injected_on")
        if not (ok1 and ok2):
            return None
        values = {k: b.currentData() or "" for k, b in self.boxes.items()}
        cmd = svc.Profile(self.current.person_id, **values, injecting_status_on=status_on, last_injected_on=last,
                          version=self.current.version)
        actor = self.ctx.actor
        return journey_ops.save_profile(actor, cmd)


class TopViewDialog(QDialog):
    """One recorded TOP, read-only (its opening is audited by ``top_form``)."""

    def __init__(self, view: svc.TopView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Treatment Outcomes Profile")
        answers = view.answers
        rows = [(item.label, _shown(answers[item.key])) for item in top.ITEMS if item.key in answers]
        self.table = table(("Item", "Answer"))
        fill(self.table, rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{top.Stage(view.stage).label} TOP</b>, interview {uk_date(view.interview_on)}"))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 640)
        self.table.setFocus()


def _shown(value: Any) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return str(value)
