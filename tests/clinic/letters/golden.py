"""Golden files as hashes: a fixed letter must render to the same bytes.

The bytes depend on the reportlab release and on zlib (it compresses the
embedded fonts), not on the machine, the clock or the locale. The hashes
were recorded with the versions below; under others the check fails, never
skips, so CI cannot pass without comparing (render the letters, look at
them, then record new hashes and the new versions).
"""

from __future__ import annotations

import hashlib
import zlib

import pytest
import reportlab

RECORDED_WITH = {"reportlab": "5.1.0", "zlib": "1.2.13"}


def running_with() -> dict[str, str]:
    return {"reportlab": reportlab.Version, "zlib": zlib.ZLIB_RUNTIME_VERSION}


def check_versions(here: dict[str, str], recorded: dict[str, str]) -> None:
    """Fail (not skip) when the goldens cannot be compared here."""
    if here != recorded:
        pytest.fail(f"golden hashes were recorded with {recorded}, this is {here}: render the letters, "
                    "look at them, then record new hashes and RECORDED_WITH")


def assert_golden(pdf: bytes, expected: str) -> None:
    check_versions(running_with(), RECORDED_WITH)
    assert hashlib.sha256(pdf).hexdigest() == expected, (
        "The letter's bytes changed. If the change is meant, render it to PNG, look at it, "
        "and record the new hash.")
