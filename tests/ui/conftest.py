"""Fixtures for the widget tests: ``ctx``, the AppContext a screen is built
with, signed in as ``ctx_role`` (reception, unless a module overrides the
``ctx_role`` fixture); its background operations are waited for before the
site closes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox
from sqlalchemy import select

from clinic.clock import SITE_TZ, FixedClock
from clinic.permissions import Actor, Role
from clinic.services.staff import actor_of
from clinic.uow import Clinic
from db.tables.staff import Staff
from ui import ops
from ui.shell import keyboard
from ui.context import AppContext
from ui.shell.demo import build_demo_site
from tests.ui.dialog_census import CENSUS


@pytest.fixture(autouse=True)
def keyboard_policy(qapp) -> None:  # type: ignore[no-untyped-def]
    """The app-wide keyboard rules (ui/shell/keyboard.py), as the main window installs them."""
    keyboard.install(qapp)
    ops.collect_garbage_on_the_ui_thread(qapp)
    qapp.removeEventFilter(CENSUS)  # once, however many tests
    qapp.installEventFilter(CENSUS)


@pytest.fixture
def ctx_role() -> Role:
    return Role.RECEPTION


@pytest.fixture
def ctx(clinic: Clinic, actors: dict[Role, Actor], ctx_role: Role) -> Iterator[AppContext]:
    yield AppContext(clinic, actors[ctx_role])
    ops.wait_for_all()



# ---- a demo site for the walks over every page (test_display_dates, test_dialog_crawl) ----------
@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    clinic = build_demo_site(tmp_path_factory.mktemp("demo") / "site",
                             FixedClock(datetime(2026, 12, 1, 11, 40, tzinfo=SITE_TZ)), people=40)
    yield clinic
    ops.wait_for_all()
    clinic.site.close()


def demo_actor(clinic: Clinic, role: Role) -> Actor:
    """The demo site's account for ``role``."""
    with clinic.unit_of_work() as uow:
        return next(a for a in map(actor_of, uow.session.execute(select(Staff)).scalars()) if role in a.roles)


def settle_until(qtbot, until: Callable[[], bool]) -> None:  # type: ignore[no-untyped-def]
    """Wait (10 s at most) until ``until()`` holds, letting started reads and writes land between looks."""
    qtbot.waitUntil(lambda: (ops.wait_for_all(), until())[1], timeout=10_000)


def choose(qtbot, box: QComboBox, steps: int) -> None:  # type: ignore[no-untyped-def]
    """Pick by keyboard: Down ``steps`` times from the empty first choice."""
    box.setFocus()
    for _ in range(steps):
        qtbot.keyClick(box, Qt.Key.Key_Down)


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Let every started read and write finish and their results reach the screen."""
    for _ in range(3):
        ops.wait_for_all()
        qtbot.wait(30)
        QApplication.processEvents()

# ---- the dialog census (tests/ui/dialog_census.py) ----------------------------------------------
_deselected: list[pytest.Item] = []
_whole_folder = False


def pytest_deselected(items: list[pytest.Item]) -> None:
    _deselected.extend(items)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Whether every test module of this folder was collected whole (no -k, no single file)."""
    global _whole_folder
    here = Path(__file__).parent
    collected = {Path(str(item.path)) for item in session.items}
    _whole_folder = not _deselected and set(here.glob("test_*.py")) <= collected


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A run of the whole folder that passed fails if any dialog was never opened."""
    if exitstatus != 0 or not _whole_folder or session.config.option.collectonly:
        return
    missing = CENSUS.never_opened()
    if missing:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"{len(missing)} dialogs no test opened (tests/ui/dialog_census.py):", red=True)
            for name in missing:
                reporter.write_line(f"  {name}", red=True)
