"""Key slots: one random data key, wrapped once per way in.

The data key (32 random bytes) encrypts the database. It never touches disk
in the clear: the key file beside the database holds it wrapped with AES-GCM,
once per slot, under a key derived with argon2id from a secret:

* ``passphrase`` — the site passphrase staff type at a workstation;
* ``recovery`` — the one-time recovery code printed at set-up.

Where an OS keyring works, the data key is also kept there (see
``db.keyring_store``) so a workstation opens without the passphrase. Losing
the keyring is never fatal; losing every slot is.

A rekey writes the new key's slots as ``pending`` before the database is
rekeyed, so an interruption between the two steps leaves a key file that
still opens the database whichever step finished.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_FILE_NAME = "harbour.keys"
FORMAT_VERSION = 1

# argon2id cost: ~0.2 s and 64 MiB on the 2-core reference machine. It runs
# once per unlock, off the UI thread.
KDF_TIME_COST = 3
KDF_MEMORY_KIB = 64 * 1024
KDF_PARALLELISM = 2

RECOVERY_BYTES = 20  # 160 bits -> 32 base32 characters, 8 groups of 4
RECOVERY_CODE_LENGTH = 39  # 32 characters and 7 hyphens


class WrongSecret(Exception):
    """The passphrase or recovery code does not unwrap any slot."""


class KeyFileError(Exception):
    """The key file is missing, damaged, or belongs to another site."""


@dataclass(frozen=True)
class Slot:
    kind: str  # "passphrase" | "recovery"
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "kdf": "argon2id",
            "t": str(KDF_TIME_COST),
            "m": str(KDF_MEMORY_KIB),
            "p": str(KDF_PARALLELISM),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Slot:
        return cls(data["kind"], _unb64(data["salt"]), _unb64(data["nonce"]), _unb64(data["wrapped"]))


@dataclass(frozen=True)
class KeyFile:
    site_id: str
    slots: tuple[Slot, ...]
    pending: tuple[Slot, ...] = field(default=())


def new_data_key() -> bytes:
    return secrets.token_bytes(32)


def new_site_id() -> str:
    return str(uuid.uuid4())


def new_recovery_code() -> str:
    """A base32 code in groups of four, easy to read aloud and retype."""
    raw = base64.b32encode(secrets.token_bytes(RECOVERY_BYTES)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_recovery_code(text: str) -> str:
    """Accept the code with or without hyphens/spaces, in any case."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def wrap(kind: str, secret: str, data_key: bytes, site_id: str) -> Slot:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = _derive(secret, salt)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, _aad(site_id, kind))
    return Slot(kind, salt, nonce, wrapped)


def unwrap(key_file: KeyFile, secret: str) -> list[tuple[bytes, bool]]:
    """Every (data key, is_pending) ``secret`` unwraps: current slots first.

    Usually one key; two only while a rekey was interrupted. The recovery
    code is matched whatever its spacing, so staff can type it as printed.
    Raises WrongSecret if no slot opens.
    """
    recovery_form = normalise_recovery_code(secret)
    found: list[tuple[bytes, bool]] = []
    tagged = [(s, False) for s in key_file.slots] + [(s, True) for s in key_file.pending]
    for slot, pending in tagged:
        if slot.kind == "recovery" and len(recovery_form) != RECOVERY_CODE_LENGTH:
            continue  # not shaped like a recovery code: skip a 0.2 s derivation
        guess = recovery_form if slot.kind == "recovery" else secret
        kek = _derive(guess, slot.salt)
        try:
            key = AESGCM(kek).decrypt(slot.nonce, slot.wrapped, _aad(key_file.site_id, slot.kind))
        except InvalidTag:
            continue
        found.append((key, pending))
    if not found:
        raise WrongSecret("That passphrase or recovery code is not right for this site.")
    return found


def new_key_file(data_key: bytes, passphrase: str, recovery_code: str) -> KeyFile:
    site_id = new_site_id()
    return KeyFile(
        site_id,
        (wrap("passphrase", passphrase, data_key, site_id), wrap("recovery", recovery_code, data_key, site_id)),
    )


def with_slot(key_file: KeyFile, slot: Slot) -> KeyFile:
    """Replace the slot of the same kind (e.g. a new passphrase)."""
    kept = tuple(s for s in key_file.slots if s.kind != slot.kind)
    return replace(key_file, slots=(*kept, slot))


def read(data_dir: Path) -> KeyFile:
    path = data_dir / KEY_FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KeyFileError(f"The key file {path.name} is missing from {data_dir}.") from exc
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"The key file {path.name} cannot be read: it may be damaged.") from exc
    try:
        if data["format"] != FORMAT_VERSION:
            raise KeyFileError(f"The key file {path.name} was made by a newer version of Harbour.")
        return KeyFile(
            data["site_id"],
            tuple(Slot.from_json(s) for s in data["slots"]),
            tuple(Slot.from_json(s) for s in data.get("pending", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(f"The key file {path.name} is damaged.") from exc


def write(data_dir: Path, key_file: KeyFile) -> None:
    """Write atomically: a crash leaves the old file or the new, never half."""
    data = {
        "format": FORMAT_VERSION,
        "site_id": key_file.site_id,
        "slots": [s.to_json() for s in key_file.slots],
        "pending": [s.to_json() for s in key_file.pending],
    }
    atomic_write(data_dir / KEY_FILE_NAME, json.dumps(data, indent=1).encode("utf-8"))


def atomic_write(path: Path, content: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _derive(secret: str, salt: bytes) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=KDF_TIME_COST,
        memory_cost=KDF_MEMORY_KIB,
        parallelism=KDF_PARALLELISM,
        hash_len=32,
        type=Type.ID,
    )


def _aad(site_id: str, kind: str) -> bytes:
    """Bind each wrapped key to its site and slot kind: slots can't be swapped."""
    return f"harbour:{site_id}:{kind}".encode()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
