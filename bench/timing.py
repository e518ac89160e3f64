"""Timing a read the way a screen runs it: one unit of work a run, the
median of several runs, in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from clinic.uow import Clinic, UnitOfWork

REPEATS = 5  # ``python -m bench --quick`` sets 1


def median_ms(clinic: Clinic, fn: Callable[[UnitOfWork], Any], repeats: int | None = None) -> float:
    """Median of ``repeats`` runs of ``fn`` (default ``REPEATS``), each in its
    own unit of work (opening the unit of work is not timed)."""
    samples = []
    for _ in range(repeats or REPEATS):
        with clinic.unit_of_work() as uow:
            t0 = time.perf_counter()
            fn(uow)
            samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)
