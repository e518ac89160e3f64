"""Finding Alt-key clashes (UI-9): every access key shown in one window."""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMainWindow,
    QTabBar,
    QWidget,
)

_KEY = re.compile(r"&([^&\s])")


def key_of(text: str) -> str | None:
    match = _KEY.search(text.replace("&&", ""))
    return match.group(1).lower() if match else None


def access_keys(window: QWidget) -> dict[str, list[str]]:
    """Access key → the texts that use it, for what is on screen in ``window``."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(text: str) -> None:
        if (k := key_of(text)) is not None:
            found[k].append(text)

    def shown(w: QWidget) -> bool:
        return w.window() is window and w.isVisibleTo(window)

    for label in window.findChildren(QLabel):
        if shown(label) and label.buddy() is not None:
            add(label.text())
    for button in window.findChildren(QAbstractButton):
        if shown(button):
            add(button.text())
    for box in window.findChildren(QGroupBox):
        if shown(box) and box.isCheckable():
            add(box.title())
    for bar in window.findChildren(QTabBar):
        if shown(bar):
            for i in range(bar.count()):
                add(bar.tabText(i))
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            add(action.text())
    return found


def clashes(window: QWidget) -> dict[str, list[str]]:
    return {k: v for k, v in access_keys(window).items() if len(v) > 1}
