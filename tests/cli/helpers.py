"""Running ``harbour-admin`` as real processes, for the tests that race them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE_PASS = "a site passphrase for the cli"
ADMIN_PASS = "an admin password for the cli"


def env() -> dict[str, str]:
    return {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "PYTHONPATH": str(ROOT)}


def start(*argv: str, stdin: str = "") -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-m", "cli.admin", *argv], cwd=ROOT, env=env(), text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    proc.stdin = None  # so communicate() does not flush it again
    return proc


def admin(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    proc = start(*argv, stdin=stdin)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def recovery_code(out: str) -> str | None:
    codes = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    return codes[-1] if codes else None


def opens(site: Path, secret: str) -> bool:
    return admin("verify", "--data-dir", str(site), "--passphrase-stdin", stdin=secret)[0] == 0


#: A separate process that registers people one unit of work at a time and
#: prints ``COMMITTED <id>`` after each commit (the review's ``writer``).
WRITER = """
import sys
from datetime import date
from sqlalchemy import select
from clinic.clock import SystemClock
from clinic.services.people import records as people
from clinic.services.staff import actor_of
from clinic.uow import Clinic
from db.site import Site
from db.tables.staff import Staff
data_dir, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
clinic = Clinic(Site.open_with_secret(data_dir, sys.stdin.readline().rstrip("\\n")), SystemClock())
with clinic.unit_of_work() as uow:
    reception = actor_of(uow.session.execute(select(Staff).where(Staff.username == "reception")).scalar_one())
print("READY", flush=True)
for i in range(n):
    with clinic.unit_of_work(write=True) as uow:
        people.register(uow, reception, people.PersonDetails(
            surname=f"Kill{tag}{i:05d}", forename="Test", date_of_birth=date(1980, 1, 1 + i % 28),
            address_lines="1 Test Street\\nTown", postcode="SW1A 1AA"), confirmed_not_duplicate=True)
    print("COMMITTED", f"Kill{tag}{i:05d}", flush=True)
clinic.site.close()
"""


def start_writer(site: Path, n: int, tag: str, secret: str = SITE_PASS,
                 log: Path | None = None) -> subprocess.Popen[str]:
    """With ``log`` its output goes to that file (a long run would fill a pipe)."""
    out = open(log, "w") if log else subprocess.PIPE  # noqa: SIM115 - the child holds it
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(site), str(n), tag], cwd=ROOT, env=env(), text=True,
                            stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT if log else subprocess.PIPE)
    if log:
        out.close()
    assert proc.stdin is not None
    proc.stdin.write(secret + "\n")
    proc.stdin.close()
    proc.stdin = None
    return proc


def new_site(site: Path) -> str:
    """A real site with the demo staff (reception, nurse, ...); returns its recovery code."""
    from clinic.clock import SystemClock
    from clinic.demo.staff import add_demo_staff
    from clinic.services.setup import create_site

    clinic, recovery = create_site(site, SITE_PASS, admin_username="admin", admin_password=ADMIN_PASS,
                                   clock=SystemClock(), remember_key=False)
    with clinic.unit_of_work(write=True) as uow:
        add_demo_staff(uow)
    clinic.site.close()
    return recovery


def committed(out: str) -> list[str]:
    return [line.split()[1] for line in out.splitlines() if line.startswith("COMMITTED ")]
