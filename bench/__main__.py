"""The performance harness (``make bench``): DESIGN.md §6 budgets against
the demo generator's large data set.

Builds (once, then reuses) a site of 50,000 synthetic people under
``bench/data/`` with a throwaway passphrase, then reports each action's
time against its budget, each captured query's time in SQLCipher against
the same query in plain sqlite3 on an unencrypted copy of the synthetic
data (made in a temporary folder and deleted afterwards), and resident
memory. Timings are reported, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
from sqlalchemy import event, select

from bench import (appointments_bench, audit_bench, clinical_bench, journey_bench, letters_bench, ost_bench,
                   people_bench, probation_bench, reports_bench)
from bench.queries import QueryLog, compare_plain
from clinic.clock import SystemClock
from clinic.demo.generate import generate
from clinic.permissions import Role
from clinic.services.setup import create_site, open_with_keyring, open_with_secret
from clinic.services.staff import actor_of
from clinic.uow import Clinic
from db.keyring_store import MemoryKeyring
from db.tables.staff import Staff

HERE = Path(__file__).resolve().parent
PASSPHRASE = "benchmark site passphrase"  # synthetic data only
BUDGETS_MS = {
    "cold start to sign-in window": 1500, "unlock with key from keyring": 50, "search as you type p95": 50,
    "open a person's record": 150, "day's appointment book": 100, "week's appointment book": 250,
    "worklist (slowest)": 250, "one letter rendered": 30, "200 probation letters, one PDF": 3000,
}


def build(data_dir: Path, people: int) -> float:
    shutil.rmtree(data_dir, ignore_errors=True)
    started = time.perf_counter()
    clinic, _ = create_site(data_dir, PASSPHRASE, admin_username="admin", admin_password="benchmark admin pw",
                            clock=SystemClock())
    generate(clinic, people_count=people, seed=2026, on_progress=lambda s: print(f"  building {s}", file=sys.stderr))
    clinic.site.close()
    return time.perf_counter() - started


def cold_start(data_dir: Path, data_key: bytes) -> float:
    """Wall time of a fresh process from exec to a shown sign-in window, the
    key handed over on stdin as a keyring would hand it over."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench.cold_start", str(data_dir)], input=data_key.hex().encode(),
                   check=True)
    return (time.perf_counter() - started) * 1000


def app_memory(data_dir: Path, data_key: bytes) -> int:
    """Peak resident memory of a fresh application process (not this one,
    which has held the whole data set while building it)."""
    done = subprocess.run([sys.executable, "-m", "bench.app_memory", str(data_dir)], input=data_key.hex().encode(),
                          check=True, capture_output=True)
    return int(done.stdout.decode().split()[-1])


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    data_dir = HERE / "data" / f"site-{args.people}"
    results: dict[str, Any] = {}
    if args.rebuild or not (data_dir / "harbour.db").exists():
        results["demo generation, s"] = round(build(data_dir, args.people), 1)
    clinic = open_with_secret(data_dir, PASSPHRASE, clock=SystemClock())  # also fills the keyring
    clinic.site.close()
    results["cold start to sign-in window"] = cold_start(data_dir, clinic.site.data_key)
    results["unlock with key from keyring"] = timed(lambda: open_with_keyring(data_dir, clock=SystemClock()))
    clinic = open_with_keyring(data_dir, clock=SystemClock()) or clinic
    log = QueryLog()
    event.listen(clinic.site.engine, "before_cursor_execute", log.record)
    actors = _actors(clinic)
    module_results = {
        "people": people_bench.run(clinic, actors[Role.RECEPTION]),
        "appointments": appointments_bench.run(clinic, actors[Role.RECEPTION]),
        "bbv/vaccination": clinical_bench.run(clinic, actors[Role.NURSE]),
        "ost": ost_bench.run(clinic, actors[Role.PRESCRIBER]),
        "probation": probation_bench.run(clinic, actors[Role.PROBATION]),
        "quarterly report": reports_bench.run(clinic, actors[Role.MANAGER]),
        "journey": journey_bench.run(clinic, actors[Role.NURSE], actors[Role.MANAGER]),  # bench/journey_bench.py
    }
    event.remove(clinic.site.engine, "before_cursor_execute", log.record)
    results["modules"] = module_results
    results["letters engine"] = letters_bench.run()
    results["audit trail growth"] = audit_bench.run(clinic, actors[Role.RECEPTION])
    results["resident memory, MB (the app: every page and a record)"] = app_memory(data_dir, clinic.site.data_key)
    with tempfile.TemporaryDirectory(prefix="harbour-bench-plain-") as tmp:
        results["encrypted vs plain sqlite3"] = compare_plain(clinic, Path(tmp) / "plain.db", log)
    clinic.site.close()
    print(json.dumps(results, indent=1, default=str))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"bench-{args.people}.json").write_text(json.dumps(results, indent=1, default=str))
    return 0


def _actors(clinic: Clinic) -> dict[Role, Any]:
    with clinic.unit_of_work() as uow:
        rows = uow.session.execute(select(Staff)).scalars().all()
    by_role: dict[Role, Any] = {}
    for row in rows:
        actor = actor_of(row)
        for role in actor.roles:
            by_role.setdefault(role, actor)
    return by_role


if __name__ == "__main__":
    keyring.set_keyring(MemoryKeyring())  # the benchmark machine has no OS keyring
    raise SystemExit(main())
