"""Tests for ui.widgets.form_dialog: after a refusal the cursor is by the
field it names and Enter saves again (disabling Save during the write used
to hand the default to Cancel, so the next Enter cancelled the form)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from clinic.errors import Refused
from clinic.uow import UnitOfWork
from ui.context import AppContext
from ui.widgets.form_dialog import FormDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


class NameDialog(FormDialog):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "Name")
        self.other = QLineEdit()
        self.name = QLineEdit()
        self.field("other", "&Other", self.other)
        self.field("name", "&Name", self.name)

    def command(self) -> Callable[[UnitOfWork], Any] | None:
        name = self.name.text()

        def write(uow: UnitOfWork) -> str:
            if not name:
                raise Refused("Enter the name.", field="name")
            return name

        return write


def test_after_a_refusal_enter_in_the_field_saves(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = NameDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.other.setFocus()
    qtbot.keyClick(dialog.other, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.errors["name"].message == "Enter the name.", timeout=5000)
    assert QApplication.focusWidget() is dialog.name
    assert dialog.save_button.isDefault() and dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.name, "Sam")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.result_value == "Sam"
