"""Settings → Site: every declared site setting, generated from
``clinic.settings.SETTINGS`` and grouped in tabs by key prefix.

Only administrators may change settings (the service checks); others see
them read-only. Each value is validated against its declaration before
saving, and a problem is shown beside its field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic import settings as declared
from clinic.errors import Refused
from clinic.permissions import Permission
from clinic.services import site_settings
from clinic.settings import SETTINGS, Setting, SiteSettings
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.settings.editors import Editor, editor_for
from ui.widgets.form_row import FieldError, HintLabel, add_field
from ui.widgets.page_title import title_label  # one page-title style (UI-48)

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Site and letterhead", ("site.",)),
    ("Security", ("security.",)),
    ("Appointments", ("appointments.", "queue.", "callbacks.", "workdays.")),
    ("BBV && vaccination", ("bbv.", "vaccines.", "vaccination.")),
    ("OST", ("ost.",)),
    ("DRR/ATR", ("probation.",)),
    ("Harm reduction", ("nsp.",)),  # the harm-reduction counter
    ("Safeguarding && referrals", ("safeguarding.", "consent.", "referrals.")),  # ui.safeguarding
    ("Treatment journey", ("journey.",)),  # clinic/journey.py
    ("Backups", ("backup.",)),
)
OTHER = "Other"


def group_of(setting: Setting) -> str:
    return next((title for title, prefixes in GROUPS if setting.key.startswith(prefixes)), OTHER)


def default_text(setting: Setting) -> str:
    """The default and, for a number, its bounds, as the hint under a field."""
    if setting.key in ("site.logo_png_base64", "workdays.closures") or setting.default in ("", []):
        return ""
    if isinstance(setting.default, str) and (setting.multiline or len(setting.default) > 60):
        return ""
    shown = dict(setting.choices).get(setting.default, setting.default)
    if setting.type is int:
        return f"Default: {shown} (from {setting.minimum} to {setting.maximum})"
    return f"Default: {shown}"


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.can_edit = ctx.can(Permission.SETTINGS_ADMIN)
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, FieldError] = {}
        self.loaded: dict[str, Any] = {}
        self._filling = False

        self.tabs = QTabWidget()
        used = {group_of(s) for s in SETTINGS}
        forms = {title: self._add_tab(title) for title in [t for t, _ in GROUPS] + [OTHER] if title in used}
        for setting in SETTINGS:
            title = group_of(setting)
            editor = editor_for(setting, self._edited)
            editor.widget.setToolTip(setting.key)
            self.editors[setting.key] = editor
            self.errors[setting.key] = add_field(forms[title], setting.shown_label, editor.widget,
                                                 hint=self._hint(setting))
            editor.set_read_only(not self.can_edit)

        self.save_button = QPushButton("&Save changes")
        self.revert_button = QPushButton("&Revert")
        self.status = QLabel()
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        self.save_button.setVisible(self.can_edit)
        self.revert_button.setVisible(self.can_edit)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self.reload())

        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Site settings"))
        layout.addWidget(HintLabel(
            "These apply to every workstation at this site." if self.can_edit else
            "Only the administrator can change these settings; they are shown here for reference."))
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bar)
        self._set_dirty(False)
        self.reload()

    def _add_tab(self, title: str) -> QFormLayout:
        inner = QWidget()
        form = QFormLayout(inner)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.tabs.addTab(scroll, title)
        return form

    @staticmethod
    def _hint(setting: Setting) -> str:
        extra = {"workdays.closures": "Days the whole service is closed. Weekends and bank holidays "
                                      "are never working days and need no entry.",
                 "site.address": "One line per line, as printed on letters."}
        return " ".join(t for t in (extra.get(setting.key, ""), default_text(setting)) if t)

    # -- loading ----------------------------------------------------------

    def reload(self, message: str = "") -> None:
        def load(uow: UnitOfWork) -> SiteSettings:
            return site_settings.current(uow)

        self.status.setText("Loading…")
        self.ctx.query(self, load).on_success(lambda values: self._loaded(values, message)).start()

    def _loaded(self, values: SiteSettings, message: str = "") -> None:
        self._filling = True
        try:
            for key, editor in self.editors.items():
                self.loaded[key] = values[key]
                editor.set_value(values[key])
                self.errors[key].clear_message()
        finally:
            self._filling = False
        self._set_dirty(False)
        self.status.setText(message)

    # -- saving -----------------------------------------------------------

    def changed_values(self) -> dict[str, Any]:
        return {k: e.value() for k, e in self.editors.items() if e.value() != self.loaded.get(k)}

    def _edited(self) -> None:
        if not self._filling:
            self._set_dirty(bool(self.changed_values()))

    def _set_dirty(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty and self.can_edit:
            self.status.setText("Unsaved changes.")

    def save(self) -> None:
        values = self.changed_values()
        problems: dict[str, str] = {}
        for key, value in values.items():
            self.errors[key].clear_message()
            try:
                declared.validate(key, value)
            except ValueError as exc:
                problems[key] = str(exc)
        if not problems:
            try:
                declared.validate_all(values, SiteSettings(self.loaded))
            except Refused as exc:
                problems[exc.field or next(iter(values))] = str(exc)
        if problems:
            for key, message in problems.items():
                self.errors[key].show_message(message)
            self._show_field(next(iter(problems)))
            self.status.setText("Nothing was saved: see the messages beside the fields.")
            return
        if not values:
            self.status.setText("Nothing has changed.")
            return
        actor = self.ctx.actor

        def change(uow: UnitOfWork) -> None:
            site_settings.change(uow, actor, values)

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.status.setText("")
            self.ctx.show_error(self, exc)

        self.save_button.setEnabled(False)
        self.status.setText("Saving…")
        self.ctx.write(self, change).on_success(lambda _: self._saved(len(values))).on_failure(failed).start()

    def _saved(self, count: int) -> None:
        self.reload(f"Saved {count} setting{'s' if count != 1 else ''}.")

    def _show_field(self, key: str) -> None:
        widget = self.editors[key].widget
        for i in range(self.tabs.count()):
            scroll = self.tabs.widget(i)
            if isinstance(scroll, QScrollArea) and (inner := scroll.widget()) and inner.isAncestorOf(widget):
                self.tabs.setCurrentIndex(i)
                scroll.ensureWidgetVisible(widget)
        widget.setFocus()
