"""The performance harness (``make bench``): DESIGN.md §6 budgets against
the demo generator's large data set.

Builds (once, then reuses) a site of 50,000 synthetic people (5,000 with
``--quick``) under ``bench/data/`` with a throwaway passphrase, then reports
each action's time against its budget, the same actions with N workstations
working at once (``bench/workstations.py``), each captured query's time in SQLCipher against
the same query in plain sqlite3 on an unencrypted copy of the synthetic
data (made in a temporary folder and deleted afterwards), and resident
memory. Timings are reported, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
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
                   people_bench, probation_bench, reports_bench, timing, workstations)
from bench import counter_bench  # the harm-reduction counter
from bench.record import compare, plot, slower, write
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
    parser.add_argument("--people", type=int, default=None, help="site size (default 50,000; --quick: 5,000)")
    parser.add_argument("--quick", action="store_true", help="5,000 people, one run per action: a before/after check")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--workstations", default=None,
                        help="comma-separated counts of simultaneous workstations (default 1,5,10,20; --quick: 1,5)")
    parser.add_argument("--seconds", type=float, default=None, help="how long each workstation run lasts")
    parser.add_argument("--compare", type=Path, help="an earlier run's JSON: print each action's ratio to it")
    parser.add_argument("--out", type=Path, help="where to write the JSON (a PNG plot is written beside it)")
    args = parser.parse_args()
    people = args.people or (5_000 if args.quick else 50_000)
    counts = [int(n) for n in (args.workstations or ("1,5" if args.quick else "1,5,10,20")).split(",") if n]
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    if args.quick:
        timing.REPEATS = letters_bench.REPEATS = 1
    data_dir = HERE / "data" / f"site-{people}"
    results: dict[str, Any] = {}
    if args.rebuild or not (data_dir / "harbour.db").exists():
        results["demo generation, s"] = round(build(data_dir, people), 1)
    results.update(single_workstation(data_dir))
    key = _key(data_dir)
    results["workstations"] = {str(n): workstations.run(data_dir, key, n, seconds) for n in counts}
    out = args.out or HERE / "results" / f"bench-{people}{'-quick' if args.quick else ''}.json"
    record = write(results, out, people=people, backend="sqlcipher", quick=args.quick)
    plot(record, out.with_suffix(".png"))
    for name, v in record["summary"].items():
        mark = "OVER" if v["value"] > v["budget"] else "ok"
        print(f"{name:45} {v['value']:>10.1f} {v['unit']:2} / {v['budget']:>6} {mark}")
    for n, run in results["workstations"].items():
        print(f"{n} workstations: errors {run['errors']}, conflicts {run['conflicts']}, "
              + ", ".join(f"{a} p95 {s['p95_ms']} ms" for a, s in run["actions"].items()))
    print(f"written {out} and {out.with_suffix('.png')}")
    if args.compare:
        old = json.loads(args.compare.read_text())
        print("\n".join(compare(record, old)))
        if slow := slower(record, old):
            print("more than 20% slower:", ", ".join(slow))
    return 0


def _key(data_dir: Path) -> bytes:
    clinic = open_with_secret(data_dir, PASSPHRASE, clock=SystemClock())
    key = clinic.site.data_key
    clinic.site.close()
    return key


def single_workstation(data_dir: Path) -> dict[str, Any]:
    """Every DESIGN §6 action, one user on one workstation."""
    results: dict[str, Any] = {}
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
        "harm-reduction counter": counter_bench.run(clinic, actors[Role.NURSE], actors[Role.MANAGER]),
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
    return results


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
    # The cold start and memory children show real windows; no display is needed to time them.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    keyring.set_keyring(MemoryKeyring())  # the benchmark machine has no OS keyring
    raise SystemExit(main())
