"""Tests for the application shell: site unlock, first run, sign-in, idle lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from clinic.permissions import Actor, Role
from clinic.uow import Clinic
from ui.context import AppContext
from ui.shell.first_run import CONFIRM_GROUPS, FirstRunWizard
from ui.shell.main_window import MainWindow
from ui.shell.sign_in import SignInWindow
from ui.shell.unlock_site import UnlockSiteDialog
from tests.conftest import PASSPHRASE, STAFF_PASSWORD, add_person

pytestmark = pytest.mark.gui


def test_sign_in_by_keyboard(qtbot, clinic: Clinic) -> None:  # type: ignore[no-untyped-def]
    window = SignInWindow(clinic, site_name="Test site")
    qtbot.addWidget(window)
    qtbot.keyClicks(window.username, "nurse")
    qtbot.keyClick(window.username, Qt.Key.Key_Return)
    qtbot.keyClicks(window.password, "wrong password")
    qtbot.keyClick(window.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "do not match" in window.message.text(), timeout=5000)
    qtbot.keyClicks(window.password, STAFF_PASSWORD)
    with qtbot.waitSignal(window.signed_in, timeout=5000) as signal:
        qtbot.keyClick(window.password, Qt.Key.Key_Return)
    actor, must_change = signal.args
    assert actor.username == "nurse" and must_change is False


def test_a_maximised_sign_in_keeps_its_form_in_the_middle(qtbot, clinic: Clinic) -> None:  # type: ignore[no-untyped-def]
    window = SignInWindow(clinic, site_name="Test site")
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    field = window.username.geometry().translated(window.username.parentWidget().mapTo(window, QPoint(0, 0)))
    assert field.width() <= 720 and abs(field.center().x() - 960) < 200  # not one field across the screen


def test_demo_sign_in_lists_the_accounts(qtbot, clinic: Clinic) -> None:  # type: ignore[no-untyped-def]
    window = SignInWindow(clinic, site_name="Demo", demo_accounts=[("nurse", "Nadia Nurse", "Nurse")],
                          demo_password=STAFF_PASSWORD)
    qtbot.addWidget(window)
    texts = [w.text() for w in window.findChildren(type(window.message))]
    assert any("DEMO" in t for t in texts) and any(STAFF_PASSWORD in t for t in texts)


def test_wrong_site_passphrase_says_so_then_opens(qtbot, site_dir: Path, clock) -> None:  # type: ignore[no-untyped-def]
    dialog = UnlockSiteDialog(site_dir, clock)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.secret, "not the passphrase")
    dialog.submit()
    qtbot.waitUntil(lambda: "not right" in dialog.message.text(), timeout=10000)
    dialog.secret.clear()
    qtbot.keyClicks(dialog.secret, PASSPHRASE)
    with qtbot.waitSignal(dialog.opened, timeout=10000) as signal:
        dialog.submit()
    signal.args[0].site.close()


def test_first_run_needs_the_recovery_code_typed_back(qtbot, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    wizard = FirstRunWizard(tmp_path / "new-site", clock)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.passphrase_page.passphrase.setText("a long site passphrase")
    wizard.passphrase_page.again.setText("a long site passphrase")
    wizard.next()
    wizard.admin_page.password.setText("admin password here")
    wizard.admin_page.again.setText("admin password here")
    wizard.next()
    qtbot.waitUntil(wizard.create_page.isComplete, timeout=10000)
    wizard.next()
    recovery = wizard.recovery_page
    assert not recovery.isComplete()
    recovery.confirm.setText("WRONG CODE")
    assert not recovery.isComplete()
    groups = recovery.code.split("-")
    recovery.confirm.setText(" ".join(groups[g - 1].lower() for g in CONFIRM_GROUPS))
    assert recovery.isComplete()
    with qtbot.waitSignal(wizard.site_created) as signal:
        wizard.accept()
    signal.args[0].site.close()


@pytest.fixture
def main_window(qtbot, clinic: Clinic, actors: dict[Role, Actor]):  # type: ignore[no-untyped-def]
    ctx = AppContext(clinic, actors[Role.NURSE], demo=True)
    window = MainWindow(ctx, site_name="Test site", idle_minutes=0.01)  # 0.6 s
    qtbot.addWidget(window)
    window.show()
    return window


def test_window_title_carries_no_client_data(main_window: MainWindow, clinic: Clinic) -> None:
    add_person(clinic, surname="Zebedee")
    assert main_window.windowTitle() == "Harbour — Test site — DEMO"


def test_idle_lock_hides_the_workspace_and_unlocks_with_the_password(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(main_window.ctx.locked, timeout=15000):
        pass  # no input for the idle interval
    assert main_window.is_locked and not main_window.nav.isVisible()
    lock = main_window.lock_screen
    qtbot.keyClicks(lock.password, "not my password")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "do not match" in lock.message.text(), timeout=15000)
    assert main_window.is_locked
    qtbot.keyClicks(lock.password, STAFF_PASSWORD)
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not main_window.is_locked, timeout=15000)
    assert main_window.nav.isVisible()


def test_a_closed_window_never_locks_over_the_next_one(qtbot, clinic: Clinic, actors: dict[Role, Actor]) -> None:  # type: ignore[no-untyped-def]
    """Switch user closes the old window before it is deleted; its idle
    timer must not fire later and hide the next user's window with the lock
    cover (it made the idle-lock test fail whenever the machine was busy)."""
    old = MainWindow(AppContext(clinic, actors[Role.NURSE]), site_name="Test site", idle_minutes=0.005)  # 0.3 s
    qtbot.addWidget(old)
    old.show()
    old.close()
    new = MainWindow(AppContext(clinic, actors[Role.RECEPTION]), site_name="Test site", idle_minutes=60)
    qtbot.addWidget(new)
    new.show()
    qtbot.wait(800)
    assert new.isVisible() and not new.is_locked


def test_switch_user_signs_out(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    main_window.lock()
    with qtbot.waitSignal(main_window.signed_out):
        main_window.lock_screen.switch_user.emit()


def test_the_site_notice_is_shown_once_after_sign_in(qtbot, clinic: Clinic, actors: dict[Role, Actor]) -> None:  # type: ignore[no-untyped-def]
    """What opening finished (an interrupted rekey, ``Site.notice``) is told to
    the person who signs in, as an information message, and only once."""
    clinic.site.notice = "An interrupted rekey was finished: the database has the new key."
    window = MainWindow(AppContext(clinic, actors[Role.NURSE]), site_name="Test site", idle_minutes=60)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.site_notice is not None and window.site_notice.isVisible(), timeout=5000)
    assert window.site_notice.icon() == QMessageBox.Icon.Information
    assert "interrupted rekey was finished" in window.site_notice.text()
    window.grab().save("/tmp/shots/uifix-site-notice.png")
    window.site_notice.grab().save("/tmp/shots/uifix-site-notice-box.png")
    window.site_notice.accept()
    again = MainWindow(AppContext(clinic, actors[Role.RECEPTION]), site_name="Test site", idle_minutes=60)
    qtbot.addWidget(again)
    again.show()
    qtbot.wait(50)
    assert again.site_notice is None
