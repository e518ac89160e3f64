"""The benchmark as a record (issue 21): each run written as JSON with the
commit, the machine, the date and the load average; a summary of every DESIGN
§6 action on each back end against its budget; a comparison with an earlier
run; the growth from a smaller run to a larger; a plot beside the JSON.

The summary is the contract between runs: ``summary(results)`` maps each
action's name to ``{"value", "unit", "budget"}``, whatever shape the module
benchmarks return, and the record names it ``"<back end>: <action>"``, so
``--compare`` works across changes to those modules.
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
                       "edit a person's details": 150,
                       # No §6 budget of their own: held to the record screen's, whose save they are.
                       "book an appointment": 150, "record a vaccine dose": 150}


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


def write(by_backend: dict[str, dict[str, Any]], path: Path, **meta: Any) -> dict[str, Any]:
    """``by_backend`` maps each back end run to its results."""
    record = {"commit": commit(), "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": machine(), "load average at the end (1, 5, 15 min)": [round(x, 2) for x in os.getloadavg()],
              **meta, "summary": {f"{backend}: {name}": v for backend, results in by_backend.items()
                                  for name, v in summary(results).items()},
              "results": by_backend}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, default=str))
    return record


def compare(new: dict[str, Any], old: dict[str, Any]) -> Iterator[str]:
    """One line per action in both runs: the ratio new/old, and "SLOWER" when
    it is over ``SLOWER``; then the actions only one run has."""
    a, b = new["summary"], old["summary"]
    yield f"{'action':60} {'old':>10} {'new':>10} {'ratio':>7}"
    for name in sorted(a.keys() & b.keys()):
        ratio = a[name]["value"] / max(b[name]["value"], 1e-6)
        flag = "  SLOWER" if ratio > SLOWER else ""
        yield f"{name:60} {b[name]['value']:>10.1f} {a[name]['value']:>10.1f} {ratio:>6.2f}×{flag}"
    for name in sorted(a.keys() - b.keys()):
        yield f"{name:60} {'—':>10} {a[name]['value']:>10.1f}   (new)"
    for name in sorted(b.keys() - a.keys()):
        yield f"{name:60} {b[name]['value']:>10.1f} {'—':>10}   (gone)"


def slower(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    a, b = new["summary"], old["summary"]
    return [n for n in sorted(a.keys() & b.keys()) if a[n]["value"] / max(b[n]["value"], 1e-6) > SLOWER]


def growth(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """Each action's time at the larger size over its time at the smaller,
    beside the data's own ratio (people); an action whose ratio is above the
    data's grows faster than its data (resident memory is left out: it is
    not a time)."""
    data_ratio = round(large["people"] / small["people"], 2)
    a, b = small["summary"], large["summary"]
    actions = {}
    for name in (n for n in a if n in b and a[n]["unit"] == "ms"):
        ratio = round(b[name]["value"] / max(a[name]["value"], 1e-6), 2)
        actions[name] = {"from": a[name]["value"], "to": b[name]["value"], "ratio": ratio,
                         "faster": ratio > data_ratio}
    return {"from people": small["people"], "to people": large["people"], "data ratio": data_ratio,
            "from commit": small["commit"], "to commit": large["commit"],
            "faster than their data": [n for n, g in actions.items() if g["faster"]], "actions": actions}


COLOURS = {"sqlcipher": "#1f6f4a", "postgres": "#2b59a8"}
OVER = "#b42318"


def plot(record: dict[str, Any], path: Path) -> None:
    """Each action as a share of its budget (1.0 = on budget), one bar per
    back end (red: over), with the workstation mix at 1 and at 10 (or the
    largest count up to 10); saved as PNG."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.patches import Patch

    counts = {int(n) for results in record["results"].values() for n in results.get("workstations", {})}
    shown_counts = {1, max((n for n in counts if n <= 10), default=1)}
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for key, v in record["summary"].items():
        backend, name = key.split(": ", 1)
        if "workstations:" in name and int(name.split()[0]) not in shown_counts:
            continue
        rows.setdefault(name, {})[backend] = v
    backends = list(record["results"])
    names = sorted(rows, key=lambda n: max(v["value"] / v["budget"] for v in rows[n].values()))
    height = 0.8 / len(backends)
    fig, ax = pyplot.subplots(figsize=(11, 0.3 * len(names) * len(backends) + 2))
    largest, smallest = 1.25, 0.02
    for j, backend in enumerate(backends):
        for i, name in enumerate(names):
            v = rows[name].get(backend)
            if v is None:
                continue
            share = v["value"] / v["budget"]
            largest, smallest = max(largest, share), min(smallest, share)
            y = i + (j - (len(backends) - 1) / 2) * height
            ax.barh(y, share, height=height * 0.9, color=OVER if share > 1 else COLOURS.get(backend, "grey"))
            ax.text(share, y, f" {backend}: {v['value']:.0f} / {v['budget']:.0f} {v['unit']}", va="center", fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xscale("log")  # a few actions far over their budget must not flatten the rest
    ax.set_xlabel("share of the DESIGN §6 budget, log scale (1 = on budget; red: over)")
    ax.set_title(f"Harbour benchmark {record['commit']}, {record.get('people', 0):,} people, {record['date'][:16]}, "
                 f"load {record['load average at the end (1, 5, 15 min)'][0]}", fontsize=10)
    ax.set_xlim(max(smallest / 2, 1e-4), largest * 8)  # the smallest bar still shows, its label off the names
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.legend(handles=[Patch(color=COLOURS.get(b, "grey"), label=b) for b in backends]
              + [Patch(color=OVER, label="over budget")], loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    pyplot.close(fig)


def table(record: dict[str, Any]) -> Iterator[str]:
    """The record as Markdown: each single-workstation action per back end,
    then the workstation mix's p50/p95 per back end at each count."""
    backends = list(record["results"])
    yield f"{record.get('people', 0):,} people, commit {record['commit']}, {record['date']}, " \
          f"load at the end {record['load average at the end (1, 5, 15 min)']}"
    yield "| action | budget | " + " | ".join(backends) + " |"
    yield "|---|---|" + "---|" * len(backends)
    names = dict.fromkeys(k.split(": ", 1)[1] for k in record["summary"] if "workstations:" not in k)
    for name in names:
        cells = [record["summary"].get(f"{b}: {name}") for b in backends]
        unit = next(c["unit"] for c in cells if c)
        budget = next(c["budget"] for c in cells if c)
        yield f"| {name} | {budget:g} {unit} | " + " | ".join(
            f"{c['value']:.1f}{' **over**' if c['value'] > c['budget'] else ''}" if c else "—" for c in cells) + " |"
    counts = sorted({int(n) for b in backends for n in record["results"][b].get("workstations", {})})
    yield ""
    yield "| workstation mix, p50 / p95 ms | budget | " + " | ".join(
        f"{b} N={n}" for b in backends for n in counts) + " |"
    yield "|---|---|" + "---|" * (len(backends) * len(counts))
    actions = sorted({a for b in backends for run in record["results"][b].get("workstations", {}).values()
                      for a in run["actions"]})
    for action in actions:
        cells = []
        for b in backends:
            for n in counts:
                s = record["results"][b]["workstations"].get(str(n), {}).get("actions", {}).get(action)
                cells.append(f"{s['p50_ms']:.0f} / {s['p95_ms']:.0f}" if s else "—")
        yield f"| {action} | {WORKSTATION_BUDGETS.get(action, '—')} | " + " | ".join(cells) + " |"
    for key in ("errors", "conflicts", "refused", "load average (1 min) at start, end"):
        yield f"| {key} | | " + " | ".join(
            str(record["results"][b]["workstations"].get(str(n), {}).get(key, "—"))
            for b in backends for n in counts) + " |"
