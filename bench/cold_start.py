"""Child process of the benchmark: from exec to a shown sign-in window.

Reads the data key (hex) from stdin, as the OS keyring would supply it,
opens the site (either back end, as ``bench/backends.py`` opens it), shows
the sign-in window, and exits. It imports what ``harbour`` (``ui.app``)
imports before its first window, so the import cost is the application's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

import ui.app  # noqa: F401 - the application's own imports are part of its cold start
from bench.backends import open_with_key
from ui.shell.sign_in import SignInWindow


def main() -> None:
    app = QApplication(sys.argv[:1])
    key = bytes.fromhex(sys.stdin.read().strip())
    clinic = open_with_key(Path(sys.argv[1]), key)
    with clinic.unit_of_work() as uow:
        name = uow.settings["site.service_name"]
    window = SignInWindow(clinic, site_name=name)
    window.show()
    app.processEvents()
    clinic.site.close()


if __name__ == "__main__":
    main()
