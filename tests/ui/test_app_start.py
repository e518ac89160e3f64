"""``harbour`` (ui/app.py) from its start to the main window, and what it
imports before its first window (issue 21: the cold start, DESIGN §6, pays
for the sign-in path only; its time is the benchmark's, not a test's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from clinic.clock import SystemClock
from clinic.services.setup import open_with_secret
from tests.conftest import PASSPHRASE, STAFF_PASSWORD
from ui import ops
from ui.app import Harbour
from ui.shell.main_window import MainWindow
from ui.shell.sign_in import SignInWindow

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
#: The ui packages the sign-in window is built from; every other one is a feature (a page) of the main window.
SIGN_IN_PATH = {"ui", "ui.app", "ui.ops", "ui.drafts", "ui.shell", "ui.widgets"}


def _imported_by_ui_app() -> set[str]:
    code = "import sys, ui.app; print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(done.stdout.split())


#: The table modules the opening and the sign-in window read (audit trail, staff and settings, the server's key
#: file); the other tables load once the window is drawn (``clinic.services.setup.prepare_to_sign_in``).
OPENING_TABLES = {"db.tables", "db.tables.base", "db.tables.audit", "db.tables.staff", "db.tables.server"}


def test_starting_imports_only_the_opening_tables_no_alembic_and_no_driver() -> None:
    imported = _imported_by_ui_app()
    assert {m for m in imported if m.startswith("db.tables")} == OPENING_TABLES
    assert {"db.transfer", "clinic.services.staff", "alembic", "psycopg", "reportlab", "zxcvbn"} & imported == set()


def test_harbours_own_modules_are_imported_before_qt() -> None:
    """PySide6's import hook reads the source of every module imported after it."""
    code = "import sys, ui.app; print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    order = done.stdout.split()
    assert order.index("clinic.uow") < order.index("PySide6")


def test_starting_imports_no_page_no_main_window_and_no_probation() -> None:
    imported = _imported_by_ui_app()
    assert "ui.shell.sign_in" in imported
    pages = {m for m in imported if m.startswith("ui.") and ".".join(m.split(".")[:2]) not in SIGN_IN_PATH}
    assert pages == set()
    assert {"ui.shell.main_window", "ui.shell.first_run", "clinic.services.probation", "holidays"} & imported == set()


@pytest.mark.qt_log_ignore("does not support raise")  # Harbour raises its windows; offscreen cannot
def test_from_the_keyring_to_the_main_window_by_keyboard(qtbot, site_dir: Path) -> None:  # type: ignore[no-untyped-def]
    open_with_secret(site_dir, PASSPHRASE, clock=SystemClock()).site.close()  # the keyring now holds the key
    harbour = Harbour(site_dir, demo=False)
    harbour.start()
    qtbot.waitUntil(lambda: isinstance(harbour.window, SignInWindow), timeout=20000)
    sign_in = harbour.window
    assert isinstance(sign_in, SignInWindow)
    qtbot.keyClicks(sign_in.username, "nurse")
    qtbot.keyClick(sign_in.username, Qt.Key.Key_Return)
    qtbot.keyClicks(sign_in.password, STAFF_PASSWORD)
    qtbot.keyClick(sign_in.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(harbour.window, MainWindow), timeout=20000)
    assert harbour.window is not None and harbour.window.isVisible()
    harbour.window.close()
    ops.wait_for_all()
    assert harbour.clinic is not None
    harbour.clinic.site.close()
