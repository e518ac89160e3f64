"""Staff passwords: argon2id hashes and the house rules for choosing one.

Hashing costs ~170 ms by design: call these off the UI thread.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
_hasher = PasswordHasher()


class PasswordRejected(ValueError):
    """A password that breaks a rule; the message says which."""


@cache
def _common() -> frozenset[str]:
    text = Path(__file__).with_name("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


#: Passwords printed in the README and shown on the demo's sign-in screen:
#: the demo accounts are made with them directly, a real account never (m10).
DEMO_PASSWORD = "harbour-demo-2026"
PUBLISHED = frozenset({DEMO_PASSWORD})


def check_rules(password: str, *, username: str, demo: bool = False) -> None:
    """``demo``: a throwaway DEMO site, whose accounts all use the published password."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"A password needs at least {MIN_LENGTH} characters.")
    if len(set(password.strip())) < 3:
        raise PasswordRejected("A password needs more than spaces or one repeated character.")
    if not demo and password.strip().lower() in PUBLISHED:
        raise PasswordRejected("That is the published demo password; choose another.")
    if password.strip().lower() == username.strip().lower():
        raise PasswordRejected("A password cannot be the username.")
    if password.lower() in _common():
        raise PasswordRejected("That password is on the list of commonly used passwords; choose another.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def dummy_verify() -> None:
    """Spend the same time as a real check, so unknown usernames don't answer faster."""
    verify(_dummy_hash(), "not the password")


@cache
def _dummy_hash() -> str:
    return _hasher.hash("harbour-dummy-password")
