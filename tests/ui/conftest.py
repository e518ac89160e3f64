"""Fixtures for the widget tests: ``ctx``, the AppContext a screen is built
with, signed in as ``ctx_role`` (reception, unless a module overrides the
``ctx_role`` fixture); its background operations are waited for before the
site closes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clinic.permissions import Actor, Role
from clinic.uow import Clinic
from ui import ops
from ui.shell import keyboard
from ui.context import AppContext


@pytest.fixture(autouse=True)
def keyboard_policy(qapp) -> None:  # type: ignore[no-untyped-def]
    """The app-wide keyboard rules (ui/shell/keyboard.py), as the main window installs them."""
    keyboard.install(qapp)
    ops.collect_garbage_on_the_ui_thread(qapp)


@pytest.fixture
def ctx_role() -> Role:
    return Role.RECEPTION


@pytest.fixture
def ctx(clinic: Clinic, actors: dict[Role, Actor], ctx_role: Role) -> Iterator[AppContext]:
    yield AppContext(clinic, actors[ctx_role])
    ops.wait_for_all()
