"""The one visual system: the style sheet's tokens are all filled, the
bundled icons load with their licence, high contrast switches the palette,
and every status says a word and a symbol as well as a colour."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from clinic.services.appointments.common import STATUS_LABELS
from ui.shell import theme
from ui.shell.main_window import NAV_ICONS
from ui.shell.pages import PAGES
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
