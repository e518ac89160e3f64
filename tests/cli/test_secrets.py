"""M15, m11, m12, m20: secrets are hard to take."""

from __future__ import annotations

import contextlib
import io
import json
import resource
import stat
from pathlib import Path
from unittest import mock

import pytest

from cli import admin as cli_admin
from db import keys
from db.site import DB_FILE_NAME, Site
from tests.cli.helpers import ADMIN_PASS, SITE_PASS

NEW_PASS = "another long site passphrase 42"


def run(*argv: str, stdin: str = "", tty: list[str] | None = None) -> tuple[int, str, str]:
    """harbour-admin in this process; ``tty`` answers the getpass prompts in order."""
    out, err = io.StringIO(), io.StringIO()
    answers = iter(tty or [])
    with contextlib.ExitStack() as stack:
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        fake_stdin = io.StringIO(stdin)
        if tty is not None:
            fake_stdin.isatty = lambda: True  # type: ignore[method-assign]
            stack.enter_context(mock.patch("getpass.getpass", lambda _prompt: next(answers)))
        stack.enter_context(mock.patch("sys.stdin", fake_stdin))
        code = cli_admin.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def init(site: Path, passphrase: str = SITE_PASS) -> tuple[int, str, str]:
    return run("init", "--data-dir", str(site), "--passphrase-stdin", stdin=f"{passphrase}\n{ADMIN_PASS}\n")


@pytest.mark.parametrize("weak", ["aaaaaaaaaa", "password12", " " * 10, "1234567890", "qwertyuiop"])
def test_weak_site_passphrases_are_refused_saying_why(tmp_path: Path, weak: str) -> None:
    """M15: length >= 10 was the only rule; all of these were accepted."""
    code, _, err = init(tmp_path / "site", weak)
    assert code == 1 and err.count("\n") == 1 and "too easy to guess" in err, err
    assert not (tmp_path / "site" / keys.KEY_FILE_NAME).exists()


def test_passphrase_change_refuses_a_weak_one(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert init(site)[0] == 0
    code, _, err = run("passphrase", "--data-dir", str(site), "--passphrase-stdin", stdin=f"{SITE_PASS}\npassword12")
    assert code == 1 and "too easy to guess" in err
    Site.open_with_secret(site, SITE_PASS).close()


def test_interactive_init_and_passphrase_ask_twice(tmp_path: Path) -> None:
    """m20: asked once, a typo became the site passphrase."""
    site = tmp_path / "site"
    code, _, err = run("init", "--data-dir", str(site), tty=[SITE_PASS, SITE_PASS + "x"])
    assert code == 1 and "not the same" in err and not (site / keys.KEY_FILE_NAME).exists()
    code, _, err = run("init", "--data-dir", str(site), tty=[SITE_PASS, SITE_PASS, ADMIN_PASS, ADMIN_PASS])
    assert code == 0, err
    code, _, err = run("passphrase", "--data-dir", str(site), tty=[SITE_PASS, NEW_PASS, NEW_PASS + "x"])
    assert code == 1 and "not the same" in err
    Site.open_with_secret(site, SITE_PASS).close()


def test_data_folder_key_file_database_and_backups_are_private(tmp_path: Path) -> None:
    """M15: all were 0644 and the folder 0755: any local account could copy the key file."""
    site = tmp_path / "site"
    assert init(site)[0] == 0
    assert stat.S_IMODE(site.stat().st_mode) == 0o700
    for name in (keys.KEY_FILE_NAME, DB_FILE_NAME, "audit.anchor"):
        assert stat.S_IMODE((site / name).stat().st_mode) == 0o600, name
    assert run("backup", "--data-dir", str(site), "--to", str(tmp_path / "b.hbk"), "--passphrase-stdin",
               stdin=SITE_PASS)[0] == 0
    assert stat.S_IMODE((tmp_path / "b.hbk").stat().st_mode) == 0o600
    assert run("restore", "--data-dir", str(tmp_path / "r"), "--from", str(tmp_path / "b.hbk"),
               "--passphrase-stdin", stdin=SITE_PASS)[0] == 0
    assert stat.S_IMODE((tmp_path / "r").stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "r").iterdir()} == {0o600}
    assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)  # m12: no core dump holds the key


def test_kdf_parameters_are_read_from_the_slot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """m11: the stored t/m/p were ignored, so a later, costlier default would lock out every site."""
    data_key = keys.new_data_key()
    keys.write(tmp_path, keys.new_key_file(data_key, SITE_PASS, keys.new_recovery_code()))
    monkeypatch.setattr(keys, "KDF_MEMORY_KIB", 2 * keys.KDF_MEMORY_KIB)
    assert keys.unwrap(keys.read(tmp_path), SITE_PASS)[0][0] == data_key
    data = json.loads((tmp_path / keys.KEY_FILE_NAME).read_text())
    data["slots"][0]["m"] = "8"  # an edited, absurd cost is refused, not ignored
    (tmp_path / keys.KEY_FILE_NAME).write_text(json.dumps(data))
    with pytest.raises(keys.KeyFileError, match="damaged"):
        keys.read(tmp_path)


def test_harbour_admin_keeps_the_key_out_of_the_keyring(tmp_path: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    """m12: every harbour-admin command that opened a site stored the raw key in the keyring."""
    site = tmp_path / "site"
    assert init(site)[0] == 0
    memory_keyring.items.clear()
    d = ("--data-dir", str(site), "--passphrase-stdin")
    assert run("verify", *d, stdin=SITE_PASS)[0] == 0
    assert run("backup", *d, "--to", str(tmp_path / "b.hbk"), stdin=SITE_PASS)[0] == 0
    assert run("rekey", *d, stdin=SITE_PASS)[0] == 0
    assert run("passphrase", *d, stdin=f"{SITE_PASS}\n{NEW_PASS}")[0] == 0
    assert memory_keyring.items == {}
