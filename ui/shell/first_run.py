"""The first-run wizard: data folder, site passphrase, first administrator,
and the one-time recovery code, confirmed by typing part of it back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from clinic import passwords
from clinic.clock import Clock
from clinic.services.setup import SiteError, create_site, site_exists
from clinic.uow import Clinic
from ui import ops

#: The recovery-code groups the user types back (1-based, of 8).
CONFIRM_GROUPS = (3, 7)


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
        self.setSubTitle("Harbour keeps everything in one encrypted database in this folder. "
                         "Choose a folder that is backed up, on this computer or the clinic's server.")
        self.folder = QLineEdit(str(default))
        self.folder.setAccessibleName("Data folder")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(browse)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Data folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def validatePage(self) -> bool:
        path = Path(self.folder.text()).expanduser()
        if not self.folder.text().strip():
            self.error.setText("Choose a folder.")
            return False
        if site_exists(path):
            self.error.setText("That folder already holds a Harbour site. Open it instead, or choose another folder.")
            return False
        return True


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
        data_dir = Path(w.folder_page.folder.text()).expanduser()
        passphrase, clock = w.passphrase_page.passphrase.text(), w.clock
        admin = w.admin_page

        def create() -> tuple[Clinic, str]:
            return create_site(data_dir, passphrase, admin_username=admin.username.text(),
                               admin_password=admin.password.text(), admin_name=admin.full_name.text().strip()
                               or "Site administrator", clock=clock)

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
        self.passphrase_page = PassphrasePage()
        self.admin_page = AdminPage()
        self.create_page = CreatePage(self)
        self.recovery_page = RecoveryPage()
        for page in (self.folder_page, self.passphrase_page, self.admin_page, self.create_page, self.recovery_page):
            self.addPage(page)
        self.create_page.created.connect(self._created)
        self.setMinimumSize(620, 440)

    def _created(self, clinic: Clinic, code: str) -> None:
        self.clinic = clinic
        self.recovery_page.show_code(code)

    def accept(self) -> None:
        if self.clinic is not None:
            self.site_created.emit(self.clinic)
        super().accept()
