"""The OS keyring as a convenience slot: present, absent or locked.

Headless machines have ``keyring.backends.fail.Keyring`` which raises
``NoKeyringError``; a locked desktop keyring raises ``KeyringLocked``. Both
mean "ask for the passphrase", never a crash and never a new database.
"""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError
import contextlib

SERVICE = "harbour"


def load(site_id: str) -> bytes | None:
    try:
        value = keyring.get_password(SERVICE, site_id)
    except (KeyringError, RuntimeError):
        return None
    if value is None:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        return None
    return key if len(key) == 32 else None


def store(site_id: str, data_key: bytes) -> bool:
    """Keep the key in the keyring; False if there is no usable keyring."""
    try:
        keyring.set_password(SERVICE, site_id, data_key.hex())
    except (KeyringError, RuntimeError):
        return False
    return True


def forget(site_id: str) -> None:
    with contextlib.suppress(KeyringError, RuntimeError):
        keyring.delete_password(SERVICE, site_id)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives as long as the process: for tests and benchmarks
    on machines (like CI) that have none."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves KeyringBackend.__init__ unannotated
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)
