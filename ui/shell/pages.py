"""The navigation: every page, who may see it, and how to build it.

Pages are built on first visit, so start-up imports none of them. A page
is listed only for roles holding its permission (the services refuse the
rest anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from clinic.permissions import Permission
from ui.context import AppContext

Factory = Callable[[AppContext, QWidget], QWidget]


@dataclass(frozen=True)
class PageSpec:
    title: str
    permissions: tuple[Permission, ...]  # any one of them shows the page
    factory: Factory

    def visible(self, ctx: AppContext) -> bool:
        return any(ctx.can(p) for p in self.permissions)


def _staff(ctx: AppContext, parent: QWidget) -> QWidget:
    from ui.staff.page import StaffPage

    return StaffPage(ctx, parent)


def _audit(ctx: AppContext, parent: QWidget) -> QWidget:
    from ui.audit.page import AuditPage

    return AuditPage(ctx, parent)


def _settings(ctx: AppContext, parent: QWidget) -> QWidget:
    from ui.settings.page import SettingsPage

    return SettingsPage(ctx, parent)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Staff", (Permission.STAFF_ADMIN,), _staff),
    PageSpec("Audit log", (Permission.AUDIT_READ,), _audit),
    PageSpec("Settings", (Permission.SETTINGS_ADMIN,), _settings),
)
