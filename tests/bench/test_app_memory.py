"""The benchmark's memory figure is the application's own, not its parent's."""

from __future__ import annotations

import subprocess
import sys


def test_a_child_reports_its_own_peak_not_the_benchmark_processs() -> None:
    """The benchmark builds the site (hundreds of MB) and then starts the
    application as a child: ``ru_maxrss`` would carry the builder's peak into
    the child through fork and exec, and the report showed 430 MB for an
    application that peaked at 340."""
    grown = bytearray(300 * 2**20)
    grown[::4096] = b"x" * len(grown[::4096])  # resident, not just reserved
    done = subprocess.run([sys.executable, "-c", "from bench.app_memory import peak_resident_mb; "
                           "print(peak_resident_mb())"], check=True, capture_output=True, text=True)
    del grown
    assert 0 < int(done.stdout) < 200
