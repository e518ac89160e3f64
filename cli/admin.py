"""``harbour-admin``: set up, fill, back up, restore, verify and rekey a site,
and replace its passphrase or recovery code.

Secrets never come from argv: with ``--passphrase-stdin`` the first line of
standard input is the site passphrase (for ``init``, the second line is the
first administrator's password); otherwise they are prompted for on the
terminal. Expected failures print one line on stderr and exit non-zero,
without a traceback.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from clinic import passwords
from clinic.clock import SystemClock
from clinic.services.setup import check_site_passphrase, create_site
from clinic.uow import Clinic
from db import audit
from db.engine import DriverError
from db.keys import harden_process
from cli import server_commands
from db.profile import is_server_folder
from db.server import ServerSite
from db.site import Site, SiteError
from db.site_lock import SiteBusy, SiteLock

EXIT_OK, EXIT_FAILED = 0, 1  # argparse itself exits 2 on a usage error


class Fail(Exception):
    """An expected failure: one line for the IT person, exit code 1."""


def main(argv: list[str] | None = None) -> int:
    harden_process()
    args = _parser().parse_args(argv)
    secrets = _secrets(args.passphrase_stdin)
    try:
        data_dir = _data_dir(args) if getattr(args, "needs_data_dir", True) else None
        return int(args.run(args, data_dir, secrets) or EXIT_OK)
    except (Fail, SiteError, SiteBusy, passwords.PasswordRejected, ValueError) as exc:
        print(f"harbour-admin: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("harbour-admin: interrupted; nothing further was changed", file=sys.stderr)
        return EXIT_FAILED
    except (OSError, DBAPIError, DriverError) as exc:  # M9, m16: the disk, named as such; never a traceback
        print(f"harbour-admin: {_storage_failure(exc, args)}", file=sys.stderr)
        return EXIT_FAILED


def _storage_failure(exc: BaseException, args: argparse.Namespace) -> str:
    cause = getattr(exc, "orig", None) or exc
    name = str(getattr(cause, "sqlite_errorname", ""))
    where = args.data_dir or os.environ.get("HARBOUR_DATA_DIR") or "the data folder"
    if getattr(cause, "errno", None) == errno.ENOSPC or name.startswith("SQLITE_FULL"):
        return f"the disk holding {where} is full; what this command was doing was not saved"
    if getattr(cause, "errno", None) == errno.EROFS or name.startswith("SQLITE_READONLY"):
        return f"{where} is on read-only media; nothing was changed"
    detail = getattr(cause, "strerror", None) or cause
    return f"the command failed and was rolled back: {detail}"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="harbour-admin", description=__doc__.split("\n")[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="the site's data folder (or set HARBOUR_DATA_DIR)")
    common.add_argument("--passphrase-stdin", action="store_true",
                        help="read the passphrase (and for init the admin password) from standard input")
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", parents=[common], help="set up a new site and print its recovery code")
    init.add_argument("--admin", default="admin", help="username of the first administrator")
    init.set_defaults(run=_init)
    demo = sub.add_parser("demo", parents=[common], help="fill a site with reproducible synthetic people")
    demo.add_argument("--people", type=int, required=True)
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(run=_demo)
    backup = sub.add_parser("backup", parents=[common], help="write an encrypted backup")
    backup.add_argument("--to", type=Path, required=True)
    backup.add_argument("--overwrite", action="store_true", help="replace an existing backup file at --to")
    backup.set_defaults(run=_backup)
    restore = sub.add_parser("restore", parents=[common], help="restore a backup into an empty data folder")
    restore.add_argument("--from", dest="source", type=Path, required=True)
    restore.set_defaults(run=_restore)
    sub.add_parser("verify", parents=[common], help="check integrity, references and the audit trail"
                   ).set_defaults(run=_verify)
    sub.add_parser("rekey", parents=[common], help="replace the data key and print a new recovery code; "
                   "on a server site, replace the database password instead").set_defaults(run=_rekey)
    sub.add_parser("passphrase", parents=[common],
                   help="replace the site passphrase (stdin: current, then new)").set_defaults(run=_passphrase)
    sub.add_parser("recovery-code", parents=[common],
                   help="issue a new recovery code; the old one stops working").set_defaults(run=_recovery_code)
    # Server back end (cli/server_commands.py): server init, connect, move-to-server.
    server_commands.add_commands(sub, common)
    return p


def _data_dir(args: argparse.Namespace) -> Path:
    chosen = args.data_dir or os.environ.get("HARBOUR_DATA_DIR")
    if not chosen:
        raise Fail("say which site: --data-dir DIR or HARBOUR_DATA_DIR")
    return Path(chosen).expanduser()


def _secrets(from_stdin: bool) -> Callable[..., str]:
    """Each call returns the next secret: a line of stdin, or a prompt.
    ``confirm`` asks twice at a terminal (a typo must not become the site passphrase, m20)."""
    lines: Iterator[str] | None = iter(sys.stdin.read().splitlines()) if from_stdin else None

    def next_secret(prompt: str, *, confirm: bool = False) -> str:
        if lines is not None:
            try:
                return next(lines)
            except StopIteration:
                raise Fail(f"standard input ended before the {prompt.lower().rstrip(': ')}") from None
        if not sys.stdin.isatty():
            raise Fail("no terminal to ask for secrets on: use --passphrase-stdin")
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass(f"{prompt.rstrip(': ')} again: ") != first:
            raise Fail("the two entries are not the same; nothing was changed")
        return first

    return next_secret


def _open(data_dir: Path, secret: Callable[..., str]) -> Site | ServerSite:
    if not data_dir.is_dir():
        raise Fail(f"{data_dir} is not a folder")
    site = server_commands.open_site(data_dir, secret)
    if isinstance(site, Site):
        _tell(site)
    return site


@contextmanager
def _site_lock(data_dir: Path) -> Iterator[None]:
    """The site's exclusive lock (the one the application holds), for the
    commands that rewrite the key file: one key change at a time (C1)."""
    if not data_dir.is_dir():
        raise Fail(f"{data_dir} is not a folder")
    lock = SiteLock(data_dir)
    lock.acquire()  # an OSError (full disk, read-only media) is named by main()
    try:
        yield
    finally:
        lock.release()


def _tell(site: Site) -> None:
    """Say what opening finished (an interrupted rekey), on its own line."""
    if site.notice:
        print(f"harbour-admin: {site.notice}", file=sys.stderr)


def _init(args: argparse.Namespace, data_dir: Path, secret: Callable[..., str]) -> int:
    passphrase = secret("New site passphrase: ", confirm=True)
    check_site_passphrase(passphrase)
    admin_password = secret(f"Password for {args.admin}: ", confirm=True)
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise Fail(f"cannot make the folder {data_dir}: {exc.strerror or exc}") from exc
    if is_server_folder(data_dir):  # a profile made by harbour-admin connect: the site goes on the server
        clinic, recovery = server_commands.create_on_server(data_dir, passphrase, args.admin, admin_password, secret)
        clinic.site.close()
    else:
        with _site_lock(data_dir):
            clinic, recovery = create_site(data_dir, passphrase, admin_username=args.admin,
                                           admin_password=admin_password, clock=SystemClock())
            clinic.site.close()
    print(f"Site created in {data_dir}.")
    print()
    print("RECOVERY CODE (shown once: print it and lock it away):")
    print(f"    {recovery}")
    print()
    print("The site passphrase and this code are the only ways into the data.")
    print("If both are lost, the data cannot be recovered by anyone.")
    return EXIT_OK


def _demo(args: argparse.Namespace, data_dir: Path, secret: Callable[..., str]) -> int:
    from clinic.demo.generate import generate  # heavy imports only when needed

    site = _open(data_dir, secret)
    started = time.perf_counter()
    try:
        counts = generate(Clinic(site, SystemClock()), people_count=args.people, seed=args.seed,
                          on_progress=lambda step: print(f"  {step}", file=sys.stderr))
    finally:
        site.close()
    summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
    print(f"Demo data added in {time.perf_counter() - started:.1f} s: {summary}.")
    return EXIT_OK


def _backup(args: argparse.Namespace, data_dir: Path, secret: Callable[..., str]) -> int:
    passphrase = secret("Site passphrase: ")
    if not data_dir.is_dir():
        raise Fail(f"{data_dir} is not a folder")
    overwrite = args.overwrite or (args.to.is_file() and not args.passphrase_stdin and _confirm(
        f"{args.to} already exists. Replace it? [y/N] "))
    site = _open(data_dir, lambda prompt, **kw: passphrase if prompt == "Site passphrase: " else secret(prompt, **kw))
    try:
        site.backup(args.to, overwrite=overwrite, secret=passphrase)
        _audit(site, "site.backed_up")
    finally:
        site.close()
    print(f"Encrypted backup written to {args.to} and checked by restoring it. "
          "It opens with the site passphrase or recovery code.")
    seq, digest = site.last_backup_head or (0, "")
    print(f"Audit trail head in this backup: row {seq}, {digest[:16]} (a copy kept outside the site).")
    return EXIT_OK


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return input(question).strip().lower() in ("y", "yes")


def _restore(args: argparse.Namespace, data_dir: Path, secret: Callable[..., str]) -> int:
    passphrase = secret("Passphrase of the backed-up site: ")
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise Fail(f"cannot make the folder {data_dir}: {exc.strerror or exc}") from exc
    with _site_lock(data_dir):
        site = Site.restore(args.source, data_dir, passphrase)
        site.close()
    print(f"Restored into {data_dir}; integrity and audit trail checked.")
    return EXIT_OK


def _verify(args: argparse.Namespace, data_dir: Path, secret: Callable[..., str]) -> int:
    """Read-only (m19): no migration, no key-file change, no file made, no keyring."""
    if not data_dir.is_dir():
        raise Fail(f"{data_dir} is not a folder")
    site: Site | ServerSite
    if is_server_folder(data_dir):
        site = server_commands.open_site(data_dir, secret)
    else:
        site = Site.open_with_secret(data_dir, secret("Site passphrase: "), read_only=True)
    try:
        report = site.integrity()
        try:
            chain = site.verify_audit()
        except DBAPIError:  # a damaged page under the trail: the integrity report says where (M7)
            chain = audit.ChainReport(0, None, "the audit trail cannot be read (see the damage above)")
    finally:
        site.close()
    problems = [f"encryption: {p}" for p in report.cipher_problems]
    problems += [f"integrity: {p}" for p in report.integrity_problems]
    problems += [f"broken reference: {p}" for p in report.foreign_key_problems]
    if not chain.ok:
        problems.append(f"audit trail: {chain.problem}")
    elif not chain.keyed:
        problems.append("audit trail: not keyed yet (made by an older Harbour): open the site once with this "
                        "version, then run verify again")
    if problems:
        for line in problems:
            print(f"harbour-admin: {line}", file=sys.stderr)
        return EXIT_FAILED
    print(f"OK: database intact, references sound, audit trail of {chain.rows:,} rows verified.")
    return EXIT_OK


def _rekey(args: argparse.Namespace, data_dir: Path, secret: Callable[..., str]) -> int:
    if is_server_folder(data_dir):  # the server holds the records: its password is what is replaced
        return server_commands.rekey_server(data_dir, secret, audit=_audit)
    passphrase = secret("Site passphrase: ")
    with _site_lock(data_dir):
        site = Site.open_with_secret(data_dir, passphrase)
        _tell(site)
        try:
            recovery = site.rekey(passphrase)
            # Shown before the old slots go: killed here, the old code still works (M12).
            print("NEW RECOVERY CODE (shown once: print it and lock it away):")
            print(f"    {recovery}", flush=True)
            site.finish_rekey()
            _audit(site, "site.rekeyed")
        finally:
            site.close()
    print("The database has a new key. The old recovery code no longer works.")
    return EXIT_OK


def _passphrase(args: argparse.Namespace, data_dir: Path, secret: Callable[..., str]) -> int:
    with _site_lock(data_dir):
        return _passphrase_locked(data_dir, secret)


def _passphrase_locked(data_dir: Path, secret: Callable[..., str]) -> int:
    site = _open(data_dir, secret)
    try:
        new = secret("New site passphrase: ", confirm=True)
        check_site_passphrase(new)
        site.change_passphrase(new, finish=False)
        # Said before the old one goes: killed here, the old passphrase still works.
        print("The site passphrase has been replaced. The recovery code still works.", flush=True)
        site.finish_key_change("passphrase")
        _audit(site, "site.passphrase_changed")
    finally:
        site.close()
    return EXIT_OK


def _recovery_code(args: argparse.Namespace, data_dir: Path, secret: Callable[..., str]) -> int:
    with _site_lock(data_dir):
        site = _open(data_dir, secret)
        try:
            code = site.new_recovery_code(finish=False)
            # Shown before the old one goes: killed here, the old code still works.
            print("NEW RECOVERY CODE (shown once: print it and lock it away; the old code no longer works):")
            print(f"    {code}", flush=True)
            site.finish_key_change("recovery")
            _audit(site, "site.recovery_code_replaced")
        finally:
            site.close()
    return EXIT_OK


def _audit(site: Site | ServerSite, action: str) -> None:
    """Whole-site operations from the terminal are on the trail too."""
    with Clinic(site, SystemClock()).unit_of_work(write=True) as uow:
        uow.audit(None, action, "site", site.key_file.site_id)


if __name__ == "__main__":
    raise SystemExit(main())
