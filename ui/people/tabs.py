"""The tabs of a person's record: title, who may see it, how to build it.

A factory is ``(ctx, person_id, parent) -> QWidget`` and the widget loads
its own data through ``ctx.query``. A tab that also has a
``show_record(record: PersonRecord)`` method is handed the summary the
record view already loaded (so opening a record is audited once).
Tabs are built when the record opens, only for roles with the permission.
Titles carry no access key: Alt+1 … Alt+9 (and Ctrl+Tab) move between the
tabs, which leaves the letters for the fields and buttons on them (UI-9).
"""

from __future__ import annotations

import importlib
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


def _module(path: str) -> TabFactory:
    """A module's person tab, imported when a record first opens."""

    def build(ctx: AppContext, person_id: int, parent: QWidget) -> QWidget:
        module, _, name = path.partition(":")
        widget: QWidget = getattr(importlib.import_module(module), name)(ctx, person_id, parent)
        return widget

    return build


TABS: tuple[TabSpec, ...] = (
    TabSpec("Summary", Permission.PERSON_READ, _summary),
    TabSpec("Details", Permission.PERSON_READ, _details),
    TabSpec("BBV", Permission.BBV_READ, _module("ui.bbv.tab:BbvTab")),
    TabSpec("Vaccinations", Permission.VACCINATION_READ, _module("ui.vaccines.tab:VaccinesTab")),
    TabSpec("OST", Permission.OST_READ, _module("ui.ost.tab:OstTab")),
    TabSpec("Safe storage", Permission.SAFE_STORAGE_READ, _module("ui.safe_storage.tab:SafeStorageTab")),
    TabSpec("Harm reduction", Permission.HARM_REDUCTION_READ, _module("ui.counter.tab:HarmReductionTab")),
    TabSpec("Safeguarding", Permission.SAFEGUARDING_READ, _module("ui.safeguarding.tab:SafeguardingTab")),
    TabSpec("Probation", Permission.PROBATION_READ, _module("ui.probation.tab:ProbationTab")),
    TabSpec("Journey", Permission.JOURNEY_REFERRAL, _module("ui.journey.tab:JourneyTab")),  # ui/journey
    # Everyone who reads a record has some letters; the service filters by category.
    TabSpec("Letters", Permission.PERSON_READ, _module("ui.letters.letters_tab:LettersTab")),
    TabSpec("Who has looked", Permission.PERSON_ACCESS_LOG, _viewers),
)
