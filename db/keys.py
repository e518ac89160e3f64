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
still opens the database whichever step finished. With them it writes a
``link``: the new key wrapped under the old one, so every secret that opened
the old key (the old recovery code above all) still reaches the new key
until the tool has printed the new recovery code and dropped the old slots
(M12). If the rekey is interrupted after the database changed key, the old
recovery slot is kept as ``retained`` (with the link) until the next
``recovery-code`` or ``rekey``: nobody can tell whether the new code was seen.

Every write of the key file is made under the site lock (``db.site_lock``),
re-reading the file first, and is atomic (C1).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_FILE_NAME = "harbour.keys"
FORMAT_VERSION = 1

# argon2id cost: ~0.2 s and 64 MiB on the 2-core reference machine. It runs
# once per unlock, off the UI thread.
KDF_TIME_COST = 3
KDF_MEMORY_KIB = 64 * 1024
KDF_PARALLELISM = 2
#: Refuse key files asking for absurd costs (a doctored file must not hang or exhaust a workstation).
KDF_LIMITS = {"t": (1, 64), "m": (8 * 1024, 4 * 1024 * 1024), "p": (1, 64)}

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
    #: argon2id cost this slot was made with: read back, never assumed (m11).
    time_cost: int = KDF_TIME_COST
    memory_kib: int = KDF_MEMORY_KIB
    parallelism: int = KDF_PARALLELISM

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "kdf": "argon2id",
            "t": str(self.time_cost),
            "m": str(self.memory_kib),
            "p": str(self.parallelism),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Slot:
        if data.get("kdf", "argon2id") != "argon2id":
            raise ValueError("unknown KDF")
        cost = {name: int(data.get(name, default)) for name, default in
                (("t", KDF_TIME_COST), ("m", KDF_MEMORY_KIB), ("p", KDF_PARALLELISM))}
        for name, (low, high) in KDF_LIMITS.items():
            if not low <= cost[name] <= high:
                raise ValueError(f"KDF parameter {name} out of bounds")
        return cls(data["kind"], _unb64(data["salt"]), _unb64(data["nonce"]), _unb64(data["wrapped"]),
                   cost["t"], cost["m"], cost["p"])


@dataclass(frozen=True)
class KeyFile:
    site_id: str
    slots: tuple[Slot, ...]
    #: the next key's slots while a rekey runs
    pending: tuple[Slot, ...] = field(default=())
    #: nonce + the newer key wrapped under the older one (see the module docstring)
    link: bytes | None = None
    #: old slots still honoured through ``link`` after an interrupted rekey
    retained: tuple[Slot, ...] = field(default=())


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
    """Every (data key, is_pending) ``secret`` reaches: current slots first.

    Usually one key; more only while a rekey was interrupted. A key reached
    through the link counts as pending while pending slots exist. The
    recovery code is matched whatever its spacing, so staff can type it as
    printed. Raises WrongSecret if no slot opens.
    """
    found: list[tuple[bytes, bool]] = []
    for group in ("slots", "pending", "retained"):
        pending = group == "pending"
        for slot in getattr(key_file, group):
            key = _try_slot(key_file.site_id, slot, secret)
            if key is None:
                continue
            if group != "retained":  # a retained slot's own key opens nothing any more
                found.append((key, pending))
            if not pending and key_file.link is not None:
                newer = follow_link(key_file, key)
                if newer is not None:
                    found.append((newer, bool(key_file.pending)))
    if not found:
        raise WrongSecret("That passphrase or recovery code is not right for this site.")
    unique: list[tuple[bytes, bool]] = []
    for item in found:
        if all(item[0] != k for k, _ in unique):
            unique.append(item)
    return unique


def _try_slot(site_id: str, slot: Slot, secret: str) -> bytes | None:
    if slot.kind == "recovery":
        secret = normalise_recovery_code(secret)
        if len(secret) != RECOVERY_CODE_LENGTH:
            return None  # not shaped like a recovery code: skip a 0.2 s derivation
    kek = _derive(secret, slot.salt, slot)
    try:
        return AESGCM(kek).decrypt(slot.nonce, slot.wrapped, _aad(site_id, slot.kind))
    except InvalidTag:
        return None


def make_link(site_id: str, older: bytes, newer: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(_link_key(older)).encrypt(nonce, newer, _aad(site_id, "link"))


def follow_link(key_file: KeyFile, older: bytes) -> bytes | None:
    if key_file.link is None or len(key_file.link) < 13:
        return None
    try:
        return AESGCM(_link_key(older)).decrypt(key_file.link[:12], key_file.link[12:],
                                                _aad(key_file.site_id, "link"))
    except InvalidTag:
        return None


def _link_key(older: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"harbour rekey link").derive(older)


def new_key_file(data_key: bytes, passphrase: str, recovery_code: str) -> KeyFile:
    site_id = new_site_id()
    return KeyFile(
        site_id,
        (wrap("passphrase", passphrase, data_key, site_id), wrap("recovery", recovery_code, data_key, site_id)),
    )


def with_slot(key_file: KeyFile, slot: Slot, *, keep_old: bool = False) -> KeyFile:
    """Replace the slot of the same kind (e.g. a new passphrase). A new
    recovery code also retires any recovery slot kept from an interrupted rekey.

    ``keep_old`` adds the slot beside the old one instead: the tool keeps the
    old way in until it has told the user the new one (``keep_newest``)."""
    if keep_old:
        return replace(key_file, slots=(*key_file.slots, slot))
    kept = tuple(s for s in key_file.slots if s.kind != slot.kind)
    retained = tuple(s for s in key_file.retained if s.kind != slot.kind)
    return replace(key_file, slots=(*kept, slot), retained=retained, link=key_file.link if retained else None)


def keep_newest(key_file: KeyFile, kind: str) -> KeyFile:
    """Drop every slot of ``kind`` but the one added last."""
    newest = [s for s in key_file.slots if s.kind == kind]
    return with_slot(key_file, newest[-1]) if newest else key_file


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
        link = data.get("link")
        return KeyFile(
            data["site_id"],
            tuple(Slot.from_json(s) for s in data["slots"]),
            tuple(Slot.from_json(s) for s in data.get("pending", [])),
            None if link is None else _unb64(link),
            tuple(Slot.from_json(s) for s in data.get("retained", [])),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise KeyFileError(f"The key file {path.name} is damaged.") from exc


def write(data_dir: Path, key_file: KeyFile) -> None:
    """Write atomically: a crash leaves the old file or the new, never half."""
    data = {
        "format": FORMAT_VERSION,
        "site_id": key_file.site_id,
        "slots": [s.to_json() for s in key_file.slots],
        "pending": [s.to_json() for s in key_file.pending],
    }
    if key_file.link is not None:
        data["link"] = _b64(key_file.link)
    if key_file.retained:
        data["retained"] = [s.to_json() for s in key_file.retained]
    atomic_write(data_dir / KEY_FILE_NAME, json.dumps(data, indent=1).encode("utf-8"))


def atomic_write(path: Path, content: bytes) -> None:
    """Temp file (a unique name, so two processes never share one: M10) +
    fsync + rename + fsync of the folder. Created 0600 (M15)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open a folder, and needs not."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def harden_process() -> None:
    """For the CLI and the app: no core dump (it would hold the data key, m12),
    and files made private to the user (M15). Windows: core dumps and modes
    do not apply; its profile folders carry the user's own ACL."""
    if os.name != "posix":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.umask(0o077)


def _derive(secret: str, salt: bytes, cost: Slot | None = None) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=cost.time_cost if cost else KDF_TIME_COST,
        memory_cost=cost.memory_kib if cost else KDF_MEMORY_KIB,
        parallelism=cost.parallelism if cost else KDF_PARALLELISM,
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
