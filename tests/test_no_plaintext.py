"""No byte of client data in plaintext anywhere under the data folder
(issue 3 acceptance): every file is scanned for the demo people's surnames
and for the plaintext SQLite header, after a demo build, writes, a backup and a rekey."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from clinic.clock import FixedClock
from clinic.demo.generate import generate
from clinic.services.setup import create_site
from db.tables.people import Person
from tests.conftest import NOW, SQLITE_HEADER


def test_nothing_readable_under_the_data_folder(tmp_path: Path) -> None:
    data_dir = tmp_path / "site"
    clinic, _ = create_site(data_dir, "a site passphrase here", admin_username="admin",
                            admin_password="admin password here", clock=FixedClock(NOW))
    generate(clinic, people_count=150, seed=7)
    with clinic.unit_of_work() as uow:
        surnames = {s for s in uow.session.execute(select(Person.surname)).scalars() if len(s) >= 5}
    clinic.site.backup(tmp_path / "backup.hbk")  # never inside the data folder (M11)
    clinic.site.rekey("a site passphrase here")
    clinic.site.close()
    needles = [s.encode("utf-8") for s in surnames] + [SQLITE_HEADER]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files, "the data folder should hold the database"
    leaks = [(p.name, n) for p in files for n in needles if n in p.read_bytes()]
    assert leaks == []
