"""Reading and changing site settings (the administrator's Settings screen)."""

from __future__ import annotations

from typing import Any

from clinic import settings as declared
from clinic.permissions import Actor, Permission, require
from clinic.settings import SiteSettings
from clinic.uow import UnitOfWork
from db.tables.staff import SiteSetting


def current(uow: UnitOfWork) -> SiteSettings:
    """Every signed-in user may read settings: rules need them."""
    return uow.settings


def change(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    require(actor, Permission.SETTINGS_ADMIN)
    old = uow.settings
    changes = {}
    for key, value in values.items():
        declared.validate(key, value)
    declared.validate_all(values, old)
    for key, value in values.items():
        if old[key] != value:
            changes[key] = [old[key], value]
        uow.session.merge(SiteSetting(key=key, value=value))
    if changes:
        uow.audit(actor, "settings.changed", "settings", changes=_without_blobs(changes))


def _without_blobs(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """A changed logo is noted, not copied into the trail."""
    if "site.logo_png_base64" in changes:
        changes["site.logo_png_base64"] = ["(image)", "(new image)"]
    return changes
