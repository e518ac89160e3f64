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
import getpass
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from clinic import passwords
from clinic.clock import SystemClock
from clinic.services.setup import create_site
from clinic.uow import Clinic
from cli import server_commands
from db.profile import is_server_folder
from db.server import ServerSite
from db.site import Site, SiteError

EXIT_OK, EXIT_FAILED = 0, 1  # argparse itself exits 2 on a usage error


class Fail(Exception):
    """An expected failure: one line for the IT person, exit code 1."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    secrets = _secrets(args.passphrase_stdin)
    try:
        data_dir = _data_dir(args) if getattr(args, "needs_data_dir", True) else None
        return int(args.run(args, data_dir, secrets) or EXIT_OK)
    except (Fail, SiteError, passwords.PasswordRejected, ValueError) as exc:
        print(f"harbour-admin: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("harbour-admin: interrupted; nothing further was changed", file=sys.stderr)
        return EXIT_FAILED


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
    backup.set_defaults(run=_backup)
    restore = sub.add_parser("restore", parents=[common], help="restore a backup into an empty data folder")
    restore.add_argument("--from", dest="source", type=Path, required=True)
    restore.set_defaults(run=_restore)
    sub.add_parser("verify", parents=[common], help="check integrity, references and the audit trail"
                   ).set_defaults(run=_verify)
    sub.add_parser("rekey", parents=[common], help="replace the data key; prints a new recovery code"
                   ).set_defaults(run=_rekey)
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


def _secrets(from_stdin: bool) -> Callable[[str], str]:
    """Each call returns the next secret: a line of stdin, or a prompt."""
    lines: Iterator[str] | None = iter(sys.stdin.read().splitlines()) if from_stdin else None

    def next_secret(prompt: str) -> str:
        if lines is not None:
            try:
                return next(lines)
            except StopIteration:
                raise Fail(f"standard input ended before the {prompt.lower().rstrip(': ')}") from None
        if not sys.stdin.isatty():
            raise Fail("no terminal to ask for secrets on: use --passphrase-stdin")
        return getpass.getpass(prompt)

    return next_secret


def _open(data_dir: Path, secret: Callable[[str], str]) -> Site | ServerSite:
    if not data_dir.is_dir():
        raise Fail(f"{data_dir} is not a folder")
    return server_commands.open_site(data_dir, secret)


def _init(args: argparse.Namespace, data_dir: Path, secret: Callable[[str], str]) -> int:
    passphrase = secret("New site passphrase: ")
    admin_password = secret(f"Password for {args.admin}: ")
    if is_server_folder(data_dir):  # a profile made by harbour-admin connect: the site goes on the server
        clinic, recovery = server_commands.create_on_server(data_dir, passphrase, args.admin, admin_password, secret)
    else:
        clinic, recovery = create_site(data_dir, passphrase, admin_username=args.admin,
                                       admin_password=admin_password, clock=SystemClock())
    clinic.site.close()
    print(f"Site created in {data_dir}.")
    print("")
    print("RECOVERY CODE (shown once: print it and lock it away):")
    print(f"    {recovery}")
    print("")
    print("The site passphrase and this code are the only ways into the data.")
    print("If both are lost, the data cannot be recovered by anyone.")
    return EXIT_OK


def _demo(args: argparse.Namespace, data_dir: Path, secret: Callable[[str], str]) -> int:
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


def _backup(args: argparse.Namespace, data_dir: Path, secret: Callable[[str], str]) -> int:
    site = _open(data_dir, secret)
    try:
        site.backup(args.to)
        _audit(site, "site.backed_up")
    finally:
        site.close()
    print(f"Encrypted backup written to {args.to}. It opens with the site passphrase or recovery code.")
    return EXIT_OK


def _restore(args: argparse.Namespace, data_dir: Path, secret: Callable[[str], str]) -> int:
    site = Site.restore(args.source, data_dir, secret("Passphrase of the backed-up site: "))
    site.close()
    print(f"Restored into {data_dir}; integrity and audit trail checked.")
    return EXIT_OK


def _verify(args: argparse.Namespace, data_dir: Path, secret: Callable[[str], str]) -> int:
    site = _open(data_dir, secret)
    try:
        report, chain = site.integrity(), site.verify_audit()
    finally:
        site.close()
    problems = [f"encryption: {p}" for p in report.cipher_problems]
    problems += [f"integrity: {p}" for p in report.integrity_problems]
    problems += [f"broken reference: {p}" for p in report.foreign_key_problems]
    if not chain.ok:
        problems.append(f"audit trail: {chain.problem}")
    if problems:
        for line in problems:
            print(f"harbour-admin: {line}", file=sys.stderr)
        return EXIT_FAILED
    print(f"OK: database intact, references sound, audit trail of {chain.rows:,} rows verified.")
    return EXIT_OK


def _rekey(args: argparse.Namespace, data_dir: Path, secret: Callable[[str], str]) -> int:
    if is_server_folder(data_dir):
        raise Fail("rekey replaces a SQLCipher file's key; a server site's data is protected by the server")
    passphrase = secret("Site passphrase: ")
    site = Site.open_with_secret(data_dir, passphrase)
    try:
        recovery = site.rekey(passphrase)
        _audit(site, "site.rekeyed")
    finally:
        site.close()
    print("The database has a new key. The old recovery code no longer works.")
    print("NEW RECOVERY CODE (shown once: print it and lock it away):")
    print(f"    {recovery}")
    return EXIT_OK


def _passphrase(args: argparse.Namespace, data_dir: Path, secret: Callable[[str], str]) -> int:
    site = _open(data_dir, secret)
    try:
        new = secret("New site passphrase: ")
        if len(new) < passwords.MIN_LENGTH:
            raise Fail(f"the new passphrase needs at least {passwords.MIN_LENGTH} characters")
        site.change_passphrase(new)
        _audit(site, "site.passphrase_changed")
    finally:
        site.close()
    print("The site passphrase has been replaced. The recovery code still works.")
    return EXIT_OK


def _recovery_code(args: argparse.Namespace, data_dir: Path, secret: Callable[[str], str]) -> int:
    site = _open(data_dir, secret)
    try:
        code = site.new_recovery_code()
        _audit(site, "site.recovery_code_replaced")
    finally:
        site.close()
    print("NEW RECOVERY CODE (shown once: print it and lock it away; the old code no longer works):")
    print(f"    {code}")
    return EXIT_OK


def _audit(site: Site | ServerSite, action: str) -> None:
    """Whole-site operations from the terminal are on the trail too."""
    with Clinic(site, SystemClock()).unit_of_work(write=True) as uow:
        uow.audit(None, action, "site", site.key_file.site_id)


if __name__ == "__main__":
    raise SystemExit(main())
