"""From one workstation to a server: ``harbour-admin server init``, ``connect``
and ``move-to-server`` on a demo site, through the real command line; and
SQLCipher refused on a network file system."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from cli import admin
from clinic.clock import FixedClock
from clinic.demo.generate import generate
from clinic.uow import Clinic
from db import netfs, profile as profiles
from db.server import ServerSite
from db.server_admin import DEFAULT_APP_ROLE
from db.site import Site, SiteError
from db.tables import metadata
from tests.conftest import NOW, PASSPHRASE, Template
from tests.server_fixtures import PgServer

MOVE_DB = "harbour_move"


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str,
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = admin.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables
                if t.name != "site_key_file"}


def test_a_demo_site_moves_to_the_server_and_the_old_folder_refuses_writes(
        pg_server: PgServer, site_dir: Path, template_site: Template, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    source = Site.open_with_key(site_dir, template_site.data_key)
    generate(Clinic(source, FixedClock(NOW)), people_count=40, seed=7)
    before = counts(source.engine)
    source.close()
    pg_server.create_database(MOVE_DB)
    try:
        code, out, err = run(monkeypatch, capsys, "server", "init", "--host", pg_server.socket_dir,
                             "--port", str(pg_server.port), "--database", MOVE_DB, "--passphrase-stdin",
                             stdin="\nthe app role's password\n")
        assert code == 0, err
        assert f"hostssl  {MOVE_DB}  {DEFAULT_APP_ROLE}  samenet  scram-sha-256" in out
        workstation = tmp_path / "workstation"
        code, out, err = run(monkeypatch, capsys, "connect", "--data-dir", str(workstation), "--host",
                             pg_server.socket_dir, "--port", str(pg_server.port), "--database", MOVE_DB,
                             "--passphrase-stdin", stdin="the app role's password\n")
        assert code == 0, err
        assert profiles.read(workstation).user == DEFAULT_APP_ROLE

        code, out, err = run(monkeypatch, capsys, "move-to-server", "--data-dir", str(site_dir), "--to",
                             str(workstation), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n")
        assert code == 0, err
        assert "every table's row count matches" in out

        moved = ServerSite.open_with_secret(workstation, PASSPHRASE)
        try:
            assert counts(moved.engine) == before
            chain = moved.verify_audit()
            assert chain.ok and chain.rows == before["audit_log"]
            with Clinic(moved, FixedClock(NOW)).unit_of_work(write=True) as uow:  # the server takes new work
                uow.audit(None, "test.after_move", "test")
            assert moved.verify_audit().rows == before["audit_log"] + 1
        finally:
            moved.close()

        code, _, err = run(monkeypatch, capsys, "verify", "--data-dir", str(workstation), "--passphrase-stdin",
                           stdin=f"{PASSPHRASE}\n")
        assert code == 0, err

        old = Site.open_with_key(site_dir, template_site.data_key)
        try:
            assert old.moved_to and MOVE_DB in old.moved_to
            with pytest.raises(SiteError, match="moved to"), Clinic(old, FixedClock(NOW)).unit_of_work(write=True):
                pass
            with pytest.raises(OperationalError, match="readonly"), old.engine.begin() as conn:
                conn.execute(text("DELETE FROM site_settings"))
            assert old.verify_audit().ok  # still readable
        finally:
            old.close()
        code, _, err = run(monkeypatch, capsys, "move-to-server", "--data-dir", str(site_dir), "--to",
                           str(workstation), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n")
        assert code == 1 and "already moved" in err
    finally:
        pg_server.drop_database(MOVE_DB)


def test_moving_into_a_server_that_holds_a_site_changes_nothing(
        pg_server: PgServer, server_site: ServerSite, site_dir: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = counts(server_site.engine)
    code, _, err = run(monkeypatch, capsys, "move-to-server", "--data-dir", str(site_dir), "--to",
                       str(server_site.data_dir), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n\n")
    assert code == 1 and "already holds a site" in err
    assert counts(server_site.engine) == before
    assert not (site_dir / "moved-to-server.json").exists()


MOUNTS = """\
sysfs /sys sysfs rw,nosuid 0 0
/dev/sda1 / ext4 rw,relatime 0 0
//nas/clinic {share} cifs rw,vers=3.0 0 0
nas:/export {nfs} nfs4 rw 0 0
"""


@pytest.mark.parametrize("where", ["share", "nfs"])
def test_sqlcipher_refuses_a_data_folder_on_a_network_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            where: str) -> None:
    share = tmp_path / "clinic share"  # a space: /proc/mounts spells it \\040
    share.mkdir()
    mounts = tmp_path / "mounts"
    escaped = str(share).replace(" ", "\\040")
    mounts.write_text(MOUNTS.format(share=escaped if where == "share" else "/elsewhere",
                                    nfs=escaped if where == "nfs" else "/elsewhere"), encoding="utf-8")
    monkeypatch.setattr(netfs, "MOUNTS", mounts)
    assert netfs.network_filesystem(share / "site") == ("cifs" if where == "share" else "nfs4")
    assert netfs.network_filesystem(tmp_path / "local") is None
    with pytest.raises(SiteError, match=r"network file system .*PostgreSQL server"):
        Site.create(share / "site", PASSPHRASE, remember_key=False)
    assert not (share / "site").exists()


def test_a_unc_path_is_a_network_folder_on_windows() -> None:
    assert netfs.windows_network(Path("\\\\nas\\clinic\\harbour")) == "a UNC path"


def test_passphrase_and_recovery_code_commands_work_on_a_server_site(
        server_site: ServerSite, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(server_site.data_dir)
    code, _, err = run(monkeypatch, capsys, "passphrase", "--data-dir", folder, "--passphrase-stdin",
                       stdin=f"{PASSPHRASE}\n\na brand new site passphrase\n")
    assert code == 0, err
    code, out, err = run(monkeypatch, capsys, "recovery-code", "--data-dir", folder, "--passphrase-stdin",
                         stdin="a brand new site passphrase\n\n")
    assert code == 0, err
    recovery = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    ServerSite.open_with_secret(server_site.data_dir, recovery, password="").close()
    # rekey replaces the database password (tests/db/test_server_tls.py), only for who has the passphrase
    code, _, err = run(monkeypatch, capsys, "rekey", "--data-dir", folder, "--passphrase-stdin", stdin="x\n\n")
    assert code == 1 and "not right" in err


def test_backup_of_a_server_site_restores_through_the_command_line(
        server_site: ServerSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    bundle = tmp_path / "server.hbk"
    code, _, err = run(monkeypatch, capsys, "backup", "--data-dir", str(server_site.data_dir), "--to", str(bundle),
                       "--passphrase-stdin", stdin=f"{PASSPHRASE}\n\n")
    assert code == 0, err
    code, _, err = run(monkeypatch, capsys, "restore", "--data-dir", str(tmp_path / "restored"), "--from",
                       str(bundle), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n")
    assert code == 0, err
    restored = Site.open_with_secret(tmp_path / "restored", PASSPHRASE)
    try:
        on_server, in_backup = counts(server_site.engine), counts(restored.engine)
        assert in_backup | {"audit_log": in_backup["audit_log"] + 1} == on_server  # + "site.backed_up", after it
        assert restored.verify_audit().ok
    finally:
        restored.close()
