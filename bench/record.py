"""The benchmark as a record (issue 21): each run written as JSON with the
commit, the machine and the date; a summary of every DESIGN §6 action against
its budget; a comparison with an earlier run; a plot beside the JSON.

The summary is the contract between runs: ``summary(results)`` maps each
action's name to ``{"value", "unit", "budget"}``, whatever shape the module
benchmarks return, so ``--compare`` works across changes to those modules.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SLOWER = 1.2  # more than 20% slower than the earlier run is named

#: (action, path into the results, factor to the unit, unit, budget); the
#: worklists are matched by pattern below.
ACTIONS: tuple[tuple[str, tuple[str, ...], float, str, float], ...] = (
    ("cold start to sign-in window", ("cold start to sign-in window",), 1, "ms", 1500),
    ("unlock with key from keyring", ("unlock with key from keyring",), 1, "ms", 50),
    ("search as you type, p95", ("modules", "people", "search_p95_ms"), 1, "ms", 50),
    ("open a person's record, p95", ("modules", "people", "open_p95_ms"), 1, "ms", 150),
    ("a day's appointment book", ("modules", "appointments", "day_book_ms"), 1, "ms", 100),
    ("a week's appointment book", ("modules", "appointments", "week_book_ms"), 1, "ms", 250),
    ("worklist: outcomes to record", ("modules", "appointments", "outcomes_ms"), 1, "ms", 250),
    ("worklist: probation", ("modules", "probation", "worklist_s"), 1000, "ms", 250),
    ("one letter rendered", ("letters engine", "one letter rendered", "wall ms"), 1, "ms", 30),
    ("200 probation letters, one PDF, filed", ("modules", "probation", "batch_print_200_filed_s"), 1000, "ms", 3000),
    ("quarterly KPI report", ("modules", "quarterly report", "this_quarter_s"), 1000, "ms", 1000),
    ("recording an NSP visit, p95", ("modules", "harm-reduction counter", "record_visit_p95_ms"), 1, "ms", 50),
    ("counter lookup by code, p95", ("modules", "harm-reduction counter", "code_lookup_p95_ms"), 1, "ms", 50),
    ("counter lookup of a person, p95", ("modules", "harm-reduction counter", "person_lookup_p95_ms"), 1, "ms", 50),
    ("worklist: no in-date naloxone kit", ("modules", "harm-reduction counter", "no_kit_worklist_ms"), 1, "ms", 250),
    ("harm-reduction quarterly counts", ("modules", "harm-reduction counter", "quarterly_counts_s"), 1000, "ms", 1000),
    ("resident memory", ("resident memory, MB (the app: every page and a record)",), 1, "MB", 400),
)
WORKLIST_MODULES = ("bbv/vaccination", "ost")
#: The budget each workstation action is held to at p95 (the record tabs are
#: part of opening a record).
WORKSTATION_BUDGETS = {"search as you type": 50, "open a person's record": 150, "day's appointment book": 100,
                       "worklist": 250, "quarterly KPI report": 1000, "BBV tab": 150, "vaccinations tab": 150,
                       "edit a person's details": 150}


def _get(results: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = results
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def summary(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, path, factor, unit, budget in ACTIONS:
        value = _get(results, path)
        if isinstance(value, int | float):
            out[name] = {"value": round(value * factor, 2), "unit": unit, "budget": budget}
    for module in WORKLIST_MODULES:
        for key, value in (_get(results, ("modules", module)) or {}).items():
            if ".worklist." in key and key.endswith("_ms"):
                out[f"worklist: {key.removesuffix('_ms')}"] = {"value": round(value, 2), "unit": "ms", "budget": 250}
    for n, run in (results.get("workstations") or {}).items():
        for action, stats in run["actions"].items():
            if action in WORKSTATION_BUDGETS:
                out[f"{n} workstations: {action}, p95"] = {"value": stats["p95_ms"], "unit": "ms",
                                                           "budget": WORKSTATION_BUDGETS[action]}
    return out


def machine() -> dict[str, Any]:
    memory_kib = 0
    try:
        with open("/proc/meminfo") as f:
            memory_kib = int(f.readline().split()[1])
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gib": round(memory_kib / 2**20, 1), "python": platform.python_version(),
            "platform": platform.platform()}


def commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
                              cwd=Path(__file__).parent)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=Path(__file__).parent).stdout.strip()
        return done.stdout.strip() + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write(results: dict[str, Any], path: Path, **meta: Any) -> dict[str, Any]:
    record = {"commit": commit(), "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": machine(), **meta, "summary": summary(results), "results": results}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, default=str))
    return record


def compare(new: dict[str, Any], old: dict[str, Any]) -> Iterator[str]:
    """One line per action in both runs: the ratio new/old, and "SLOWER" when
    it is over ``SLOWER``; then the actions only one run has."""
    a, b = new["summary"], old["summary"]
    yield f"{'action':45} {'old':>10} {'new':>10} {'ratio':>7}"
    for name in sorted(a.keys() & b.keys()):
        ratio = a[name]["value"] / max(b[name]["value"], 1e-6)
        flag = "  SLOWER" if ratio > SLOWER else ""
        yield f"{name:45} {b[name]['value']:>10.1f} {a[name]['value']:>10.1f} {ratio:>6.2f}×{flag}"
    for name in sorted(a.keys() - b.keys()):
        yield f"{name:45} {'—':>10} {a[name]['value']:>10.1f}   (new)"
    for name in sorted(b.keys() - a.keys()):
        yield f"{name:45} {b[name]['value']:>10.1f} {'—':>10}   (gone)"


def slower(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    a, b = new["summary"], old["summary"]
    return [n for n in sorted(a.keys() & b.keys()) if a[n]["value"] / max(b[n]["value"], 1e-6) > SLOWER]


def plot(record: dict[str, Any], path: Path) -> None:
    """Each action as a share of its budget (1.0 = on budget), saved as PNG."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot

    largest = max((int(n) for n in record["results"].get("workstations", {}) if int(n) <= 10), default=1)
    shown = {k: v for k, v in record["summary"].items()
             if "workstations:" not in k or k.startswith(f"{largest} workstations:")}
    items = sorted(shown.items(), key=lambda kv: kv[1]["value"] / kv[1]["budget"])
    names = [n for n, _ in items]
    shares = [v["value"] / v["budget"] for _, v in items]
    fig, ax = pyplot.subplots(figsize=(10, 0.35 * len(names) + 1.5))
    colours = ["#b42318" if s > 1 else "#1f6f4a" for s in shares]
    ax.barh(names, shares, color=colours)
    ax.axvline(1.0, color="black", linewidth=1)
    ax.text(1.0, len(names) - 0.4, " budget", va="bottom")
    for i, (share, (_, v)) in enumerate(zip(shares, items, strict=False)):
        ax.text(share, i, f" {v['value']:.0f} / {v['budget']:.0f} {v['unit']}", va="center", fontsize=8)
    ax.set_xlabel("share of the DESIGN §6 budget (red: over)")
    ax.set_title(f"Harbour benchmark {record['commit']}, {record.get('people', '?')} people, "
                 f"{record.get('backend', 'sqlcipher')}, {record['date'][:10]}")
    ax.set_xlim(0, max([1.25, *shares]) * 1.35)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    pyplot.close(fig)
