"""The set-up wizard's second way: "Connect to the clinic's server".

Typed into the wizard against real servers: the session's embedded
PostgreSQL (a connection on this machine, over its socket, may go without
TLS) and Debian's PostgreSQL with TLS and SCRAM (``tests/tls_fixtures.py``)
for verified TLS and for every way a connection fails, each said in one
sentence with what was typed kept.
"""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWizard

from db import profile as profiles
from db.server import ServerSite, saved_password
from tests.conftest import PASSPHRASE
from tests.server_fixtures import PgServer, ServerTemplate
from tests.tls_fixtures import APP_PASSWORD, DATABASE, TlsServer, free_port
from ui.app import Harbour
from tests.ui.access_keys import clashes
from ui.shell.first_run import OPEN_SERVER, FirstRunWizard
from ui.shell.unlock_site import UnlockSiteDialog

pytestmark = pytest.mark.gui


def _wizard(qtbot, folder: Path, clock) -> FirstRunWizard:  # type: ignore[no-untyped-def]
    wizard = FirstRunWizard(folder, clock)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.folder_page.to_server.setFocus()
    qtbot.keyClick(wizard.folder_page.to_server, Qt.Key.Key_Space)  # "Connect to the clinic's server"
    assert wizard.folder_page.to_server.isChecked()
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.server_page
    return wizard


def _next(qtbot, wizard: FirstRunWizard) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _type(qtbot, field: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def _fill(qtbot, wizard: FirstRunWizard, *, host: str, port: int, database: str,  # type: ignore[no-untyped-def]
          password: str = "", ca: str = "") -> None:
    page = wizard.server_page
    _type(qtbot, page.host, host)
    page.port.lineEdit().selectAll()
    qtbot.keyClicks(page.port, str(port))
    _type(qtbot, page.database, database)
    _type(qtbot, page.ca, ca)
    _type(qtbot, page.password, password)


def _connect_and_wait(qtbot, wizard: FirstRunWizard) -> None:  # type: ignore[no-untyped-def]
    page = wizard.server_page
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: not page._busy, timeout=20000)


def test_a_workstation_connects_to_the_server_and_opens_the_site_there(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, clock, pg_server: PgServer, server_template: ServerTemplate) -> None:
    wizard = _wizard(qtbot, tmp_path / "workstation", clock)
    _fill(qtbot, wizard, host=pg_server.socket_dir, port=pg_server.port, database=server_template.database)
    _connect_and_wait(qtbot, wizard)
    assert wizard.currentPage() is wizard.open_server_page, wizard.server_page.error.text()
    written = profiles.read(tmp_path / "workstation")
    assert (written.host, written.port, written.database, written.user) == (
        pg_server.socket_dir, pg_server.port, server_template.database, "harbour_app")
    opening = wizard.open_server_page
    qtbot.keyClicks(opening.secret, "not the site passphrase")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not right" in opening.error.text(), timeout=20000)
    _type(qtbot, opening.secret, PASSPHRASE)
    with qtbot.waitSignal(wizard.site_created, timeout=20000) as created:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    site = created.args[0].site
    try:
        assert isinstance(site, ServerSite) and site.data_key == server_template.data_key
    finally:
        site.close()
        server_template.reset(pg_server)


def test_an_empty_server_database_gets_a_new_site_made_there(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, clock, pg_server: PgServer) -> None:
    pg_server.prepare_database("harbour_wizard_new")
    try:
        wizard = _wizard(qtbot, tmp_path / "workstation", clock)
        _fill(qtbot, wizard, host=pg_server.socket_dir, port=pg_server.port, database="harbour_wizard_new")
        _connect_and_wait(qtbot, wizard)
        assert wizard.currentPage() is wizard.passphrase_page, wizard.server_page.error.text()
        qtbot.keyClicks(wizard.passphrase_page.passphrase, PASSPHRASE)
        qtbot.keyClicks(wizard.passphrase_page.again, PASSPHRASE)
        _next(qtbot, wizard)
        qtbot.keyClicks(wizard.admin_page.password, "admin password here")
        qtbot.keyClicks(wizard.admin_page.again, "admin password here")
        _next(qtbot, wizard)
        qtbot.waitUntil(wizard.create_page.isComplete, timeout=20000)
        assert wizard.create_page.title() == "Creating the site on the server"
        _next(qtbot, wizard)
        code = wizard.recovery_page.code
        groups = code.split("-")
        qtbot.keyClicks(wizard.recovery_page.confirm, " ".join(groups[g - 1] for g in (3, 7)))
        with qtbot.waitSignal(wizard.site_created, timeout=5000) as created:
            qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
        created.args[0].site.close()
        reopened = ServerSite.open_with_secret(tmp_path / "workstation", code)  # the code opens the new site
        try:
            assert reopened.verify_audit().ok
        finally:
            reopened.close()
    finally:
        pg_server.drop_database("harbour_wizard_new")


def test_each_failure_says_why_in_one_sentence_and_keeps_what_was_typed(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, clock, tls_server: TlsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    wizard = _wizard(qtbot, tmp_path / "workstation", clock)
    page = wizard.server_page
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tls_server.other_ca), ""))
    _fill(qtbot, wizard, host="localhost", port=tls_server.port, database=DATABASE, password="not the password")
    qtbot.mouseClick(page.choose, Qt.MouseButton.LeftButton)  # the file dialog answers another CA's certificate
    assert page.ca.text() == str(tls_server.other_ca)

    def failure() -> str:
        _connect_and_wait(qtbot, wizard)
        assert wizard.currentPage() is page
        text = page.error.text()
        assert text.count(". ") == 0 and text.endswith("."), text  # one sentence
        return text

    assert "certificate the site CA certificate did not sign" in failure()
    _type(qtbot, page.ca, str(tls_server.ca))
    assert "did not accept the password for harbour_app" in failure()
    assert (page.host.text(), page.port.value(), page.database.text(), page.password.text()) == (
        "localhost", tls_server.port, DATABASE, "not the password")  # kept as typed
    _type(qtbot, page.host, "127.0.0.1")
    _type(qtbot, page.password, APP_PASSWORD)
    assert "certificate made out to another name" in failure()
    _type(qtbot, page.host, "localhost")
    page.port.setValue(free_port())
    assert "cannot be reached" in failure()
    page.port.setValue(tls_server.port)
    with tls_server.without_tls():
        assert "does not offer TLS" in failure()
    assert not (tmp_path / "workstation" / profiles.PROFILE_FILE_NAME).exists()

    _connect_and_wait(qtbot, wizard)
    assert wizard.currentPage() is wizard.passphrase_page  # no site there yet: one is made next
    written = profiles.read(tmp_path / "workstation")
    assert written.sslmode == "verify-full" and written.ca_path == str(tls_server.ca)
    assert saved_password(written) == APP_PASSWORD
    assert "over TLS with its certificate verified" in page.status.text()


def test_without_a_keyring_the_wizard_says_the_password_is_asked_each_start(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, clock, tls_server: TlsServer) -> None:
    keyring.set_keyring(fail.Keyring())
    wizard = _wizard(qtbot, tmp_path / "workstation", clock)
    _fill(qtbot, wizard, host="localhost", port=tls_server.port, database=DATABASE, password=APP_PASSWORD,
          ca=str(tls_server.ca))
    _connect_and_wait(qtbot, wizard)
    assert wizard.currentPage() is wizard.passphrase_page, wizard.server_page.error.text()
    assert "asks for the password each time it starts" in wizard.server_page.status.text()
    assert saved_password(profiles.read(tmp_path / "workstation")) is None


@pytest.mark.qt_log_ignore("does not support raise")  # Harbour raises its windows; offscreen cannot
def test_without_a_keyring_each_start_asks_for_the_server_password(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, clock, pg_server: PgServer, server_template: ServerTemplate) -> None:
    keyring.set_keyring(fail.Keyring())
    folder = pg_server.connect_folder(tmp_path / "workstation", server_template.database)
    harbour = Harbour(folder, demo=False)
    harbour.start()
    dialog = harbour.window
    assert isinstance(dialog, UnlockSiteDialog) and dialog.server_password is not None
    qtbot.keyClicks(dialog.server_password, "any: the test server trusts its socket")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)  # no passphrase, and no keyring holds the key
    qtbot.waitUntil(lambda: "does not hold the site key" in dialog.message.text(), timeout=20000)
    qtbot.keyClicks(dialog.secret, PASSPHRASE)
    with qtbot.waitSignal(dialog.opened, timeout=20000) as opened:
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert harbour.clinic is opened.args[0]  # on to signing in
    harbour.window.close()
    opened.args[0].site.close()
    server_template.reset(pg_server)


def test_the_server_pages_have_no_access_key_clashes(qtbot, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, tmp_path / "workstation", clock)
    assert clashes(wizard) == {}
    assert wizard.focusWidget() is wizard.server_page.host  # focus starts on the first field
    wizard.setCurrentId(OPEN_SERVER)
    assert clashes(wizard) == {}
