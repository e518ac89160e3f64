"""Running ``harbour-admin`` as real processes, for the tests that race them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE_PASS = "a site passphrase for the cli"
ADMIN_PASS = "an admin password for the cli"


def env() -> dict[str, str]:
    return {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "PYTHONPATH": str(ROOT)}


def start(*argv: str, stdin: str = "") -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-m", "cli.admin", *argv], cwd=ROOT, env=env(), text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    proc.stdin = None  # so communicate() does not flush it again
    return proc


def admin(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    proc = start(*argv, stdin=stdin)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def recovery_code(out: str) -> str | None:
    codes = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    return codes[-1] if codes else None


def opens(site: Path, secret: str) -> bool:
    return admin("verify", "--data-dir", str(site), "--passphrase-stdin", stdin=secret)[0] == 0
