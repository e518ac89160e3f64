"""Tests for db.keys: slots, recovery codes and the key file."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import keys


def test_passphrase_and_recovery_both_unwrap_the_data_key() -> None:
    data_key = keys.new_data_key()
    code = keys.new_recovery_code()
    kf = keys.new_key_file(data_key, "site passphrase", code)
    assert keys.unwrap(kf, "site passphrase") == [(data_key, False)]
    assert keys.unwrap(kf, code.lower().replace("-", " ")) == [(data_key, False)]


def test_wrong_secret_is_refused() -> None:
    kf = keys.new_key_file(keys.new_data_key(), "site passphrase", keys.new_recovery_code())
    with pytest.raises(keys.WrongSecret, match="not right"):
        keys.unwrap(kf, "site passphrasE")


def test_recovery_code_shape() -> None:
    code = keys.new_recovery_code()
    groups = code.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert keys.normalise_recovery_code(code.replace("-", "").lower()) == code


def test_slots_cannot_move_between_sites() -> None:
    data_key = keys.new_data_key()
    a = keys.new_key_file(data_key, "site passphrase", keys.new_recovery_code())
    b = keys.new_key_file(keys.new_data_key(), "site passphrase", keys.new_recovery_code())
    transplanted = keys.KeyFile(b.site_id, a.slots)
    with pytest.raises(keys.WrongSecret):
        keys.unwrap(transplanted, "site passphrase")


def test_key_file_round_trip_and_damage(tmp_path: Path) -> None:
    kf = keys.new_key_file(keys.new_data_key(), "site passphrase", keys.new_recovery_code())
    keys.write(tmp_path, kf)
    assert keys.read(tmp_path) == kf
    (tmp_path / keys.KEY_FILE_NAME).write_text("{not json")
    with pytest.raises(keys.KeyFileError, match="damaged"):
        keys.read(tmp_path)
    (tmp_path / keys.KEY_FILE_NAME).unlink()
    with pytest.raises(keys.KeyFileError, match="missing"):
        keys.read(tmp_path)


def test_key_file_holds_no_raw_key(tmp_path: Path) -> None:
    data_key = keys.new_data_key()
    keys.write(tmp_path, keys.new_key_file(data_key, "site passphrase", keys.new_recovery_code()))
    content = (tmp_path / keys.KEY_FILE_NAME).read_bytes()
    assert data_key.hex().encode() not in content and data_key not in content
