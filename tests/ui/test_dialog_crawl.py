"""Every dialog reachable from every page and record tab, for every role, opens
(issue 14: UI-32's "Record outcome…" raised on open and the user saw nothing).

Signed in as each role on a demo site, the crawl visits each page of the
navigation and each tab of a person's record, and presses every button
that promises a window (its text ends in "…") with the first row of each
list selected, as a user would. Each press must open a dialog or a message
box, without an exception (pytest-qt fails the test on one raised in a
slot); the window is then cancelled with Esc, so the site is not changed.
The walks in ``test_dialog_walk_*.py`` fill and save them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QLabel, QPushButton, QWidget
from sqlalchemy import select

from clinic.permissions import Role
from clinic.uow import Clinic
from tests.ui.conftest import demo_actor, settle
from ui.context import AppContext
from ui.shell.main_window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _promising(root: QWidget) -> Iterator[QPushButton]:
    for button in root.findChildren(QPushButton):
        if button.text().endswith("…") and button.isVisibleTo(root) and button.isEnabled():
            yield button


def _select_first_rows(root: QWidget) -> None:
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisibleTo(root) and model is not None and model.rowCount() > 0 and not view.currentIndex().isValid():
            view.setCurrentIndex(model.index(0, 0))


def _windows() -> set[QWidget]:
    return {w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QDialog)}


def _texts(root: QWidget) -> dict[QLabel, str]:
    return {label: label.text() for label in root.findChildren(QLabel) if label.isVisibleTo(root)}


def _press(qtbot, root: QWidget, button: QPushButton) -> list[str]:  # type: ignore[no-untyped-def]
    """Click ``button``; the names of the windows it opened, each then cancelled,
    or ``told`` when instead a line on the page says why nothing opened."""
    before, said = _windows(), _texts(root)
    seen: list[str] = []

    def cancel_modal() -> None:  # a window run with exec() would block the click until closed
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog) and modal not in before:
            seen.append(type(modal).__name__)
            modal.reject()

    sweeper = QTimer()
    sweeper.timeout.connect(cancel_modal)
    sweeper.start(50)
    try:
        button.click()
        with contextlib.suppress(qtbot.TimeoutError):  # some read first, then open
            qtbot.waitUntil(lambda: bool(seen or _windows() - before), timeout=2000)
    finally:
        sweeper.stop()
    if not seen and not _windows() - before:
        changed = [text for label, text in _texts(root).items() if text and said.get(label) != text]
        return ["told"] if changed else []
    for window in _windows() - before:
        seen.append(type(window).__name__)
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        if window.isVisible():
            window.reject()
    settle(qtbot)
    return seen


def _crawl(qtbot, root: QWidget, where: str, opened: dict[str, list[str]], silent: list[str]) -> None:  # type: ignore[no-untyped-def]
    pressed: set[str] = set()
    _select_first_rows(root)
    for button in list(_promising(root)):
        if button.text() in pressed or not button.isVisibleTo(root) or not button.isEnabled():
            continue
        pressed.add(button.text())
        names = _press(qtbot, root, button)
        label = f"{where}: {button.text().replace('&', '')}"
        if names:
            opened[label] = names
        else:
            silent.append(label)
        _select_first_rows(root)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_dialog_of_every_page_and_record_tab_opens(qtbot, demo: Clinic, role: Role) -> None:  # type: ignore[no-untyped-def]
    from db.tables.ost import OstPrescription

    with demo.unit_of_work() as uow:
        person = uow.session.execute(select(OstPrescription.person_id).limit(1)).scalar_one()
    window = MainWindow(AppContext(demo, demo_actor(demo, role), demo=True), site_name="Demo", idle_minutes=60)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    opened: dict[str, list[str]] = {}
    silent: list[str] = []
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    for title in titles:
        window.page(title)
        settle(qtbot)
        _crawl(qtbot, window.stack.currentWidget(), title, opened, silent)
    if "People" in titles:
        window.open_person(person)
        settle(qtbot)
        view = window.page("People").records.currentWidget()  # type: ignore[attr-defined]
        for i in range(view.tabs.count()):
            view.tabs.setCurrentIndex(i)
            settle(qtbot)
            _crawl(qtbot, view.tabs.currentWidget(), f"record {view.tabs.tabText(i)}", opened, silent)
    window.close()
    print(f"\n{role.value}: {len(opened)} opened")
    for label, names in sorted(opened.items()):
        print(f"  {label} -> {', '.join(names)}")
    print(f"{role.value}: {len(silent)} silent")
    for label in silent:
        print(f"  {label}")
    assert opened
    assert not silent, "pressed, promised a window (…), opened none:\n" + "\n".join(silent)
