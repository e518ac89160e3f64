"""The first-run wizard: data folder, site passphrase, first administrator,
and the one-time recovery code, confirmed by typing part of it back.

Or, on a workstation joining a site that runs on the clinic's server:
the server's name, database, user, site CA certificate and password (the
profile ``harbour-admin connect`` writes, made by the same code in
``db.server``), then the site passphrase to open the site there, or, on an
empty server database, a new site made there as on this computer."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from clinic import passwords, server_connection
from clinic.clock import Clock
from clinic.services.setup import SiteError, create_server_site, create_site, site_exists
from clinic.uow import Clinic
from ui import ops

#: The recovery-code groups the user types back (1-based, of 8).
CONFIRM_GROUPS = (3, 7)
#: Page ids: a new site runs FOLDER, PASSPHRASE, ADMIN, CREATE, RECOVERY; a
#: server site FOLDER, SERVER, then OPEN_SERVER (it holds a site) or the rest.
FOLDER, SERVER, OPEN_SERVER, PASSPHRASE, ADMIN, CREATE, RECOVERY = range(7)


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #a4262c;")
    return label


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class FolderPage(QWizardPage):
    def __init__(self, default: Path) -> None:
        super().__init__()
        self.setTitle("Where the clinic's data will live")
        self.setSubTitle("Harbour keeps everything in one encrypted database in this folder, or, on a workstation "
                         "of a site that runs on the clinic's server, only the way to reach the server.")
        self.new_site = QRadioButton("A new site on this &computer")
        self.new_site.setChecked(True)
        self.to_server = QRadioButton("Connect to the clinic's &server")
        self.folder = QLineEdit(str(default))
        self.folder.setAccessibleName("Data folder")
        browse = QPushButton("Bro&wse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(browse)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.new_site)
        layout.addWidget(self.to_server)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def data_dir(self) -> Path:
        return Path(self.folder.text()).expanduser()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Data folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def validatePage(self) -> bool:
        if not self.folder.text().strip():
            self.error.setText("Choose a folder.")
            return False
        if site_exists(self.data_dir()):
            self.error.setText("That folder already holds a Harbour site. Open it instead, or choose another folder.")
            return False
        return True

    def nextId(self) -> int:
        return SERVER if self.to_server.isChecked() else PASSPHRASE


class _Typed(NamedTuple):
    data_dir: Path
    host: str
    port: int
    database: str
    user: str
    ca: str
    password: str


class ServerPage(QWizardPage):
    """What ``harbour-admin connect`` asks. Next checks that the server answers
    (in the background) and keeps the profile; a failure says why in one
    sentence and leaves everything as typed."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.connected: server_connection.Connected | None = None
        self._connected_for: _Typed | None = None
        self._busy = False
        self.setTitle("The clinic's server")
        self.setSubTitle("Your administrator has these details. Harbour talks to a server on another computer only "
                         "over TLS, checked against the site's CA certificate.")
        self.host = QLineEdit()
        self.host.setAccessibleName("Server host name")
        self.host.setPlaceholderText("db.clinic.example, as in the server's certificate")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(server_connection.DEFAULT_PORT)
        self.port.setAccessibleName("Port")
        self.database = QLineEdit("harbour")
        self.database.setAccessibleName("Database")
        self.user = QLineEdit("harbour_app")
        self.user.setAccessibleName("User")
        self.ca = QLineEdit()
        self.ca.setAccessibleName("Site CA certificate file")
        self.ca.setPlaceholderText("site-ca.pem (not needed for a server on this computer)")
        self.choose = QPushButton("Ch&oose…")
        self.choose.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca)
        ca_row.addWidget(self.choose)
        self.password = _password_field("Server password")
        self.error = _error_label()
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Server &host name", self.host)
        form.addRow("&Port", self.port)
        form.addRow("&Database", self.database)
        form.addRow("&User", self.user)
        ca_label = QLabel("Site &CA certificate")
        ca_label.setBuddy(self.ca)  # a row of two widgets gets no buddy of its own
        form.addRow(ca_label, ca_row)
        form.addRow("Pass&word", self.password)
        form.addRow(self.status)
        form.addRow(self.error)

    def _choose_ca(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Site CA certificate", self.ca.text(),
                                                "Certificates (*.pem *.crt *.cer);;All files (*)")
        if chosen:
            self.ca.setText(chosen)

    def _typed(self) -> _Typed:
        return _Typed(self._wizard.folder_page.data_dir(), self.host.text().strip(), self.port.value(),
                      self.database.text().strip(), self.user.text().strip(), self.ca.text().strip(),
                      self.password.text())

    def validatePage(self) -> bool:
        typed = self._typed()
        if self.connected is not None and typed == self._connected_for:
            return True
        if self._busy:
            return False
        missing = [name for name, value in (("the server's host name", typed.host), ("the database", typed.database),
                                            ("the user", typed.user)) if not value]
        if missing:
            self.error.setText(f"Enter {missing[0]}.")
            return False
        self._busy, self.connected = True, None
        self.error.clear()
        self.status.setText("Connecting to the server…")
        ops.task(self, lambda: server_connection.connect(
            typed.data_dir, host=typed.host, port=typed.port, database=typed.database, user=typed.user,
            ca_path=typed.ca or None, password=typed.password)) \
            .on_success(lambda done: self._connected(done, typed)).on_failure(self._failed).start()
        return False

    def _connected(self, connected: server_connection.Connected, typed: _Typed) -> None:
        self._busy, self.connected, self._connected_for = False, connected, typed
        folder = self._wizard.folder_page.data_dir()
        how = ("over TLS with its certificate verified" if server_connection.over_tls(folder)
               else "on this computer")
        kept = ("The password is kept in this computer's keyring." if connected.password_kept else
                "This computer has no keyring, so Harbour asks for the password each time it starts.")
        self.status.setText(f"Connected {how}. {kept}")
        self._wizard.next()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.status.clear()
        self.error.setText(str(error) if isinstance(error, (SiteError, ValueError)) else
                           "Harbour could not connect to the server; check the details and try again.")

    def nextId(self) -> int:
        return OPEN_SERVER if self.connected is not None and self.connected.holds_site else PASSPHRASE


class OpenServerPage(QWizardPage):
    """The server holds the site: the site passphrase or recovery code opens
    it here (once, where a keyring keeps the key)."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._busy = False
        self.setTitle("Open the clinic's site")
        self.setSubTitle("The server holds the clinic's site. Enter the site passphrase, or the recovery code "
                         "printed when the site was set up.")
        self.secret = _password_field("Site passphrase or recovery code")
        self.error = _error_label()
        form = QFormLayout(self)
        form.addRow("Site &passphrase", self.secret)
        form.addRow(self.error)

    def validatePage(self) -> bool:
        if self._wizard.clinic is not None:
            return True
        if self._busy:
            return False
        if not self.secret.text():
            self.error.setText("Enter the site passphrase or the recovery code.")
            return False
        self._busy = True
        self.error.setText("Checking… (this takes a moment on purpose)")
        w, secret = self._wizard, self.secret.text()
        data_dir, password = w.folder_page.data_dir(), w.server_page.password.text()
        ops.task(self, lambda: server_connection.open_with_secret(data_dir, secret, password, clock=w.clock)) \
            .on_success(self._opened).on_failure(self._failed).start()
        return False

    def nextId(self) -> int:
        return -1  # the last page: Finish opens the site

    def _opened(self, clinic: Clinic) -> None:
        self._busy = False
        self._wizard.clinic = clinic
        self.error.clear()
        self._wizard.button(QWizard.WizardButton.FinishButton).click()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.secret.selectAll()
        self.error.setText(str(error) if isinstance(error, (SiteError, ValueError)) else
                           "The site could not be opened; try again.")


class PassphrasePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("The site passphrase")
        self.setSubTitle("Staff type this on a workstation that has not opened Harbour before. "
                         f"At least {passwords.MIN_LENGTH} characters; a short sentence is easy to remember.")
        self.passphrase = _password_field("Site passphrase")
        self.again = _password_field("Site passphrase again")
        self.error = _error_label()
        form = QFormLayout(self)
        form.addRow("Site &passphrase", self.passphrase)
        form.addRow("&Again", self.again)
        form.addRow(self.error)

    def validatePage(self) -> bool:
        if len(self.passphrase.text()) < passwords.MIN_LENGTH:
            self.error.setText(f"The passphrase needs at least {passwords.MIN_LENGTH} characters.")
            return False
        if self.passphrase.text() != self.again.text():
            self.error.setText("The two passphrases are not the same.")
            return False
        return True


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("The first administrator")
        self.setSubTitle("This account creates the other staff accounts. It has no clinical access.")
        self.full_name = QLineEdit("Site administrator")
        self.username = QLineEdit("admin")
        self.password = _password_field("Administrator password")
        self.again = _password_field("Administrator password again")
        self.error = _error_label()
        form = QFormLayout(self)
        form.addRow("Full &name", self.full_name)
        form.addRow("&Username", self.username)
        form.addRow("Pass&word", self.password)
        form.addRow("A&gain", self.again)
        form.addRow(self.error)

    def validatePage(self) -> bool:
        try:
            passwords.check_rules(self.password.text(), username=self.username.text())
        except passwords.PasswordRejected as exc:
            self.error.setText(str(exc))
            return False
        if self.password.text() != self.again.text():
            self.error.setText("The two passwords are not the same.")
            return False
        if not self.username.text().strip():
            self.error.setText("Choose a username.")
            return False
        return True


class CreatePage(QWizardPage):
    """Creates the site in the background; Next is enabled when it is done."""

    created = Signal(object, str)

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._done = False
        self.setTitle("Creating the encrypted database")
        self.status = QLabel("Working…")
        self.status.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.status)

    def initializePage(self) -> None:
        if self._done:
            return
        w = self._wizard
        data_dir = w.folder_page.data_dir()
        passphrase, clock = w.passphrase_page.passphrase.text(), w.clock
        admin = w.admin_page
        username, password = admin.username.text(), admin.password.text()
        name = admin.full_name.text().strip() or "Site administrator"
        on_server = w.folder_page.to_server.isChecked()
        server_password = w.server_page.password.text()
        if on_server:
            self.setTitle("Creating the site on the server")

        def create() -> tuple[Clinic, str]:
            if on_server:  # the empty server database the profile names (ServerPage connected it)
                return create_server_site(data_dir, passphrase, admin_username=username, admin_password=password,
                                          admin_name=name, clock=clock, password=server_password)
            return create_site(data_dir, passphrase, admin_username=username, admin_password=password,
                               admin_name=name, clock=clock)

        ops.task(self, create).on_success(self._created).on_failure(self._failed).start()

    def _created(self, result: tuple[Clinic, str]) -> None:
        self._done = True
        self.status.setText("Done. Next: the recovery code.")
        self.created.emit(*result)
        self.completeChanged.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(str(error) if isinstance(error, (SiteError, ValueError)) else
                            "The site could not be created. Go back and check the folder.")

    def isComplete(self) -> bool:
        return self._done


class RecoveryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.code = ""
        self.setTitle("Your recovery code — shown once")
        self.setSubTitle("Print it or write it down, and lock it away. If the site passphrase is "
                         "forgotten, this code is the only other way into the data.")
        self.code_label = QLabel()
        self.code_label.setStyleSheet("font-family: monospace; font-size: 16pt; padding: 8px; "
                                      "border: 1px solid #888; background: #fffbe6;")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        warning = QLabel("<b>Losing both the passphrase and this code loses the clinic's data for good.</b> "
                         "Nobody, including Harbour's makers, can open it without one of them.")
        warning.setWordWrap(True)
        groups = " and ".join(f"group {g}" for g in CONFIRM_GROUPS)
        self.confirm = QLineEdit()
        self.confirm.setAccessibleName("Recovery code confirmation")
        self.confirm.setPlaceholderText(f"Type {groups}, e.g. ABCD EFGH")
        self.confirm.textChanged.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.code_label)
        layout.addWidget(warning)
        layout.addWidget(QLabel(f"To show you have it, type {groups} of the code:"))
        layout.addWidget(self.confirm)

    def show_code(self, code: str) -> None:
        self.code = code
        self.code_label.setText(code)

    def isComplete(self) -> bool:
        if not self.code:
            return False
        groups = self.code.split("-")
        expected = "".join(groups[g - 1] for g in CONFIRM_GROUPS)
        typed = "".join(ch for ch in self.confirm.text().upper() if ch.isalnum())
        return typed == expected


class FirstRunWizard(QWizard):
    """Emits ``site_created(clinic)`` when finished."""

    site_created = Signal(object)

    def __init__(self, default_folder: Path, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.clinic: Clinic | None = None
        self.setWindowTitle("Set up Harbour")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.folder_page = FolderPage(default_folder)
        self.server_page = ServerPage(self)
        self.open_server_page = OpenServerPage(self)
        self.passphrase_page = PassphrasePage()
        self.admin_page = AdminPage()
        self.create_page = CreatePage(self)
        self.recovery_page = RecoveryPage()
        for page_id, page in ((FOLDER, self.folder_page), (SERVER, self.server_page),
                              (OPEN_SERVER, self.open_server_page), (PASSPHRASE, self.passphrase_page),
                              (ADMIN, self.admin_page), (CREATE, self.create_page), (RECOVERY, self.recovery_page)):
            self.setPage(page_id, page)
        self.create_page.created.connect(self._created)
        self.setMinimumSize(620, 440)

    def _created(self, clinic: Clinic, code: str) -> None:
        self.clinic = clinic
        self.recovery_page.show_code(code)

    def accept(self) -> None:
        if self.clinic is not None:
            self.site_created.emit(self.clinic)
        super().accept()
