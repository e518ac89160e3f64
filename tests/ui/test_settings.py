"""Tests for ui.settings: the site settings page generated from the declarations."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox, QSpinBox
from pytestqt.qtbot import QtBot

from clinic.permissions import Actor, Role
from clinic.services import site_settings
from clinic.settings import SETTINGS
from clinic.uow import Clinic
from ui import ops
from ui.context import AppContext
from ui.settings import SettingsPage
from ui.settings.closures import ClosureDatesEditor
from ui.settings.logo import LogoEditor
from ui.settings.page import OTHER, group_of

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def ctx_role() -> Role:
    return Role.ADMIN


def open_page(qtbot: QtBot, ctx: AppContext) -> SettingsPage:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(900, 640)
    page.show()
    qtbot.waitUntil(lambda: bool(page.loaded) and page.status.text() == "")
    return page


def stored(clinic: Clinic, key: str) -> object:
    with clinic.unit_of_work() as uow:
        return site_settings.current(uow)[key]


def test_every_setting_has_a_field_in_a_named_group() -> None:
    assert all(group_of(s) != OTHER for s in SETTINGS)


def test_saves_a_changed_value(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    page = open_page(qtbot, ctx)
    review = page.editors["ost.review_months"].widget
    assert isinstance(review, QSpinBox) and review.value() == 3
    assert not page.save_button.isEnabled()
    review.setValue(4)
    assert page.save_button.isEnabled() and page.changed_values() == {"ost.review_months": 4}
    page.save_button.click()
    qtbot.waitUntil(lambda: page.status.text() == "Saved 1 setting.")
    assert stored(clinic, "ost.review_months") == 4
    assert not page.save_button.isEnabled()


def test_choice_and_text_settings_round_trip(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    page = open_page(qtbot, ctx)
    combo = page.editors["probation.confirmation_frequency"].widget
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("weekly"))
    page.editors["site.address"].set_value("2 New Road\nTown\nTN1 1AA")
    page.save()
    qtbot.waitUntil(lambda: page.status.text() == "Saved 2 settings.")
    assert stored(clinic, "probation.confirmation_frequency") == "weekly"
    assert stored(clinic, "site.address") == "2 New Road\nTown\nTN1 1AA"


def test_refuses_an_invalid_closure_date(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    page = open_page(qtbot, ctx)
    closures = page.editors["workdays.closures"].widget
    assert isinstance(closures, ClosureDatesEditor)
    for typed, message in (("31/02/2027", "31/02/2027"), ("26/12/2026", "Saturday"),
                           ("25/12/2026", "bank holiday"), ("next week", "not a date")):
        closures.entry.setText(typed)
        qtbot.keyClick(closures.entry, Qt.Key.Key_Return)
        assert message in closures.error.message
        assert closures.value() == []
    closures.entry.setText("24/12/2026")
    qtbot.keyClick(closures.entry, Qt.Key.Key_Return)
    closures.entry.setText("2026-12-23")
    qtbot.keyClick(closures.entry, Qt.Key.Key_Return)
    assert closures.value() == ["2026-12-23", "2026-12-24"]
    assert closures.error.message == ""
    closures.entry.setText("23.12.2026")
    qtbot.keyClick(closures.entry, Qt.Key.Key_Return)
    assert "already a closure day" in closures.error.message
    page.save()
    qtbot.waitUntil(lambda: page.status.text() == "Saved 1 setting.")
    with clinic.unit_of_work() as uow:
        assert uow.settings.closures == {date(2026, 12, 23), date(2026, 12, 24)}


def test_a_value_the_declaration_refuses_is_shown_by_its_field(qtbot: QtBot, ctx: AppContext, clinic: Clinic) -> None:
    page = open_page(qtbot, ctx)
    page.editors["security.lockout_minutes"].set_value(20)
    # A value of the wrong type (as a future editor might produce) is caught before the service.
    page.editors["backup.keep_last"]._get = lambda: "seven"  # type: ignore[attr-defined]
    page.save()
    assert "whole number" in page.errors["backup.keep_last"].message
    assert page.tabs.tabText(page.tabs.currentIndex()) == "Backups"
    assert stored(clinic, "security.lockout_minutes") == 15  # nothing saved


def test_logo_must_be_an_image_and_is_stored_as_png(qtbot: QtBot, ctx: AppContext, clinic: Clinic,
                                                      tmp_path: Path) -> None:
    page = open_page(qtbot, ctx)
    logo = page.editors["site.logo_png_base64"].widget
    assert isinstance(logo, LogoEditor)
    not_image = tmp_path / "logo.png"
    not_image.write_text("this is not a picture")
    assert not logo.load_file(not_image)
    assert "PNG or JPEG" in logo.error.message
    jpeg = tmp_path / "logo.jpg"
    image = QImage(300, 100, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a6f97"))
    assert image.save(str(jpeg), "JPEG")
    assert logo.load_file(jpeg)
    assert logo.error.message == "" and logo.preview.pixmap() is not None
    page.save()
    qtbot.waitUntil(lambda: page.status.text() == "Saved 1 setting.")
    png = base64.b64decode(str(stored(clinic, "site.logo_png_base64")))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_read_only_for_someone_who_is_not_the_administrator(qtbot: QtBot, clinic: Clinic,
                                                             actors: dict[Role, Actor]) -> None:
    ctx = AppContext(clinic, actors[Role.MANAGER])
    page = open_page(qtbot, ctx)
    assert not page.save_button.isVisible()
    spin = page.editors["ost.review_months"].widget
    assert isinstance(spin, QSpinBox) and spin.isReadOnly()
    ops.wait_for_all()


def test_number_boxes_take_their_bounds_from_the_declaration(qtbot: QtBot, ctx: AppContext) -> None:
    """The idle lock cannot be typed past an hour (M14): the page is built from clinic.settings."""
    page = open_page(qtbot, ctx)
    idle = page.editors["security.idle_lock_minutes"].widget
    assert isinstance(idle, QSpinBox) and (idle.minimum(), idle.maximum()) == (1, 60)
    idle.selectAll()
    qtbot.keyClicks(idle, "999")
    assert idle.value() <= 60
    frequency = page.editors["probation.confirmation_frequency"].widget
    assert isinstance(frequency, QComboBox) and frequency.count() == 3
