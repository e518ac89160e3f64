"""This workstation and the clinic's server: connecting it (the set-up
wizard's "Connect to the clinic's server", as ``harbour-admin connect``),
and opening the site there when the password is not kept in a keyring.

The rules (verified TLS unless the server is on this machine, the profile,
the keyring, why a connection failed) live in ``db.profile``, ``db.server``
and ``db.server_refusals``; this module only hands them to the screens.
"""

from __future__ import annotations

from pathlib import Path

from clinic.clock import Clock
from clinic.uow import Clinic
from db import profile as profiles
from db.server import Connected, ServerRefused, ServerSite, connect_workstation, save_password, saved_password

__all__ = ["DEFAULT_PORT", "Connected", "ServerRefused", "connect", "needs_password", "open_with_keyring",
           "open_with_secret", "over_tls"]

DEFAULT_PORT = profiles.DEFAULT_PORT


def connect(data_dir: Path, *, host: str, port: int, database: str, user: str, ca_path: str | None,
            password: str) -> Connected:
    """Check the server answers, then keep the profile in ``data_dir`` and the
    password in the keyring (slow: run off the UI thread). A failure is a
    ``SiteError`` (``ServerRefused`` from the server) saying why in one sentence."""
    profile = profiles.for_server(host, database, user, port=port, ca_path=ca_path or None)
    return connect_workstation(Path(data_dir), profile, password)


def over_tls(data_dir: Path) -> bool:
    """The profile in ``data_dir`` connects with the server's certificate verified."""
    return profiles.read(Path(data_dir)).sslmode == "verify-full"


def needs_password(data_dir: Path) -> bool:
    """A server site whose database password this workstation does not keep."""
    if not profiles.is_server_folder(data_dir):
        return False
    try:
        return saved_password(profiles.read(Path(data_dir))) is None
    except profiles.ProfileError:
        return False  # opening says the profile is damaged


def open_with_keyring(data_dir: Path, password: str, *, clock: Clock) -> Clinic | None:
    """The server site with the data key this workstation's keyring holds,
    signing in with ``password``; None when the keyring holds no key."""
    site = ServerSite.open_with_keyring(Path(data_dir), password=password)
    if site is None:
        return None
    save_password(site.profile, password)
    return Clinic(site, clock)


def open_with_secret(data_dir: Path, secret: str, password: str, *, clock: Clock) -> Clinic:
    """The server site with the site passphrase or recovery code (slow:
    argon2id), signing in with ``password``, which the keyring keeps if it can."""
    site = ServerSite.open_with_secret(Path(data_dir), secret, password=password)
    save_password(site.profile, password)
    return Clinic(site, clock)
