"""The one visual system: the style sheet's tokens are all filled, the
bundled icons load with their licence, high contrast switches the palette,
and every status says a word and a symbol as well as a colour."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic.services.appointments.common import STATUS_LABELS
from ui.shell import theme
from ui.shell.main_window import NAV_ICONS
from ui.shell.pages import PAGES
from ui.widgets.table import ROW_HEIGHT, fill, table
from ui.widgets.status_look import STATUS_COLOURS, STATUS_SYMBOLS, status_text

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("high", [False, True])
def test_style_sheet_has_every_token_filled(high: bool) -> None:
    sheet = theme.style_sheet(high)
    assert not re.search(r"@[a-z]", sheet)
    assert "QLabel#pageTitle" in sheet and "QHeaderView::section" in sheet


def test_icons_are_bundled_with_their_licence(qapp: QApplication) -> None:
    assert "ISC License" in (theme.RESOURCES / "icons" / "LICENSE-lucide.txt").read_text(encoding="utf-8")
    for name in set(NAV_ICONS.values()):
        assert not theme.icon(name).pixmap(18, 18).isNull(), name


def test_every_page_has_its_own_icon(qapp: QApplication) -> None:
    """UI-50: the Counter, Safeguarding and journey pages no longer fall back to Today's house."""
    titles = [spec.title for spec in PAGES]
    assert not [t for t in titles if t not in NAV_ICONS], "pages without an icon"
    icons = [NAV_ICONS[t] for t in titles]
    assert len(set(icons)) == len(icons), sorted(i for i in icons if icons.count(i) > 1)
    for name in icons:
        assert (theme.RESOURCES / "icons" / f"{name}.svg").is_file(), name


def test_one_row_height_in_every_table_tree_and_list(qtbot, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    """UI-28, UI-49: a record's course tree was much tighter than the worklists."""
    theme.apply(qapp, high_contrast=False)
    page = QWidget()
    column = QVBoxLayout(page)
    shared = table(("Date", "What"))
    fill(shared, [("01/12/2026", "Dose 1")])
    bare = QTableWidget(1, 1)
    bare.setItem(0, 0, QTableWidgetItem("x"))
    tree = QTreeWidget()
    course = QTreeWidgetItem(["Hepatitis B", "Due today"])
    tree.addTopLevelItem(course)
    course.addChild(QTreeWidgetItem(["Dose 1", "Given"]))
    tree.expandAll()
    listed = QListWidget()
    listed.addItems(["one", "two"])
    for view in (shared, bare, tree, listed):
        column.addWidget(view)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    heights = {"table()": shared.rowHeight(0), "QTableWidget": bare.rowHeight(0),
               "tree": tree.visualItemRect(course).height(),
               "tree child": tree.visualItemRect(course.child(0)).height(),
               "list": listed.visualItemRect(listed.item(0)).height()}
    assert set(heights.values()) == {ROW_HEIGHT}, heights


def test_a_table_can_stretch_its_name_column_instead_of_the_last() -> None:
    children = table(("Child", "Age", "Recorded"), stretch=0)
    header = children.horizontalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch and not header.stretchLastSection()


def test_high_contrast_switches_the_palette(qapp: QApplication) -> None:
    theme.apply(qapp, high_contrast=True)
    try:
        assert qapp.palette().color(QPalette.ColorRole.HighlightedText).name() == "#ffff00"
        assert qapp.property("harbour_high_contrast") is True
    finally:
        theme.apply(qapp, high_contrast=False)
    assert qapp.palette().color(QPalette.ColorRole.Highlight).name() == "#1f5fa8"


def test_every_status_has_a_word_and_a_symbol_not_only_a_colour() -> None:
    for status in STATUS_COLOURS:
        assert status_text(status) == f"{STATUS_SYMBOLS[status]} {STATUS_LABELS[status]}"
    assert len({STATUS_SYMBOLS[s] for s in ("booked", "arrived", "in_progress", "seen", "dna")}) == 5
