"""Every setting declares its type, bounds, choices and label once
(issue 15 item 3; issue 13 M14, m10)."""

from __future__ import annotations

import pytest

from clinic import settings
from clinic.errors import Refused
from clinic.settings import BY_KEY, SETTINGS, SiteSettings


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.key)
def test_every_default_is_within_its_own_declaration(setting: settings.Setting) -> None:
    assert settings.validate(setting.key, setting.default) == setting.default
    assert setting.shown_label
    if setting.type is int:
        assert setting.minimum is not None and setting.maximum is not None
        assert setting.minimum <= setting.default <= setting.maximum


def test_defaults_agree_with_each_other() -> None:
    settings.validate_all({}, SiteSettings({}))


@pytest.mark.parametrize(("key", "low", "high"), [
    ("security.idle_lock_minutes", 1, 60), ("security.lockout_attempts", 3, 10),
    ("security.lockout_minutes", 5, 1440), ("security.temporary_password_days", 1, 90),
])
def test_security_bounds(key: str, low: int, high: int) -> None:
    assert (BY_KEY[key].minimum, BY_KEY[key].maximum) == (low, high)
    for bad in (low - 1, high + 1, True, "5", 5.0):
        with pytest.raises(Refused) as refused:
            settings.validate(key, bad)
        assert refused.value.field == key


def test_a_stored_value_outside_its_bounds_reads_as_the_default() -> None:
    """A site that saved an idle lock of a million minutes opens again (M14)."""
    assert SiteSettings({"security.idle_lock_minutes": 10**6})["security.idle_lock_minutes"] == 5


@pytest.mark.parametrize(("key", "value"), [
    ("probation.confirmation_frequency", "fortnightly"), ("site.phone", "0123\n456"),
    ("site.service_name", "S" * 121), ("site.address", "1 Road\x00"),
    ("workdays.closures", ["2026-13-01"]), ("workdays.closures", ["1066-10-14"]),
])
def test_text_choices_and_lists_are_checked(key: str, value: object) -> None:
    with pytest.raises(Refused):
        settings.validate(key, value)


def test_multi_line_text_keeps_its_lines() -> None:
    assert settings.validate("site.address", "1 Road\nTown") == "1 Road\nTown"


def test_the_anti_hbs_window_cannot_be_inside_out() -> None:
    with pytest.raises(Refused) as refused:
        settings.validate_all({"vaccines.anti_hbs_weeks_from": 20}, SiteSettings({}))
    assert refused.value.field == "vaccines.anti_hbs_weeks_from"
