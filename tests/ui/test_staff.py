"""Tests for ui.staff: the administrator's staff accounts screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

import sqlalchemy as sa

from clinic.permissions import Actor, Role
from clinic.services import staff
from clinic.uow import Clinic
from db.tables.staff import Staff
from tests.conftest import STAFF_PASSWORD
from ui import ops
from ui.context import AppContext
from ui.staff import StaffPage
from ui.staff.account_dialog import AccountDialog
from ui.staff.password_dialogs import ResetPasswordDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def closed(widget: QWidget) -> bool:
    return not shiboken6.isValid(widget) or not widget.isVisible()


@pytest.fixture
def ctx_role() -> Role:
    return Role.ADMIN


def open_page(qtbot: QtBot, ctx: AppContext) -> StaffPage:
    page = StaffPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() >= 7)
    return page


def select(page: StaffPage, username: str) -> None:
    row = next(r for r in range(page.model.rowCount()) if page.model.summary(r).username == username)
    page.table.selectRow(row)


def account(clinic: Clinic, admin: Actor, username: str) -> staff.StaffSummary:
    with clinic.unit_of_work() as uow:
        return next(s for s in staff.list_staff(uow, admin) if s.username == username)


def sign_in(clinic: Clinic, username: str, password: str) -> staff.SignIn:
    with clinic.unit_of_work(write=True) as uow:
        return staff.sign_in(uow, username, password)


def test_admin_creates_an_account_by_keyboard(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    page = open_page(qtbot, ctx)
    page.activateWindow()
    page.new_button.setFocus()
    qtbot.keyClick(page.new_button, Qt.Key.Key_Space)
    dialog = page.dialog
    assert isinstance(dialog, AccountDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.username)

    def type_then_tab(text: str) -> None:
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)

    type_then_tab("jo.bloggs")
    type_then_tab("Jo Bloggs")
    assert QApplication.focusWidget() is dialog.role_boxes[Role.RECEPTION]
    type_then_tab("")  # past Reception
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # Nurse
    assert dialog.roles() == {Role.NURSE}
    dialog.password.setText("short")
    qtbot.keyClick(dialog.full_name, Qt.Key.Key_Return)

    # Nothing is saved; both problems are said beside their fields.
    assert dialog.isVisible()
    assert "registration number" in dialog.registration_error.message
    assert "at least 10" in dialog.password_error.message
    assert QApplication.focusWidget() is dialog.registration

    qtbot.keyClicks(dialog.registration, "NMC 99X9999E")
    dialog.password.setText("a-long-temporary-one")
    qtbot.keyClick(dialog.registration, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog))
    qtbot.waitUntil(lambda: any(page.model.summary(r).username == "jo.bloggs" for r in range(page.model.rowCount())))
    assert "Account created for Jo Bloggs" in page.status.text()
    created = page.selected()
    assert created is not None and created.username == "jo.bloggs" and created.must_change_password
    assert sign_in(clinic, "jo.bloggs", "a-long-temporary-one").must_change_password


def test_username_taken_is_shown_by_the_username(qtbot: QtBot, ctx: AppContext) -> None:
    page = open_page(qtbot, ctx)
    page.new_account()
    dialog = page.dialog
    assert isinstance(dialog, AccountDialog)
    dialog.username.setText("nurse")
    dialog.full_name.setText("Another Nurse")
    dialog.role_boxes[Role.RECEPTION].setChecked(True)
    dialog.password.setText("a-long-temporary-one")
    dialog.submit()
    qtbot.waitUntil(lambda: "already taken" in dialog.username_error.message)
    assert dialog.isVisible()


def test_a_clinical_role_for_oneself_is_refused_by_the_roles(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    """The service names the field it refuses (Refused.field "roles"); no words are matched."""
    dialog = AccountDialog(ctx, account(clinic, ctx.actor, ctx.actor.username))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.role_boxes[Role.NURSE].setChecked(True)
    dialog.registration.setText("12A3456E")
    dialog.submit()
    qtbot.waitUntil(lambda: "own account a clinical role" in dialog.roles_error.message)
    assert dialog.isVisible() and not dialog.banner.isVisible()


def test_reset_password_forces_a_change(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    page = open_page(qtbot, ctx)
    select(page, "nurse")
    page.reset_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ResetPasswordDialog)
    dialog.password.setText("nurse")
    dialog.submit()
    assert "at least 10" in dialog.password_error.message
    dialog.password.setText("temporary-for-nadia")
    dialog.submit()
    qtbot.waitUntil(lambda: "Password reset for Nadia Nurse" in page.status.text())
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().must_change_password)  # type: ignore[union-attr]
    assert sign_in(clinic, "nurse", "temporary-for-nadia").must_change_password


def test_deactivate_and_reactivate(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    page = open_page(qtbot, ctx)
    select(page, "probation")
    assert page.active_button.text() == "&Deactivate…"
    page.active_button.click()
    assert page.confirm_box is not None and "Nothing is deleted" in page.confirm_box.text()
    next(b for b in page.confirm_box.buttons() if b.text() == "Deactivate").click()
    qtbot.waitUntil(lambda: "has been deactivated" in page.status.text())
    qtbot.waitUntil(lambda: page.selected() is not None and not page.selected().active)  # type: ignore[union-attr]
    assert "deactivated" in sign_in(clinic, "probation", STAFF_PASSWORD).refusal
    assert page.active_button.text() == "Re&activate…"
    page.active_button.click()
    next(b for b in page.confirm_box.buttons() if b.text() == "Reactivate").click()
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().active)  # type: ignore[union-attr]


def test_unlock_a_locked_out_account(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    for _ in range(5):
        sign_in(clinic, "reception", "wrong password")
    page = open_page(qtbot, ctx)
    select(page, "reception")
    assert page.selected().locked  # type: ignore[union-attr]
    assert page.unlock_button.isEnabled()
    page.unlock_button.click()
    qtbot.waitUntil(lambda: page.selected() is not None and not page.selected().locked)  # type: ignore[union-attr]
    assert not page.unlock_button.isEnabled()
    assert sign_in(clinic, "reception", STAFF_PASSWORD).actor is not None


def test_two_administrators_editing_the_same_account(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                       actors: dict[Role, Actor]) -> None:
    page = open_page(qtbot, ctx)
    select(page, "nurse")
    page.edit_button.click()
    dialog = page.dialog
    assert isinstance(dialog, AccountDialog)
    # Meanwhile the other administrator saves first.
    with clinic.unit_of_work() as uow:
        row = uow.session.execute(sa.select(Staff).where(Staff.username == "admin2")).scalar_one()
        other = staff.actor_of(row)
    opened = account(clinic, other, "nurse")
    with clinic.unit_of_work(write=True) as uow:
        staff.update_staff(uow, other, opened.id, version=opened.version, full_name="Nadia Newname",
                           roles=opened.roles, registration_number=opened.registration_number)
    dialog.full_name.setText("Nadia Mine")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.banner.isVisible())
    assert "Another administrator changed this account" in dialog.banner.text()
    assert dialog.reload_button.isVisible() and dialog.isVisible()
    dialog.reload_button.click()
    qtbot.waitUntil(lambda: dialog.full_name.text() == "Nadia Newname")
    assert not dialog.banner.isVisible()
    dialog.full_name.setText("Nadia Mine")
    dialog.submit()
    qtbot.waitUntil(lambda: closed(dialog))
    assert account(clinic, other, "nurse").full_name == "Nadia Mine"


def test_a_non_administrator_is_refused_politely(qtbot: QtBot, clinic: Clinic, actors: dict[Role, Actor]) -> None:
    ctx = AppContext(clinic, actors[Role.MANAGER])
    shown: list[str] = []
    ctx.error_shown.connect(shown.append)
    page = StaffPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(shown))
    assert "Your role does not allow this" in shown[0]
    assert page.model.rowCount() == 0
    ops.wait_for_all()


def test_a_locked_screen_drops_the_list(qtbot: QtBot, ctx: AppContext) -> None:
    page = open_page(qtbot, ctx)
    ctx.locked.emit()
    assert page.model.rowCount() == 0


def test_clock_is_respected_for_lockouts(qtbot: QtBot, ctx: AppContext, clinic: Clinic, clock: object) -> None:
    for _ in range(5):
        sign_in(clinic, "reception", "wrong password")
    clock.advance(timedelta(minutes=16))  # type: ignore[attr-defined]
    page = open_page(qtbot, ctx)
    select(page, "reception")
    assert not page.selected().locked  # type: ignore[union-attr]
