"""Creating and opening a site, and its first administrator (before anyone can sign in).

A site is a SQLCipher file in its data folder, or, when the folder holds a
connection profile (``harbour-admin connect``), a database on a server.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import configure_mappers

from clinic import passwords
from clinic.clock import Clock
from clinic.permissions import Role
from clinic.uow import Clinic
from db.keys import KEY_FILE_NAME
from db.profile import is_server_folder
from db.server import ServerSite
from db import tables
from db.site import Site, SiteError
from db.tables.staff import Staff

__all__ = ["SiteError", "check_site_passphrase", "create_server_site", "create_site", "open_with_keyring",
           "open_with_secret", "prepare_to_sign_in", "site_exists"]


def create_site(data_dir: Path, passphrase: str, *, admin_username: str, admin_password: str,
                admin_name: str = "Site administrator", clock: Clock,
                remember_key: bool = True, demo: bool = False) -> tuple[Clinic, str]:
    """A new encrypted site with one administrator. Returns it and the recovery code.

    The administrator chose their own password here, so they are not asked
    to change it at first sign-in. ``demo``: a throwaway site of synthetic
    people, whose accounts use the published demo password.
    """
    username = _check_first_secrets(passphrase, admin_username, admin_password, demo=demo)
    site, recovery = Site.create(data_dir, passphrase, remember_key=remember_key)
    try:
        clinic = _with_first_admin(Clinic(site, clock), username, admin_password, admin_name)
    except BaseException:  # M9: a site with no administrator is no site; the next init must work
        site.close()
        site.remove_files()
        raise
    return clinic, recovery


def create_server_site(data_dir: Path, passphrase: str, *, admin_username: str, admin_password: str,
                       admin_name: str = "Site administrator", clock: Clock, password: str | None = None,
                       remember_key: bool = True) -> tuple[Clinic, str]:
    """A new site in the (prepared, empty) server database ``data_dir``'s
    connection profile names; as ``create_site`` otherwise."""
    username = _check_first_secrets(passphrase, admin_username, admin_password)
    site, recovery = ServerSite.create(data_dir, passphrase, password=password, remember_key=remember_key)
    return _with_first_admin(Clinic(site, clock), username, admin_password, admin_name), recovery


def _check_first_secrets(passphrase: str, admin_username: str, admin_password: str, *, demo: bool = False) -> str:
    username = admin_username.strip().lower()
    passwords.check_rules(admin_password, username=username, demo=demo)
    check_site_passphrase(passphrase)
    return username


def _with_first_admin(clinic: Clinic, username: str, admin_password: str, admin_name: str) -> Clinic:
    site = clinic.site
    with clinic.unit_of_work(write=True) as uow:
        if uow.session.execute(select(func.count(Staff.id))).scalar_one():
            raise ValueError("This site already has staff accounts.")
        row = Staff(username=username, full_name=admin_name, roles=Role.ADMIN.value,
                    password_hash=passwords.hash_password(admin_password), must_change_password=False,
                    failed_attempts=0, active=True)
        uow.session.add(row)
        uow.session.flush()
        uow.audit(None, "site.created", "site", site.key_file.site_id,
                  changes={"first_admin": [None, username]})
    return clinic


#: zxcvbn's score runs 0-4; 3 is "safely unguessable: moderate protection from an
#: offline slow-hash scenario", which is the attack on a copied key file (M15).
MIN_PASSPHRASE_SCORE = 3


def check_site_passphrase(passphrase: str) -> None:
    """Refuse a site passphrase that is short, common or low in entropy, saying why."""
    # ~0.3 s to load its word lists: only when a passphrase is set
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]

    if len(passphrase) < passwords.MIN_LENGTH:
        raise passwords.PasswordRejected(f"The site passphrase needs at least {passwords.MIN_LENGTH} characters.")
    verdict = zxcvbn(passphrase[:100])
    if verdict["score"] < MIN_PASSPHRASE_SCORE:
        why = verdict["feedback"].get("warning") or "It would be guessed too easily."
        hint = " ".join(verdict["feedback"].get("suggestions", [])[:1])
        raise passwords.PasswordRejected(
            f"That site passphrase is too easy to guess: {why.rstrip('.')}. {hint} Four or more unrelated words "
            "work well.".replace("  ", " "))


def site_exists(data_dir: Path) -> bool:
    return (Path(data_dir) / KEY_FILE_NAME).exists() or is_server_folder(data_dir)


def open_with_keyring(data_dir: Path, *, clock: Clock) -> Clinic | None:
    """Open without asking, if this workstation's keyring holds the key."""
    site = (ServerSite if is_server_folder(data_dir) else Site).open_with_keyring(data_dir)
    return None if site is None else Clinic(site, clock)


def open_with_secret(data_dir: Path, secret: str, *, clock: Clock) -> Clinic:
    """Open with the site passphrase or recovery code (slow: run off the UI thread).

    This is the application's unlock: on a SQLCipher site the key is kept in
    the OS keyring so the workstation opens without the passphrase next time."""
    if is_server_folder(data_dir):
        return Clinic(ServerSite.open_with_secret(data_dir, secret), clock)
    return Clinic(Site.open_with_secret(data_dir, secret, remember_key=True), clock)


def prepare_to_sign_in() -> None:
    """Load what signing in and the main window's first reads need: the
    sign-in service, every table and their mappers. The sign-in window is
    shown without them (issue 21, the cold start); run this on a worker
    once it is, so the first sign-in does not wait for them."""
    importlib.import_module("clinic.services.staff")
    tables.load()
    configure_mappers()
