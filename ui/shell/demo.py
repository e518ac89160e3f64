"""The throwaway demo site behind ``harbour --demo`` / ``make run``."""

from __future__ import annotations

import secrets
from pathlib import Path

from clinic.clock import Clock
from clinic.demo.generate import generate
from clinic.demo.staff import DEMO_PASSWORD, DEMO_STAFF
from clinic.services.setup import create_site
from clinic.uow import Clinic

DEMO_PEOPLE = 600


def build_demo_site(data_dir: Path, clock: Clock, *, people: int) -> Clinic:
    """A fresh encrypted site full of synthetic people. Its passphrase is
    random and forgotten: the site lives only as long as this run."""
    clinic, _recovery = create_site(data_dir, secrets.token_urlsafe(24), admin_username="admin",
                                    admin_password=DEMO_PASSWORD, clock=clock, remember_key=False,
                                    demo=True)
    generate(clinic, people_count=people, seed=2026)
    return clinic


def demo_accounts() -> tuple[list[tuple[str, str, str]], str]:
    accounts = [(u, name, ", ".join(r.label for r in roles)) for u, name, roles, _reg in DEMO_STAFF]
    accounts.append(("admin", "Site administrator", "Administrator"))
    return accounts, DEMO_PASSWORD
