"""Which dialogs the widget tests open (issue 14: a dialog no test opens is a defect).

An application event filter notes the class of every dialog shown while the
tests run. When the whole of ``tests/ui`` has run and passed, every dialog
class defined in ``ui/`` must be among them, or the session fails naming
the ones no test opened. A base class counts as opened when one of its
subclasses was.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDialog

import ui


class DialogCensus(QObject):
    """Application event filter: the dialog classes shown so far."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: set[type[QDialog]] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog):
            self.shown.add(type(watched))
        return False

    def never_opened(self) -> list[str]:
        """Every dialog class of ``ui/`` that no shown dialog is, or derives from."""
        return sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in dialog_classes()
                      if not any(issubclass(seen, cls) for seen in self.shown))


def dialog_classes() -> list[type[QDialog]]:
    found: dict[str, type[QDialog]] = {}
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


CENSUS = DialogCensus()
