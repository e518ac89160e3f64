"""Tests for ui.staff.password_dialogs.ChangePasswordDialog (used at sign-in)."""

from __future__ import annotations

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.services import staff
from clinic.uow import Clinic
from tests.conftest import STAFF_PASSWORD
from ui import ops
from ui.staff import ChangePasswordDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_change_password_before_a_context_exists(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    nurse = actors[Role.NURSE]
    dialog = ChangePasswordDialog(clinic, nurse, forced=True)
    qtbot.addWidget(dialog)
    dialog.show()
    changed: list[bool] = []
    dialog.changed.connect(lambda: changed.append(True))

    dialog.current.setText(STAFF_PASSWORD)
    dialog.new.setText("short")
    dialog.submit()
    assert "at least 10" in dialog.new_error.message

    dialog.new.setText("nadia's own long password")
    dialog.repeat.setText("nadia's own long passwort")
    dialog.submit()
    assert "not the same" in dialog.repeat_error.message

    dialog.current.setText("not my password")
    dialog.repeat.setText("nadia's own long password")
    dialog.submit()
    qtbot.waitUntil(lambda: "current password is not right" in dialog.current_error.message)

    dialog.current.setText(STAFF_PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: bool(changed))
    assert not shiboken6.isValid(dialog) or dialog.result() == dialog.DialogCode.Accepted
    ops.wait_for_all()
    with clinic.unit_of_work(write=True) as uow:
        assert staff.sign_in(uow, "nurse", "nadia's own long password").actor is not None
