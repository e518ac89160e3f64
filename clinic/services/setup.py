"""Creating a site and its first administrator (before anyone can sign in)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from clinic import passwords
from clinic.clock import Clock
from clinic.permissions import Role
from clinic.uow import Clinic
from db.site import Site
from db.tables.staff import Staff


def create_site(data_dir: Path, passphrase: str, *, admin_username: str, admin_password: str,
                admin_name: str = "Site administrator", clock: Clock) -> tuple[Clinic, str]:
    """A new encrypted site with one administrator. Returns it and the recovery code.

    The administrator chose their own password here, so they are not asked
    to change it at first sign-in.
    """
    username = admin_username.strip().lower()
    passwords.check_rules(admin_password, username=username)
    if len(passphrase) < passwords.MIN_LENGTH:
        raise passwords.PasswordRejected(f"The site passphrase needs at least {passwords.MIN_LENGTH} characters.")
    site, recovery = Site.create(data_dir, passphrase)
    clinic = Clinic(site, clock)
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
    return clinic, recovery
