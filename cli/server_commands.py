"""``harbour-admin`` for the PostgreSQL back end: ``server init``, ``connect``
and ``move-to-server``; and opening a server site for the other commands.

Passwords never come from argv: they are prompted for, or read from
standard input with ``--passphrase-stdin`` (one a line, in the order the
command asks for them).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from clinic.clock import SystemClock
from clinic.services.setup import create_server_site
from clinic.uow import Clinic
from db import audit, profile as profiles, server_admin, transfer
from db.server import ServerSite, connect_workstation, create_server_engine, key_file_text, saved_password
from db.server_refusals import unreachable
from db.site import Site, SiteError, mark_moved
from db.tables.server import SiteKeyFile

Secret = Callable[..., str]  # (prompt, *, confirm=False) -> the secret


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register the server commands on ``harbour-admin``'s parser."""
    target = argparse.ArgumentParser(add_help=False)
    target.add_argument("--host", required=True, help="server name as in its certificate (or a socket folder)")
    target.add_argument("--port", type=int, default=profiles.DEFAULT_PORT)
    target.add_argument("--database", default="harbour")
    target.add_argument("--ca", dest="ca_path", help="the site CA certificate (required unless on this machine)")

    server = sub.add_parser("server", help="prepare a PostgreSQL database for Harbour")
    actions = server.add_subparsers(dest="server_command", required=True)
    init = actions.add_parser("init", parents=[common, target], help="schema, application role, pg_hba.conf lines")
    init.add_argument("--owner", default="postgres", help="the database owner to sign in as")
    init.add_argument("--app-role", default=server_admin.DEFAULT_APP_ROLE)
    init.add_argument("--clients", default="samenet",
                      help="pg_hba.conf address field for the workstations (default: samenet)")
    init.set_defaults(run=_server_init, needs_data_dir=False)

    connect = sub.add_parser("connect", parents=[common, target],
                             help="write this workstation's connection profile for a server site")
    connect.add_argument("--user", default=server_admin.DEFAULT_APP_ROLE)
    connect.set_defaults(run=_connect)

    move = sub.add_parser("move-to-server", parents=[common],
                          help="copy this SQLCipher site into an empty server database, then retire the folder")
    move.add_argument("--to", dest="profile_dir", type=Path, required=True,
                      help="a folder holding the target's connection profile (made by connect)")
    move.set_defaults(run=_move_to_server)


def _profile(args: argparse.Namespace, user: str) -> profiles.ServerProfile:
    return profiles.for_server(args.host, args.database, user, port=args.port, ca_path=args.ca_path)


def _server_init(args: argparse.Namespace, _data_dir: Path | None, secret: Secret) -> int:
    owner = _profile(args, args.owner)
    engine = create_server_engine(owner, secret(f"Password of {args.owner} on the server: ") or None, pool_size=1)
    app_password = secret(f"New password for {args.app_role}: ")
    try:
        server_admin.init_database(engine, app_role=args.app_role, app_password=app_password)
    except OperationalError as exc:
        raise SiteError(unreachable(owner)) from exc
    finally:
        engine.dispose()
    print(f"Database {args.database} is ready: schema at the current version, role {args.app_role} may read "
          "and write records but not change the schema or the audit trail.")
    print("Add these lines to pg_hba.conf above any other line for this database, then reload the server:")
    for line in server_admin.hba_lines(args.database, args.app_role, args.clients):
        print(f"    {line}")
    print("Each workstation then runs: harbour-admin connect --data-dir DIR --host "
          f"{args.host} --database {args.database} --ca CA.pem")
    return 0


def _connect(args: argparse.Namespace, data_dir: Path, secret: Secret) -> int:
    profile = _profile(args, args.user)
    try:
        profile.check_safe()  # before asking for a password it would be sent with
    except profiles.ProfileError as exc:
        raise SiteError(str(exc)) from exc
    connected = connect_workstation(data_dir, profile, secret(f"Password of {args.user} on the server: "))
    print(f"Connection profile written to {data_dir}; the server answered over "
          f"{'TLS with its certificate verified' if profile.sslmode == 'verify-full' else 'a local connection'}.")
    print("The password is kept in this computer's keyring." if connected.password_kept else
          "No keyring here: Harbour will ask for the password each time.")
    return 0


def open_site(data_dir: Path, secret: Secret) -> Site | ServerSite:
    """The site in ``data_dir``: a SQLCipher file, or a server its profile names."""
    if not profiles.is_server_folder(data_dir):
        return Site.open_with_secret(data_dir, secret("Site passphrase: "))
    passphrase = secret("Site passphrase: ")
    return ServerSite.open_with_secret(data_dir, passphrase, password=_password(data_dir, secret))


#: A database password is typed once per workstation and kept in its keyring.
MIN_DATABASE_PASSWORD = 16


def rekey_server(data_dir: Path, secret: Secret, *, audit: Callable[[ServerSite, str], None]) -> int:
    """``harbour-admin rekey`` on a server site: the records are on the server,
    under its disk encryption and the application role's password, not under
    the data key, so the password is what is replaced (see the README)."""
    passphrase = secret("Site passphrase: ")
    site = ServerSite.open_with_secret(data_dir, passphrase, password=_password(data_dir, secret))
    try:
        new = secret(f"New password for {site.profile.user} on the server: ", confirm=True)
        if len(new) < MIN_DATABASE_PASSWORD:
            raise SiteError(f"The database password needs at least {MIN_DATABASE_PASSWORD} characters; "
                            "nothing was changed.")
        kept = site.change_database_password(new)
        audit(site, "site.database_password_changed")
    finally:
        site.close()
    print(f"The password of {site.profile.user} on the server has been replaced; the old one no longer opens "
          "new connections.")
    print("This workstation keeps the new one in its keyring." if kept else
          "No keyring here: Harbour will ask for the password each time.")
    print("Every other workstation asks for the new password at its next start "
          "(or run harbour-admin connect there again).")
    print("Not changed: the data key (it protects backups and the key slots), the site passphrase, the recovery "
          "code and the audit trail's key; harbour-admin passphrase and recovery-code replace those two.")
    return 0


def create_on_server(data_dir: Path, passphrase: str, admin: str, admin_password: str,
                     secret: Secret) -> tuple[Clinic, str]:
    """``harbour-admin init`` on a folder holding a connection profile."""
    return create_server_site(data_dir, passphrase, admin_username=admin, admin_password=admin_password,
                              clock=SystemClock(), password=_password(data_dir, secret))


def _password(data_dir: Path, secret: Secret) -> str:
    try:
        profile = profiles.read(data_dir)
    except profiles.ProfileError as exc:
        raise SiteError(str(exc)) from exc
    return saved_password(profile) or secret(f"Password of {profile.user} on the server: ")


def _move_to_server(args: argparse.Namespace, data_dir: Path, secret: Secret) -> int:
    source = Site.open_with_secret(data_dir, secret("Site passphrase: "))
    if source.moved_to:
        source.close()
        raise SiteError(f"This site was already moved to {source.moved_to}.")
    target = ServerSite.connect(args.profile_dir, _password(args.profile_dir, secret))
    where = profiles.read(args.profile_dir)
    report: list[audit.ChainReport] = []

    def finish_on_target(conn: Connection) -> None:
        conn.execute(insert(SiteKeyFile).values(id=1, content=key_file_text(source.key_file)))
        with Session(bind=conn, info=source.session_info()) as session:
            report.append(audit.verify(session, audit.stored_anchor(session)))
        if not report[0].ok:
            raise transfer.TransferFailed(f"the audit trail does not verify on the server ({report[0].problem})")

    try:
        source_chain = source.verify_audit()
        if not source_chain.ok:
            raise SiteError(f"The site's own audit trail does not verify ({source_chain.problem}); nothing was moved.")
        counts = transfer.copy_site(source.engine, target, before_commit=finish_on_target,
                                    on_progress=lambda table: print(f"  {table}", file=sys.stderr))
    except transfer.TransferFailed as exc:
        raise SiteError(f"Nothing was moved: {exc}.") from exc
    finally:
        source.close()
        target.dispose()
    mark_moved(data_dir, f"{where.host}:{where.port}/{where.database}")
    print(f"Moved {sum(counts.values()):,} rows in {len(counts)} tables; every table's row count matches and "
          f"the audit trail of {report[0].rows:,} rows verifies on the server.")
    print(f"{data_dir} is now read-only. Workstations connect with harbour-admin connect.")
    return 0
