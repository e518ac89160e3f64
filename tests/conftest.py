"""Shared fixtures: an in-memory keyring, and a real encrypted site per test.

The service and db tests run twice, on a SQLCipher file and on a database of
a real PostgreSQL server the session starts (``tests/server_fixtures.py``);
``--backend sqlcipher|postgres`` runs one leg only.

Building a site costs two argon2id derivations and a few password hashes,
so one template site is built per session and each test gets its own copy
of the (encrypted) files, opened with the raw key.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import keyring
import pytest
from sqlalchemy import select

from clinic.clock import SITE_TZ, FixedClock
from clinic.demo.staff import DEMO_PASSWORD, add_demo_staff
from clinic.errors import Refused
from clinic.permissions import Actor, Role
from clinic.services.setup import create_site
from clinic.services.staff import actor_of
from clinic.uow import Clinic
from db.keyring_store import MemoryKeyring
from db.server import ServerSite
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
def clinic(backend: str, request: pytest.FixtureRequest, clock: FixedClock) -> Iterator[Clinic]:
    """The site a test works on: a copy of the SQLCipher template, or (the
    ``postgres`` leg) the server's working database, reset after each test."""
    if backend == POSTGRES:
        site: Site | ServerSite = request.getfixturevalue("server_site")
    else:
        template: Template = request.getfixturevalue("template_site")
        site = Site.open_with_key(request.getfixturevalue("site_dir"), template.data_key)
    yield Clinic(site, clock)
    site.close()


# ---- back ends (the server leg: tests/server_fixtures.py) ----------------
SQLCIPHER, POSTGRES = "sqlcipher", "postgres"
#: Test folders whose tests run on both back ends (a test that opens its
#: site's files directly says ``@pytest.mark.sqlcipher_only``).
BOTH_BACKENDS_UNDER = ("tests/clinic/services/", "tests/db/")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--backend", choices=("both", SQLCIPHER, POSTGRES), default="both",
                     help="which back end the service and db tests run on (default: both)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlcipher_only: works on the SQLCipher files themselves")
    config.addinivalue_line("markers", "postgres_not_yet(reason): the server leg is skipped, saying why")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    where = Path(metafunc.definition.path).as_posix()
    if not any(part in where for part in BOTH_BACKENDS_UNDER) or metafunc.definition.get_closest_marker(
            "sqlcipher_only"):
        return
    chosen = metafunc.config.getoption("--backend")
    backends = [SQLCIPHER, POSTGRES] if chosen == "both" else [chosen]
    not_yet = metafunc.definition.get_closest_marker("postgres_not_yet")
    params = [pytest.param(b, marks=pytest.mark.skip(reason=not_yet.args[0]) if not_yet and b == POSTGRES else ())
              for b in backends]
    metafunc.parametrize("backend", params, indirect=True, ids=backends)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", SQLCIPHER)


@pytest.fixture
def actors(clinic: Clinic) -> dict[Role, Actor]:
    """One signed-in actor per role: the demo staff and the first admin."""
    with clinic.unit_of_work() as uow:
        # "first" by id: PostgreSQL returns rows in no fixed order (an updated row moves)
        rows = uow.session.execute(select(Staff).order_by(Staff.id)).scalars().all()
    by_role: dict[Role, Actor] = {}
    for row in rows:
        actor = actor_of(row)
        for role in actor.roles:
            by_role.setdefault(role, actor)
    return by_role


T = TypeVar("T")


def run(clinic: Clinic, fn: Callable[..., T], actor: Actor, cmd: object) -> T:
    """``fn(uow, actor, cmd)`` in a write unit of work of its own: one user action."""
    with clinic.unit_of_work(write=True) as uow:
        return fn(uow, actor, cmd)


def refused(clinic: Clinic, fn: Callable[..., object], actor: Actor, cmd: object) -> Refused:
    """The refusal ``run`` meets (it fails the test if there is none)."""
    with pytest.raises(Refused) as err:
        run(clinic, fn, actor, cmd)
    return err.value


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


from tests.server_fixtures import pg_server, server_site, server_template  # noqa: E402,F401  (fixtures)
from tests.tls_fixtures import tls_server  # noqa: E402,F401  (fixture: Debian's PostgreSQL with TLS)
