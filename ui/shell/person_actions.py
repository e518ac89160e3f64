"""Actions one feature offers another for a person, by name: a feature
package must not import another (tests/test_layers.py), so the OST tab
asks for "naloxone_supply" and the counter's dialog opens. Imported on
first use, as the navigation pages are (``ui.shell.pages``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from ui.context import AppContext

#: name -> "module:function(ctx, person_id, parent, opened)"; ``opened`` gets the dialog once it is open.
ACTIONS = {
    "naloxone_supply": "ui.counter.naloxone_dialogs:open_supply",  # the counter's naloxone supply (UI-30)
}


def open_person_action(name: str, ctx: AppContext, person_id: int, parent: QWidget,
                       opened: Callable[[QDialog], None] = lambda _dialog: None) -> None:
    module, _, function = ACTIONS[name].partition(":")
    getattr(importlib.import_module(module), function)(ctx, person_id, parent, opened)
