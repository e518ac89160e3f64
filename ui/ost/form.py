"""The OST forms' base: a ``FormDialog`` that grows to show a refusal whole.

A message by a field wraps to the field's width, and a top-level window does
not grow for a wrapped label by itself (and the layouts keep the heights
they worked out for the text before), so two lines were drawn in one line's
room. After each refusal the layouts work their heights out again and the
form takes its natural size.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLayout, QWidget

from ui.context import AppContext
from ui.widgets.form_dialog import FormDialog

#: Wide enough that most refusals fit on one or two lines beside the labels.
MINIMUM_WIDTH = 460


class OstForm(FormDialog):
    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent)
        self.setMinimumWidth(MINIMUM_WIDTH)

    def failed(self, error: BaseException) -> None:
        super().failed(error)
        self.fit_messages()

    def show_field_error(self, name: str, message: str) -> None:
        super().show_field_error(name, message)
        self.fit_messages()

    def fit_messages(self) -> None:
        for layout in self.findChildren(QLayout):
            layout.invalidate()
        self.adjustSize()
