"""The OS keyring as a convenience slot: present, absent or locked.

Headless machines have ``keyring.backends.fail.Keyring`` which raises
``NoKeyringError``; a locked desktop keyring raises ``KeyringLocked``. Both
mean "ask for the passphrase", never a crash and never a new database.
"""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError

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
    try:
        keyring.delete_password(SERVICE, site_id)
    except (KeyringError, RuntimeError):
        pass
