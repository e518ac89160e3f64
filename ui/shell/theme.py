"""The one visual system (UI-48, UI-49, UI-50): Fusion, a palette, the
style sheet in resources/harbour.qss with its tokens filled in, the DejaVu
font the letters use, and the bundled Lucide icons (ISC licence,
resources/icons/LICENSE-lucide.txt).

``apply(app, high_contrast=...)`` sets it all; the View menu's "High
contrast" toggles it, remembered per workstation (QSettings). Status
colours always come with a word or a symbol (ui/widgets/status_look.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from ui.widgets import table

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SETTING = "view/high_contrast"

#: Type scale (pt) and table density.
BODY, SMALL, TITLE, ROW = 10, 9, 17, 22

_LIGHT = {
    "muted": "#5c6670", "tint": "#eef4fb", "accent": "#1f5fa8", "onaccent": "#ffffff", "warnbg": "#fff4d6",
    "warnfg": "#5a3d00", "error": "#b00020", "alt": "#f5f7f9", "line": "#cfd6dd", "header": "#eef1f4",
    "button": "#fbfcfd", "nav": "#f0f3f6",
}
_HIGH = {
    "muted": "#000000", "tint": "#ffffff", "accent": "#000000", "onaccent": "#ffff00", "warnbg": "#ffff00",
    "warnfg": "#000000", "error": "#c00000", "alt": "#ffffff", "line": "#000000", "header": "#ffffff",
    "button": "#ffffff", "nav": "#ffffff",
}


def high_contrast_chosen() -> bool:
    return bool(QSettings().value(SETTING, False, type=bool))


def _palette(high: bool) -> QPalette:
    p = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#ffffff" if high else "#f7f8fa",
        QPalette.ColorRole.WindowText: "#000000" if high else "#1b1f24",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#ffffff" if high else "#f5f7f9",
        QPalette.ColorRole.Text: "#000000" if high else "#1b1f24",
        QPalette.ColorRole.Button: "#ffffff" if high else "#fbfcfd",
        QPalette.ColorRole.ButtonText: "#000000" if high else "#1b1f24",
        QPalette.ColorRole.Highlight: "#000000" if high else "#1f5fa8",
        QPalette.ColorRole.HighlightedText: "#ffff00" if high else "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#000000" if high else "#6b7580",
        QPalette.ColorRole.Mid: "#000000" if high else "#b8c1ca",
        QPalette.ColorRole.Midlight: "#000000" if high else "#e3e8ed",
        QPalette.ColorRole.ToolTipBase: "#ffffe0",
        QPalette.ColorRole.ToolTipText: "#000000",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#000000" if high else "#8a939c"))
    return p


def style_sheet(high: bool) -> str:
    text = (RESOURCES / "harbour.qss").read_text(encoding="utf-8")
    tokens = (_HIGH if high else _LIGHT) | {"bodypt": f"{BODY}pt", "smallpt": f"{SMALL}pt", "titlept": f"{TITLE}pt",
                                            "rowpx": f"{ROW}px", "body": str(BODY), "small": str(SMALL),
                                            "title": str(TITLE), "row": str(ROW)}
    for name in sorted(tokens, key=len, reverse=True):  # "@rowpx" before "@row"
        text = text.replace(f"@{name}", tokens[name])
    return text


@cache
def _load_font() -> str:
    family = ""
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(RESOURCES / "fonts" / name))
        if font_id >= 0 and not family:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


def apply(app: QApplication, *, high_contrast: bool | None = None) -> None:
    high = high_contrast_chosen() if high_contrast is None else high_contrast
    app.setStyle("Fusion")
    family = _load_font()
    if family:
        app.setFont(QFont(family, BODY))
    app.setPalette(_palette(high))
    app.setStyleSheet(style_sheet(high))
    app.setProperty("harbour_high_contrast", high)
    app.removeEventFilter(table.DENSITY)  # once, however often the look is applied
    app.installEventFilter(table.DENSITY)


def token(name: str) -> str:
    """A colour of the current look ("accent", "warnbg"), for what is painted rather than styled."""
    app = QApplication.instance()
    high = bool(app.property("harbour_high_contrast")) if app is not None else False
    return (_HIGH if high else _LIGHT)[name]


def set_high_contrast(on: bool) -> None:
    QSettings().setValue(SETTING, on)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply(app, high_contrast=on)


def icon(name: str, colour: str = "#33404d") -> QIcon:
    """A bundled Lucide icon drawn in ``colour`` (their SVGs use currentColor)."""
    return QIcon(_pixmap(name, colour, 48))


@cache
def _pixmap(name: str, colour: str, size: int) -> QPixmap:
    svg = (RESOURCES / "icons" / f"{name}.svg").read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap
