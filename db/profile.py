"""A workstation's connection profile for a site on a PostgreSQL server.

A server site's data folder on a workstation holds no clinical data: only
``server.json`` (host, port, database, user, the site CA certificate's path)
written by ``harbour-admin connect`` or the set-up wizard. The password is
never in it: it lives in the OS keyring, or is asked for.

Connections to another machine use TLS with the server certificate checked
against the site CA and the host name (``sslmode=verify-full``). Only a
connection that never leaves this machine (a Unix socket, ``localhost``) may
go without TLS.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.engine import URL

PROFILE_FILE_NAME = "server.json"
DEFAULT_PORT = 5432
#: The hosts a connection to which never leaves this machine.
LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})

NOT_TLS = ("Harbour connects to a server on another machine only over TLS with its certificate verified "
           "(sslmode=verify-full and the site's CA certificate), so that client records never cross the "
           "network readable or reach an impostor.")


class ProfileError(Exception):
    """The profile is missing, damaged, or asks for an unsafe connection."""


@dataclass(frozen=True)
class ServerProfile:
    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    #: The site CA certificate that signed the server's; required unless local.
    ca_path: str | None = None
    #: ``verify-full`` for another machine; a local connection may say ``disable``.
    sslmode: str = "verify-full"

    @property
    def is_local(self) -> bool:
        """A Unix socket directory or the loopback interface."""
        return self.host.startswith("/") or self.host.lower() in LOCAL_HOSTS

    def check_safe(self) -> None:
        """Refuse, in one sentence, a connection that could be read or misdirected."""
        if self.is_local:
            return
        if self.sslmode != "verify-full" or not self.ca_path:
            raise ProfileError(NOT_TLS)
        if not Path(self.ca_path).is_file():
            raise ProfileError(f"The site CA certificate {self.ca_path} is missing, so the server cannot be "
                               "verified; copy it to this workstation and run harbour-admin connect again.")

    def url(self, password: str | None) -> URL:
        query: dict[str, str] = {"sslmode": "verify-full" if not self.is_local else self.sslmode,
                                 "application_name": "harbour"}
        if self.ca_path and query["sslmode"] == "verify-full":
            query["sslrootcert"] = self.ca_path
        if self.host.startswith("/"):  # a socket directory goes in the query, not the host part
            query["host"] = self.host
            return URL.create("postgresql+psycopg", username=self.user, password=password,
                              port=self.port, database=self.database, query=query)
        return URL.create("postgresql+psycopg", username=self.user, password=password,
                          host=self.host or "localhost", port=self.port, database=self.database, query=query)

    @property
    def keyring_name(self) -> str:
        """Where this workstation keeps the password in the OS keyring."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def for_server(host: str, database: str, user: str, *, port: int = DEFAULT_PORT,
               ca_path: str | None = None) -> ServerProfile:
    """The profile ``harbour-admin connect`` and the set-up wizard make from
    what was typed: verified TLS to another machine, or with a CA given;
    a connection on this machine without a CA may go without TLS."""
    host = host.strip()
    local = host.startswith("/") or host.lower() in LOCAL_HOSTS
    ca = str(Path(ca_path).expanduser().resolve()) if ca_path else None
    return ServerProfile(host=host, port=port, database=database.strip(), user=user.strip(), ca_path=ca,
                         sslmode="verify-full" if ca or not local else "prefer")


def is_server_folder(data_dir: Path) -> bool:
    return (Path(data_dir) / PROFILE_FILE_NAME).is_file()


def read(data_dir: Path) -> ServerProfile:
    path = Path(data_dir) / PROFILE_FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ServerProfile(host=str(data["host"]), database=str(data["database"]), user=str(data["user"]),
                             port=int(data.get("port", DEFAULT_PORT)), ca_path=data.get("ca_path"),
                             sslmode=str(data.get("sslmode", "verify-full")))
    except FileNotFoundError as exc:
        raise ProfileError(f"{data_dir} has no server connection profile: run harbour-admin connect.") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ProfileError(f"The connection profile {path} is damaged: run harbour-admin connect again.") from exc


def write(data_dir: Path, profile: ServerProfile) -> None:
    from db.keys import atomic_write

    profile.check_safe()
    Path(data_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(Path(data_dir) / PROFILE_FILE_NAME, json.dumps(asdict(profile), indent=2).encode("utf-8"))
