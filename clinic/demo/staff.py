"""Demo staff: one account per role, all with the same published password."""

from __future__ import annotations

from clinic import passwords
from clinic.permissions import Role
from clinic.uow import UnitOfWork
from db.tables.staff import Staff

DEMO_PASSWORD = passwords.DEMO_PASSWORD  # refused for real accounts (issue 13, m10)

#: username, full name, roles, registration number
DEMO_STAFF: tuple[tuple[str, str, tuple[Role, ...], str | None], ...] = (
    ("reception", "Rita Reception", (Role.RECEPTION,), None),
    ("nurse", "Nadia Nurse", (Role.NURSE,), "NMC 12A3456E"),
    ("prescriber", "Dr Priya Prescriber", (Role.PRESCRIBER,), "GMC 7654321"),
    ("probation", "Pat Probation", (Role.PROBATION,), None),
    ("manager", "Morgan Manager", (Role.MANAGER,), None),
    ("admin2", "Alex Administrator", (Role.ADMIN,), None),
)


def add_demo_staff(uow: UnitOfWork) -> dict[str, int]:
    """Create the demo accounts (one hash, shared: they have one password)."""
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    ids = {}
    for username, name, roles, registration in DEMO_STAFF:
        row = Staff(username=username, full_name=name, roles=" ".join(r.value for r in roles),
                    registration_number=registration, password_hash=password_hash,
                    must_change_password=False, failed_attempts=0, active=True)
        uow.session.add(row)
        uow.session.flush()
        ids[username] = row.id
    uow.audit(None, "demo.staff_created", "staff", changes={"accounts": [None, len(ids)]})
    return ids
