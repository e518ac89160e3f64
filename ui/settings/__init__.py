"""The administrator's site settings screen, generated from clinic.settings."""

from ui.settings.page import SettingsPage

__all__ = ["SettingsPage"]
