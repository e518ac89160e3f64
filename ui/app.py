"""``harbour``: open the site, sign in, run the main window.

``harbour --demo`` builds a throwaway encrypted site of synthetic people in
a temporary folder, removed on exit.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Harbour's own modules, and SQLAlchemy through them, before Qt: once PySide6 is imported, its import hook
# reads the source of every module imported after it (looking for "PySide6"), a tenth of the cold start.
from clinic import server_connection
from clinic.clock import SystemClock
from clinic.permissions import Actor
from clinic.services import backups
from clinic.services.setup import SiteError, open_with_keyring, prepare_to_sign_in, site_exists
from clinic.uow import Clinic

from PySide6.QtCore import QObject, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from ui import ops
from ui.drafts import Drafts
from ui.shell import keyboard, theme
from ui.shell.sign_in import SignInWindow
from ui.shell.single_instance import SingleInstance
from ui.shell.unlock_site import UnlockSiteDialog

log = logging.getLogger("harbour")


def default_data_dir() -> Path:
    chosen = os.environ.get("HARBOUR_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser()
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)) / "site"


def _centre(window: QWidget) -> None:
    screen = QApplication.primaryScreen()
    if screen is None:
        return
    window.adjustSize()
    frame = window.frameGeometry()
    frame.moveCenter(screen.availableGeometry().center())
    window.move(frame.topLeft())


def _quit_on_sigterm(app: QApplication) -> None:
    """SIGTERM ends Harbour as closing it does, so ``main``'s clean-up runs and
    a demo's folder (database and keys) is deleted (UI-47). Qt's loop does not
    let Python see signals, so a timer wakes the interpreter twice a second."""
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    waker = QTimer(app)
    waker.timeout.connect(lambda: None)
    waker.start(500)


class Harbour(QObject):
    """Walks from "nothing open" to the main window, and back on sign-out."""

    def __init__(self, data_dir: Path, *, demo: bool) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.demo = demo
        self.clock = SystemClock()
        self.clinic: Clinic | None = None
        self.site_name = "Harbour"
        self.window: QWidget | None = None
        self.drafts = Drafts()

    # ---- opening the site ----------------------------------------------------
    def start(self) -> None:
        if self.demo:
            self._start_demo()
        elif not site_exists(self.data_dir):
            from ui.shell.first_run import FirstRunWizard  # a new site's wizard: not on a clinic's cold start

            self._show(FirstRunWizard(self.data_dir, self.clock))
            self.window.site_created.connect(self._opened)  # type: ignore[union-attr]
        elif server_connection.needs_password(self.data_dir):  # a server site, no keyring to keep its password
            self._ask_to_unlock(server_password=True)
        else:
            ops.task(None, lambda: open_with_keyring(self.data_dir, clock=self.clock)) \
                .on_success(self._keyring_answered).on_failure(self._cannot_open).start()

    def _start_demo(self) -> None:
        progress = QProgressDialog("Preparing the demo: synthetic people, appointments and records…", "", 0, 0)
        progress.setCancelButton(None)
        progress.setWindowTitle("Harbour — DEMO")
        progress.setMinimumDuration(0)
        self._show(progress)
        from ui.shell.demo import DEMO_PEOPLE, build_demo_site  # the demo generator: not on a clinic's cold start

        ops.task(None, lambda: build_demo_site(self.data_dir, self.clock, people=DEMO_PEOPLE)) \
            .on_success(self._opened).on_failure(self._cannot_open).start()

    def _keyring_answered(self, clinic: Clinic | None) -> None:
        if clinic is not None:
            self._opened(clinic)
            return
        self._ask_to_unlock()

    def _ask_to_unlock(self, *, server_password: bool = False, message: str = "") -> None:
        dialog = UnlockSiteDialog(self.data_dir, self.clock, server_password=server_password, message=message)
        dialog.opened.connect(self._opened)
        dialog.rejected.connect(QApplication.quit)
        self._show(dialog)

    def _cannot_open(self, error: BaseException) -> None:
        if isinstance(error, server_connection.ServerRefused) and error.wrong_password:
            self._ask_to_unlock(server_password=True, message=str(error))  # changed by harbour-admin rekey
            return
        text = str(error) if isinstance(error, SiteError) else \
            "Harbour could not open its database. It may be damaged; restore from a backup (harbour-admin restore)."
        log.error("site could not be opened: %s", type(error).__name__)
        QMessageBox.critical(None, "Harbour", text)
        QApplication.quit()

    def _opened(self, clinic: Clinic) -> None:
        self.clinic = clinic
        with clinic.unit_of_work() as uow:  # one indexed read of a handful of rows
            self.site_name = uow.settings["site.service_name"]
        self.show_sign_in()

    # ---- signing in and out -------------------------------------------------------
    def show_sign_in(self) -> None:
        assert self.clinic is not None
        accounts, password = (None, "")
        if self.demo:
            from ui.shell.demo import demo_accounts

            accounts, password = demo_accounts()
        window = SignInWindow(self.clinic, site_name=self.site_name, demo_accounts=accounts, demo_password=password)
        window.signed_in.connect(self._signed_in)
        window.first_painted.connect(self._prepare_to_sign_in)
        self._show(window)

    def _prepare_to_sign_in(self) -> None:
        # on the one writer, so the sign-in check queues behind it
        ops.task(None, prepare_to_sign_in).on_failure(
            lambda error: log.warning("preparing to sign in failed: %s", type(error).__name__)).start()

    def _signed_in(self, actor: Actor, must_change_password: bool) -> None:
        assert self.clinic is not None
        if not must_change_password:
            self._show_main(actor)
            return
        from ui.staff import ChangePasswordDialog  # after sign-in: the cold start pays for the sign-in path only

        dialog = ChangePasswordDialog(self.clinic, actor, self.window, forced=True)
        dialog.accepted.connect(lambda: self._show_main(actor))
        dialog.open()

    def _show_main(self, actor: Actor) -> None:
        assert self.clinic is not None
        # the main window, its pages and their services: after sign-in, so the cold start (issue 21) pays for
        # the sign-in path only
        from ui.context import AppContext
        from ui.shell.main_window import MainWindow

        ctx = AppContext(self.clinic, actor, demo=self.demo, drafts=self.drafts)
        with self.clinic.unit_of_work() as uow:
            idle_minutes = uow.settings["security.idle_lock_minutes"]
        window = MainWindow(ctx, site_name=self.site_name, idle_minutes=idle_minutes)
        window.signed_out.connect(self.show_sign_in)
        self._show(window, centred=False)

    def _show(self, window: QWidget, *, centred: bool = True) -> None:
        old, self.window = self.window, window
        if centred:
            _centre(window)  # sign-in and unlock open in the middle of the screen (UI-17)
        window.show()
        window.raise_()
        window.activateWindow()
        if old is not None and old is not window:
            old.close()
            old.deleteLater()

    def raise_window(self) -> None:
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    # ---- closing --------------------------------------------------------------------
    def shutdown(self) -> None:
        ops.wait_for_all()
        if self.clinic is None:
            return
        if not self.demo:
            try:
                backups.backup_on_close(self.clinic)
            except (SiteError, OSError) as exc:
                log.error("backup on close failed: %s", exc)
        self.clinic.site.close()


@dataclass
class Started:
    """What ``start`` set up: the application, its walk through the windows,
    the single-instance guard and a demo's throwaway folder."""

    app: QApplication
    harbour: Harbour
    guard: SingleInstance
    demo_dir: tempfile.TemporaryDirectory[str] | None

    def close(self) -> None:
        try:
            self.harbour.shutdown()
        finally:
            self.guard.release()
            if self.demo_dir is not None:
                self.demo_dir.cleanup()


def start(argv: list[str] | None = None) -> Started | None:
    """Everything ``harbour`` does before its event loop runs: the process
    hardened, the application with its look and keyboard rules, the guard,
    and the walk to the first window begun (the benchmark's cold start runs
    this too). None if Harbour is already open on this folder."""
    parser = argparse.ArgumentParser(prog="harbour", description="Harbour clinic records.")
    parser.add_argument("--demo", action="store_true", help="open a throwaway database of synthetic people")
    parser.add_argument("--data-dir", type=Path, help="the site's data folder (or HARBOUR_DATA_DIR)")
    args = parser.parse_args(argv)
    # reliability (issue 13, m12/M15): no core dumps holding the key; files private to the user.
    from db.keys import harden_process
    harden_process()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Harbour")
    app.setOrganizationName("Harbour")
    theme.apply(app)  # the style sheet, palette, font and icons (ui/shell/theme.py)
    _quit_on_sigterm(app)
    keyboard.install(app)  # tables one Tab stop, dialogs start on their first field (ui/shell/keyboard.py)
    ops.collect_garbage_on_the_ui_thread(app)
    demo_dir = tempfile.TemporaryDirectory(prefix="harbour-demo-") if args.demo else None
    data_dir = Path(demo_dir.name) if demo_dir else (args.data_dir or default_data_dir())

    guard = SingleInstance(data_dir)
    if not guard.acquire():
        QMessageBox.information(None, "Harbour", "Harbour is already open on this database on this computer; "
                                "it has been brought to the front.")
        return None
    harbour = Harbour(data_dir, demo=args.demo)
    guard.activated.connect(harbour.raise_window)
    harbour.start()
    return Started(app, harbour, guard, demo_dir)


def main(argv: list[str] | None = None) -> int:
    started = start(argv)
    if started is None:
        return 1
    try:
        return started.app.exec()
    finally:
        started.close()
