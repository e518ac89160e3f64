"""Tests for cli.admin: the harbour-admin commands, their exit codes and messages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cli import admin
from db.site import DB_FILE_NAME
from tests.conftest import PASSPHRASE

SITE_PASS = "a site passphrase for the cli"
ADMIN_PASS = "an admin password for the cli"


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str,
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = admin.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    site = tmp_path / "site"
    code, out, _ = run(monkeypatch, capsys, "init", "--data-dir", str(site), "--passphrase-stdin",
                       stdin=f"{SITE_PASS}\n{ADMIN_PASS}\n")
    assert code == 0
    recovery = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    return site, recovery


def test_init_prints_recovery_code_once_and_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    site, recovery = init(tmp_path, monkeypatch, capsys)
    assert len(recovery.split("-")) == 8
    assert (site / DB_FILE_NAME).exists()
    code, _, err = run(monkeypatch, capsys, "init", "--data-dir", str(site), "--passphrase-stdin",
                       stdin=f"{SITE_PASS}\n{ADMIN_PASS}\n")
    assert code == 1 and "already holds a Harbour site" in err and "Traceback" not in err


def test_backup_restore_verify_rekey_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    site, recovery = init(tmp_path, monkeypatch, capsys)
    bundle = tmp_path / "site.hbk"
    assert run(monkeypatch, capsys, "backup", "--data-dir", str(site), "--to", str(bundle),
               "--passphrase-stdin", stdin=SITE_PASS)[0] == 0
    restored = tmp_path / "restored"
    restored.mkdir()
    assert run(monkeypatch, capsys, "restore", "--data-dir", str(restored), "--from", str(bundle),
               "--passphrase-stdin", stdin=SITE_PASS)[0] == 0
    code, out, _ = run(monkeypatch, capsys, "verify", "--data-dir", str(restored), "--passphrase-stdin",
                       stdin=SITE_PASS)
    assert code == 0 and "audit trail" in out
    code, out, _ = run(monkeypatch, capsys, "rekey", "--data-dir", str(site), "--passphrase-stdin", stdin=SITE_PASS)
    assert code == 0 and "NEW RECOVERY CODE" in out
    code, _, err = run(monkeypatch, capsys, "verify", "--data-dir", str(site), "--passphrase-stdin", stdin=recovery)
    assert code == 1 and "not right" in err  # the old recovery code is retired
    assert run(monkeypatch, capsys, "verify", "--data-dir", str(site), "--passphrase-stdin", stdin=SITE_PASS)[0] == 0


def test_wrong_passphrase_is_one_line_without_traceback(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(monkeypatch, capsys, "verify", "--data-dir", str(site_dir), "--passphrase-stdin",
                       stdin="wrong passphrase")
    assert code == 1 and err.count("\n") == 1 and "not right" in err
    code, _, err = run(monkeypatch, capsys, "verify", "--data-dir", str(site_dir), "--passphrase-stdin",
                       stdin=PASSPHRASE)
    assert code == 0, err


def test_verify_names_the_first_bad_audit_row(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str], template_site) -> None:  # type: ignore[no-untyped-def]
    from tests.db.test_audit import raw_sql

    raw_sql(site_dir, template_site.data_key, "DROP TRIGGER audit_log_no_update",
            "UPDATE audit_log SET action = 'forged' WHERE seq = 2")
    code, _, err = run(monkeypatch, capsys, "verify", "--data-dir", str(site_dir), "--passphrase-stdin",
                       stdin=PASSPHRASE)
    assert code == 1 and "row 2" in err


def test_data_dir_is_required_and_secrets_never_come_from_argv(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HARBOUR_DATA_DIR", raising=False)
    code, _, err = run(monkeypatch, capsys, "verify", "--passphrase-stdin", stdin=SITE_PASS)
    assert code == 1 and "--data-dir" in err
    with pytest.raises(SystemExit) as exit_info:
        admin.main(["verify", "--data-dir", "x", "--passphrase", SITE_PASS])
    assert exit_info.value.code == 2


def test_without_a_terminal_or_stdin_flag_it_refuses_to_prompt(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(monkeypatch, capsys, "verify", "--data-dir", str(site_dir))
    assert code == 1 and "--passphrase-stdin" in err


def test_replace_passphrase_then_recovery_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    site, recovery = init(tmp_path, monkeypatch, capsys)
    code, _, err = run(monkeypatch, capsys, "passphrase", "--data-dir", str(site), "--passphrase-stdin",
                       stdin=f"{SITE_PASS}\nshort\n")
    assert code == 1 and "at least 10" in err
    assert run(monkeypatch, capsys, "passphrase", "--data-dir", str(site), "--passphrase-stdin",
               stdin=f"{SITE_PASS}\nthe replacement passphrase\n")[0] == 0
    assert run(monkeypatch, capsys, "verify", "--data-dir", str(site), "--passphrase-stdin", stdin=SITE_PASS)[0] == 1
    assert run(monkeypatch, capsys, "verify", "--data-dir", str(site), "--passphrase-stdin", stdin=recovery)[0] == 0
    code, out, _ = run(monkeypatch, capsys, "recovery-code", "--data-dir", str(site), "--passphrase-stdin",
                       stdin="the replacement passphrase")
    new_code = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    assert code == 0 and new_code != recovery
    assert run(monkeypatch, capsys, "verify", "--data-dir", str(site), "--passphrase-stdin", stdin=recovery)[0] == 1
    assert run(monkeypatch, capsys, "verify", "--data-dir", str(site), "--passphrase-stdin", stdin=new_code)[0] == 0
