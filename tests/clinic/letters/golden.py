"""Golden files as hashes: a fixed letter must render to the same bytes.

The bytes depend on the reportlab release and on zlib (it compresses the
embedded fonts), not on the machine, the clock or the locale. The hashes
were recorded with the versions below; under others the check is skipped
with a reason (render the letters, look at them, then record new hashes).
"""

from __future__ import annotations

import hashlib
import zlib

import pytest
import reportlab

RECORDED_WITH = {"reportlab": "5.1.0", "zlib": "1.2.13"}


def assert_golden(pdf: bytes, expected: str) -> None:
    here = {"reportlab": reportlab.Version, "zlib": zlib.ZLIB_RUNTIME_VERSION}
    if here != RECORDED_WITH:
        pytest.skip(f"golden hashes were recorded with {RECORDED_WITH}, this is {here}")
    assert hashlib.sha256(pdf).hexdigest() == expected, (
        "The letter's bytes changed. If the change is meant, render it to PNG, look at it, "
        "and record the new hash.")
