"""Several workstations at once (issue 21): N separate processes on one site,
each running a realistic mix of a clinic day for a bounded time.

Workstation ``i`` takes a role from ``MIX`` in turn (reception most, then
nurses, then the liaison worker); workstation 0 works every role in turn,
so one workstation alone (N = 1) still runs the whole mix. It starts with
the manager's quarterly report: at a person's pace a round of every role
takes about 40 s, so a report last in the round was never timed in a 30 s
run, and the report under the others' load is what a manager meets.
Reception searches as it types, opens the record, looks at the day's book, books an appointment and edits a phone
number; nurses open records, read the BBV and vaccination tabs, record a
dose and look at a worklist; the liaison worker works the probation list.
Each action is timed from the start of its unit of work to its commit, as a
screen would wait for it. Phone edits fall on a small "busy" set of people
and bookings on a few weeks of slots, so two desks do sometimes save the same
record or the same slot and the conflict count is real, as it is at a front
desk. On SQLCipher the processes share one file (a remote-desktop host); on
the server each has its own engine, as a workstation has.

**Pace.** A desk is a person, not a loop. Between two actions the person
reads the screen or talks to the client: a pause drawn uniformly from
``THINK_S`` (1 to 5 s, mean 3 s). At a real desk that is 10 s to a minute
(a client is checked in, a dose is given between the record and its save),
so ten desks at this pace do the work of several times ten people: a margin,
while still leaving the cores the idle time real desks leave. Searching,
the person types the name at ``KEYSTROKE_S`` (0.12 to 0.40 s between keys,
mean 0.26 s: about 45 words a minute, a receptionist typing a surname), and
the search box searches when typing pauses for ``DEBOUNCE_S`` (its 150 ms,
``ui/people/search.py``), so a quick pair of keys runs one search, not two.
The pauses come from their own generator seeded by the workstation's
index, so a run repeats, and the people, slots and doses chosen are the
same whatever the pace. ``PACE`` scales every pause (``python -m bench
--pace``): 1 is the pace above, 0 the old flat-out mode, each desk starting
its next action the instant the last ends: a stress test of saturated
cores, not of ten people.

**First use.** Each desk runs its roles' mix once before its clock starts:
the first call of an action in a process pays for imports (the bank-holiday
calendar alone is ~0.4 s) and SQL compilation, which is the cold start's
cost, not a busy desk's. Those first timings are kept in the JSON ("first
use") and left out of the percentiles, which a workstation open all day
would otherwise never see.

**Waiting for each other.** For each write, the time spent waiting for the
database write lock (SQLCipher's ``BEGIN IMMEDIATE``, the server's advisory
lock, the audit chain's head row ``FOR UPDATE``) and the time from taking it
to the commit are recorded beside the action: what queues, and for how long
each writer keeps the others waiting.

``python -m bench.workstations FOLDER INDEX SECONDS PACE`` reads the data key
(hex) from stdin and prints one JSON object: per action, its samples' p50,
p95 and p99 in milliseconds, the lock waits, and the error, conflict and
refusal counts.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time as clock_time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError

from bench.backends import open_with_key
from clinic.permissions import Actor, Role
from clinic.services.appointments import booking as appointments
from clinic.services.appointments import book as appointments_book
from clinic.services.people import records as people
from clinic.services.people import search as people_search
from clinic.services.people import summary as people_summary
from clinic.services import bbv, reports
from clinic.services.ost import worklists as ost_worklists
from clinic.services.probation import worklist as probation_worklist
from clinic.services.vaccination import courses as vaccination
from clinic.services.appointments.common import ClashError
from clinic.services.staff import actor_of
from clinic.safe_storage import nhs_quarter
from clinic.uow import Clinic
from clinic.vaccines import SINGLE_VACCINES
from clinic.workdays import add_working_days
from db.tables.appointments import Appointment
from db.tables.people import Person
from db.tables.staff import Staff
from db.tables.vaccination import VaccineBatch, VaccineProduct

MIX = (Role.RECEPTION, Role.NURSE, Role.RECEPTION, Role.PRESCRIBER, Role.PROBATION, Role.NURSE)
EVERY_ROLE = (Role.MANAGER, Role.RECEPTION, Role.NURSE, Role.PRESCRIBER, Role.PROBATION)
TYPED = ("s", "sm", "smi", "smith", "jo", "jon", "jones", "pa", "pat", "patel", "kh", "khan", "o'b", "obrien")
BUSY = 200  # the people whose phone numbers the desks edit

#: Seconds between two actions (reading the screen, talking to the client), uniform.
THINK_S = (1.0, 5.0)
#: Seconds between two keystrokes of a search, uniform (about 45 words a minute).
KEYSTROKE_S = (0.12, 0.40)
#: The search box's pause before it searches (``ui/people/search.py``, DEBOUNCE_MS).
DEBOUNCE_S = 0.15
#: Scales every pause: 1 is a person's pace, 0 flat out (``python -m bench --pace``).
PACE = 1.0

#: Statements that wait for another writer: SQLite's write lock, the server's
#: advisory write lock, the audit chain's head row.
LOCKING = ("BEGIN IMMEDIATE", "pg_advisory_xact_lock", "FOR UPDATE")


def pace() -> dict[str, Any]:
    """The pace a run used, as its JSON records it."""
    return {"factor": PACE, "think s": THINK_S, "keystroke s": KEYSTROKE_S, "search debounce s": DEBOUNCE_S}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def summarise(samples: dict[str, list[float]], waits: dict[str, list[float]] | None = None,
              held: dict[str, list[float]] | None = None) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, v in sorted(samples.items()):
        out[name] = {"n": len(v), "p50_ms": round(percentile(v, .5), 1), "p95_ms": round(percentile(v, .95), 1),
                     "p99_ms": round(percentile(v, .99), 1)}
        for label, found in (("waiting for the write lock", waits), ("holding it", held)):
            if found and found.get(name):
                out[name][f"{label}, p50_ms"] = round(percentile(found[name], .5), 1)
                out[name][f"{label}, p95_ms"] = round(percentile(found[name], .95), 1)
    return out


class Desk:
    """One workstation's day: its role's actions, timed."""

    def __init__(self, clinic: Clinic, roles: tuple[Role, ...], seed: int) -> None:
        self.clinic, self.roles = clinic, roles
        self.actors = {role: _actor(clinic, role) for role in roles}
        self.role, self.actor, self.turn = roles[0], self.actors[roles[0]], 0
        self.rng = random.Random(seed)
        self.pauses = random.Random(seed + 10_000)  # its own stream: the pace never changes what is done
        self.deadline = float("inf")
        with clinic.unit_of_work() as uow:
            self.ids = list(uow.session.execute(select(Person.id).where(Person.status == "open")).scalars())
            today = clinic.clock.today()
            self.booking = uow.session.execute(select(Appointment.clinician_id, Appointment.type_id)
                                               .where(Appointment.start >= today).limit(1)).first()
            self.batch = uow.session.execute(
                select(VaccineBatch.id, VaccineProduct.vaccine).join(VaccineProduct)
                .where(VaccineProduct.vaccine.in_([v.id for v in SINGLE_VACCINES]), VaccineBatch.expiry > today,
                       VaccineBatch.written_off_on.is_(None)).limit(1)).first()
        self.samples: dict[str, list[float]] = {}
        self.waits: dict[str, list[float]] = {}
        self.held: dict[str, list[float]] = {}
        self.first_use: dict[str, float] = {}
        self.errors = 0
        self.conflicts = 0
        self.refused = 0
        self.error_kinds: dict[str, int] = {}
        self._waited = 0.0
        self._locked_at: float | None = None
        self._waiting_since: float | None = None
        event.listen(clinic.site.engine, "before_cursor_execute", self._before)
        event.listen(clinic.site.engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if any(s in statement for s in LOCKING):
            self._waiting_since = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self._waiting_since is not None:
            now = time.perf_counter()
            self._waited += now - self._waiting_since
            self._locked_at = self._locked_at or now
            self._waiting_since = None

    def pause(self, bounds: tuple[float, float]) -> None:
        self._sleep(PACE * self.pauses.uniform(*bounds))

    def _sleep(self, seconds: float) -> None:
        """Sleep while the clock runs (never past its end); not in the first, untimed round."""
        if self.deadline < float("inf"):
            time.sleep(max(0.0, min(seconds, self.deadline - time.monotonic())))

    def timed(self, name: str, fn: Callable[[Any], object], *, write: bool = False) -> None:
        if time.monotonic() >= self.deadline:
            return
        self._waited, self._locked_at = 0.0, None
        started = time.perf_counter()
        try:
            with self.clinic.unit_of_work(write=write) as uow:
                fn(uow)
        except (people.StaleRecord, ClashError):  # another desk saved it first
            self.conflicts += 1
        except ValueError:  # a refusal the user would read and act on
            self.refused += 1
        except Exception as exc:  # counted, not raised: the run goes on as a desk would
            self.errors += 1
            kind = type(exc.orig if isinstance(exc, DBAPIError) else exc).__name__ + f" in {name}"
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1
        ended = time.perf_counter()
        if name not in self.first_use:  # imports and SQL compilation: the cold start's, kept apart
            self.first_use[name] = round((ended - started) * 1000, 1)
            return
        self.samples.setdefault(name, []).append((ended - started) * 1000)
        if self._locked_at is not None:
            self.waits.setdefault(name, []).append(self._waited * 1000)
            self.held.setdefault(name, []).append((ended - self._locked_at) * 1000)

    def search(self, text: str) -> None:
        """Type ``text`` at a person's pace; the box searches at each pause
        of ``DEBOUNCE_S`` and after the last key."""
        a = self.actor
        for i in range(1, len(text) + 1):
            gap = PACE * self.pauses.uniform(*KEYSTROKE_S)
            if i == len(text) or gap >= DEBOUNCE_S or not PACE:
                started = time.monotonic()
                self._sleep(DEBOUNCE_S if PACE else 0.0)
                self.timed("search as you type", lambda u, t=text[:i]: people_search.search(u, a, t))
                gap -= time.monotonic() - started
            if i < len(text) and gap > 0:
                self._sleep(gap)

    def step(self) -> None:
        self.role = self.roles[self.turn % len(self.roles)]
        self.turn += 1
        self.actor = a = self.actors[self.role]
        pid, rng = self.rng.choice(self.ids), self.rng
        today = self.clinic.clock.today()
        think = self.pause
        if self.role is Role.RECEPTION:
            self.search(rng.choice(TYPED))
            think(THINK_S)
            self.timed("open a person's record", lambda u: people_summary.open_record(u, a, pid), write=True)
            think(THINK_S)
            self.timed("day's appointment book", lambda u: appointments_book.book_range(u, a, today, today))
            think(THINK_S)
            if self.booking is not None:
                slot = self._slot(pid)  # chosen on the screen before Book is pressed
                self.timed("book an appointment", lambda u: appointments.book(u, a, slot), write=True)
                think(THINK_S)
            self.timed("edit a person's details", self._edit_phone, write=True)
        elif self.role in (Role.NURSE, Role.PRESCRIBER):
            self.timed("open a person's record", lambda u: people_summary.open_record(u, a, pid), write=True)
            think(THINK_S)
            self.timed("BBV tab", lambda u: bbv.overview(u, a, pid))
            think(THINK_S)
            self.timed("vaccinations tab", lambda u: vaccination.overview(u, a, pid))
            if self.batch is not None and self.role is Role.NURSE:
                think(THINK_S)
                self.timed("record a vaccine dose", lambda u: vaccination.record_dose(u, a, vaccination.RecordDose(
                    pid, self.batch.id, today, "Left deltoid", "Intramuscular", True, vaccine=self.batch.vaccine)),
                           write=True)
            if rng.random() < .3:
                think(THINK_S)
                self.timed("worklist", lambda u: vaccination.doses_overdue(u, a))
            if self.role is Role.PRESCRIBER and rng.random() < .3:
                think(THINK_S)
                self.timed("worklist", lambda u: ost_worklists.reviews_due(u, a))
        elif self.role is Role.PROBATION:
            self.timed("worklist", lambda u: probation_worklist.worklist(u, a))
            think(THINK_S)
            self.timed("open a person's record", lambda u: people_summary.open_record(u, a, pid), write=True)
        else:
            start = nhs_quarter(today).start
            self.timed("quarterly KPI report", lambda u: reports.quarterly_kpis(u, a, start))  # a read, as its page
        think(THINK_S)

    def _slot(self, pid: int) -> appointments.BookAppointment:
        """A quarter-hour in the next four working weeks (9:00 to 16:45)."""
        day = add_working_days(self.clinic.clock.today(), self.rng.randint(1, 20))
        start = datetime.combine(day, clock_time(9)) + timedelta(minutes=15 * self.rng.randrange(32))
        return appointments.BookAppointment(pid, self.booking.clinician_id, self.booking.type_id, start,
                                            confirm=True)

    def _edit_phone(self, uow: Any) -> None:
        pid = self.ids[self.rng.randrange(min(BUSY, len(self.ids)))]
        row = uow.session.get(Person, pid)
        details = people.details_of(row)
        people.update(uow, self.actor, pid, row.version,
                      replace(details, phone=f"07700 9{self.rng.randrange(10**5):05d}"))


def _actor(clinic: Clinic, role: Role) -> Actor:
    with clinic.unit_of_work() as uow:
        for row in uow.session.execute(select(Staff).order_by(Staff.id)).scalars():
            actor = actor_of(row)
            if role in actor.roles:
                return actor
    raise LookupError(role)


def desk_main(folder: Path, index: int, seconds: float, key: bytes) -> dict[str, Any]:
    clinic = open_with_key(folder, key)
    roles = EVERY_ROLE if index == 0 else (MIX[(index - 1) % len(MIX)],)
    desk = Desk(clinic, roles, seed=index)
    for _ in roles:  # first use of every action, untimed (see "First use")
        desk.step()
    desk.deadline = time.monotonic() + seconds
    desk.pause(THINK_S)  # the desks do not all start on the same instant
    while time.monotonic() < desk.deadline:
        desk.step()
    clinic.site.close()
    return {"roles": [role.value for role in roles], "samples": desk.samples, "waits": desk.waits,
            "held": desk.held, "first use": desk.first_use, "errors": desk.errors,
            "conflicts": desk.conflicts, "refused": desk.refused, "error kinds": desk.error_kinds}


def run(folder: Path, key: bytes, workstations: int, seconds: float) -> dict[str, Any]:
    """Start ``workstations`` processes at once and merge what they measured."""
    load = os.getloadavg()[0]
    procs = [subprocess.Popen([sys.executable, "-m", "bench.workstations", str(folder), str(i), str(seconds),
                               str(PACE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
             for i in range(workstations)]
    for p in procs:
        assert p.stdin is not None
        p.stdin.write(key.hex().encode())
        p.stdin.close()
    merged: dict[str, dict[str, list[float]]] = {"samples": {}, "waits": {}, "held": {}}
    first: dict[str, list[float]] = {}
    errors = conflicts = refused = failed = 0
    kinds: dict[str, int] = {}
    for p in procs:
        assert p.stdout is not None
        out = p.stdout.read()
        if p.wait(timeout=seconds + 300) != 0:
            failed += 1
            continue
        one = json.loads(out)
        errors, conflicts, refused = errors + one["errors"], conflicts + one["conflicts"], refused + one["refused"]
        for kind, count in one["error kinds"].items():
            kinds[kind] = kinds.get(kind, 0) + count
        for part, by_action in merged.items():
            for name, values in one[part].items():
                by_action.setdefault(name, []).extend(values)
        for name, ms in one["first use"].items():
            first.setdefault(name, []).append(ms)
    return {"workstations": workstations, "seconds": seconds, "pace": pace(),
            "actions": summarise(merged["samples"], merged["waits"], merged["held"]),
            "first use, slowest ms (not in the percentiles)": {n: max(v) for n, v in sorted(first.items())},
            "errors": errors, "error kinds": kinds, "conflicts": conflicts, "refused": refused,
            "processes failed": failed,
            "load average (1 min) at start, end": [round(load, 2), round(os.getloadavg()[0], 2)]}


if __name__ == "__main__":
    key = bytes.fromhex(sys.stdin.read().strip())
    PACE = float(sys.argv[4])
    result = desk_main(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), key)
    print(json.dumps(result))
