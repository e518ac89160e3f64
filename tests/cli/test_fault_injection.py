"""Acceptance of issue 13: several processes run key operations, backups and
service writes on one site at once for a bounded time, some killed (SIGKILL)
at random points. Afterwards every committed write is present, ``verify``
passes, and the passphrase and recovery code reported last both open the site,
and every backup reported written restores.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from db.site import Site
from db.tables.people import Person
from tests.cli.helpers import (
    SITE_PASS,
    admin,
    committed,
    new_site,
    opens,
    recovery_code,
    start,
    start_writer,
)

CHAOS_SECONDS = 20
MAX_RUNNING = 2  # key operations and backups at once (besides the writer); a second key change is refused
OTHER_PASS = "a second long site passphrase 77"


@dataclass
class Chaos:
    site: Path
    passphrase: str
    code: str
    rng: random.Random
    writes: set[str] = field(default_factory=set)
    backups: list[Path] = field(default_factory=list)
    killed: int = 0
    finished: int = 0

    def reported(self, command: str, stdin: str, out: str, done: bool, target: Path | None) -> None:
        """What the tool told the user, in the order it told it."""
        printed = recovery_code(out)
        if command in ("rekey", "recovery-code") and printed:
            self.code = printed
        if command == "passphrase" and "has been replaced" in out:
            self.passphrase = stdin.splitlines()[1]
        if command == "backup" and done and target is not None:
            self.backups.append(target)


def spawn_key_or_backup(chaos: Chaos, n: int) -> tuple[str, str, subprocess.Popen[str], Path | None]:
    d = ("--data-dir", str(chaos.site), "--passphrase-stdin")
    command = chaos.rng.choice(["rekey", "recovery-code", "passphrase", "backup", "backup"])
    target = None
    if command == "passphrase":
        new = OTHER_PASS if chaos.passphrase == SITE_PASS else SITE_PASS
        stdin = f"{chaos.passphrase}\n{new}"
        proc = start(command, *d, stdin=stdin)
    elif command == "backup":
        target = chaos.site.parent / f"chaos-{n}.hbk"
        stdin = chaos.passphrase
        proc = start(command, *d, "--to", str(target), stdin=stdin)
    else:
        stdin = chaos.passphrase
        proc = start(command, *d, stdin=stdin)
    return command, stdin, proc, target


@pytest.fixture(scope="module")
def chaos_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    site = tmp_path_factory.mktemp("chaos-base") / "site"
    return site, new_site(site)


@pytest.mark.slow
def test_random_kills_during_key_operations_backups_and_writes(chaos_base: tuple[Path, str], tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(chaos_base[0], site)
    chaos = Chaos(site, SITE_PASS, chaos_base[1], random.Random(13))
    writers: list[subprocess.Popen[str]] = []
    ops: list[tuple[str, str, subprocess.Popen[str], Path | None, float | None]] = []
    writers.append(start_writer(site, 10_000, "W0", chaos.passphrase, log=tmp_path / "writer-0.log"))
    while "COMMITTED" not in (tmp_path / "writer-0.log").read_text():  # the clock starts with the writes
        assert writers[0].poll() is None, (tmp_path / "writer-0.log").read_text()
        time.sleep(0.05)
    n, deadline, next_op = 0, time.monotonic() + CHAOS_SECONDS, 0.0
    while time.monotonic() < deadline:
        now = time.monotonic()
        if not any(w.poll() is None for w in writers):
            writers.append(start_writer(site, 10_000, f"W{len(writers)}", chaos.passphrase,
                                        log=tmp_path / f"writer-{len(writers)}.log"))
        if now >= next_op and len(ops) < MAX_RUNNING:
            command, stdin, proc, target = spawn_key_or_backup(chaos, n)
            kill_at = now + chaos.rng.uniform(0.5, 6.0) if chaos.rng.random() < 0.4 else None
            ops.append((command, stdin, proc, target, kill_at))
            n, next_op = n + 1, now + chaos.rng.uniform(0.6, 1.6)
        for i, writer in enumerate(writers):
            log = tmp_path / f"writer-{i}.log"
            if writer.poll() is None and "COMMITTED" in log.read_text() and chaos.rng.random() < 0.01:
                writer.kill()  # a writer killed mid-transaction, or between commit and report
        for item in list(ops):
            command, stdin, proc, target, kill_at = item
            if kill_at is not None and time.monotonic() >= kill_at and proc.poll() is None:
                proc.kill()
                chaos.killed += 1
                ops[ops.index(item)] = item = (command, stdin, proc, target, None)
            if proc.poll() is not None:
                out, _ = proc.communicate()
                chaos.reported(command, stdin, out, proc.returncode == 0, target)
                chaos.finished += 1
                ops.remove(item)
        time.sleep(0.02)
    if not chaos.killed:  # a loaded machine ran too few operations for a random kill: kill one for sure
        command, stdin, proc, target = spawn_key_or_backup(chaos, n)
        time.sleep(chaos.rng.uniform(0.3, 1.0))
        if proc.poll() is None:
            proc.kill()
            chaos.killed += 1
        ops.append((command, stdin, proc, target, None))
    t_chaos = time.monotonic()
    for command, stdin, proc, target, _ in ops:  # the time is up: the last ones are killed where they are
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.1, t_chaos + 8 - time.monotonic()))
        if proc.poll() is None:
            proc.kill()
            chaos.killed += 1
        out, _ = proc.communicate(timeout=60)
        chaos.reported(command, stdin, out, proc.returncode == 0, target)
    t_drain = time.monotonic()
    for i, writer in enumerate(writers):
        writer.kill()
        writer.wait()
        chaos.writes.update(committed((tmp_path / f"writer-{i}.log").read_text()))

    assert chaos.killed and chaos.writes, "the trial did nothing"
    code, out, err = admin("verify", "--data-dir", str(site), "--passphrase-stdin", stdin=chaos.passphrase)
    assert code == 0, err
    assert opens(site, chaos.code), "the recovery code reported last does not open the site"
    opened = Site.open_with_secret(site, chaos.passphrase, read_only=True)
    with opened.sessions()() as session:
        present = set(session.execute(select(Person.surname).where(Person.surname.like("Kill%"))).scalars())
    opened.close()
    assert chaos.writes <= present, f"{len(chaos.writes - present)} committed writes are missing"
    t_check = time.monotonic()
    if chaos.backups:  # the last one reported written restores (with the passphrase of its time)
        bundle, restored = chaos.backups[-1], False
        for i, secret in enumerate(dict.fromkeys((chaos.passphrase, SITE_PASS, OTHER_PASS))):
            rc, _, err = admin("restore", "--data-dir", str(tmp_path / f"r{i}"), "--from", str(bundle),
                               "--passphrase-stdin", stdin=secret)
            if rc == 0:
                restored = True
                break
            assert "not right" in err, err
        assert restored
    print(f"chaos: {chaos.finished + len(ops)} operations, {chaos.killed} killed, {len(writers)} writers, "
          f"{len(chaos.writes)} committed writes, {len(chaos.backups)} backups; drain {t_drain - t_chaos:.1f} s, "
          f"checks {t_check - t_drain:.1f} s, restore {time.monotonic() - t_check:.1f} s")
