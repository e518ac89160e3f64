"""The tabs of a person's record: title, who may see it, how to build it.

The lead extends ``TABS`` as modules land, e.g.::

    TabSpec("Vaccinations", Permission.VACCINATION_READ, _vaccinations)

A factory is ``(ctx, person_id, parent) -> QWidget`` and the widget loads
its own data through ``ctx.query``. A tab that also has a
``show_record(record: PersonRecord)`` method is handed the summary the
record view already loaded (so opening a record is audited once).
Tabs are built when the record opens, only for roles with the permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from clinic.permissions import Permission
from ui.context import AppContext

TabFactory = Callable[[AppContext, int, QWidget], QWidget]


@dataclass(frozen=True)
class TabSpec:
    title: str
    permission: Permission
    factory: TabFactory


def _summary(ctx: AppContext, person_id: int, parent: QWidget) -> QWidget:
    from ui.people.summary import SummaryTab

    return SummaryTab(ctx, person_id, parent)


def _details(ctx: AppContext, person_id: int, parent: QWidget) -> QWidget:
    from ui.people.details import DetailsTab

    return DetailsTab(ctx, person_id, parent)


def _viewers(ctx: AppContext, person_id: int, parent: QWidget) -> QWidget:
    from ui.people.viewers import ViewersTab

    return ViewersTab(ctx, person_id, parent)


TABS: tuple[TabSpec, ...] = (
    TabSpec("&Summary", Permission.PERSON_READ, _summary),
    TabSpec("De&tails", Permission.PERSON_READ, _details),
    TabSpec("Who has &looked", Permission.PERSON_ACCESS_LOG, _viewers),
)
