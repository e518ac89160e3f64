"""NHS numbers: validation by the Modulus 11 check digit, and display.

An NHS number is 10 digits; the 10th is a check digit. Multiply the first nine
digits by 10, 9, ... 2, add them up, take the remainder on division by 11 and
subtract it from 11. A result of 11 means the check digit is 0; a result of 10
means the number can never be valid. People type them as "943 476 5919",
"943-476-5919" or "9434765919"; all three are the same number.
"""

import re

_ALLOWED = re.compile(r"[0-9 \-]+")
_WEIGHTS = range(10, 1, -1)
_LENGTH = 10


def _digits(text: str) -> str:
    """The digits of ``text``, or ``ValueError`` saying what is wrong."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("Enter an NHS number, or leave it blank if it is not known")
    # [0-9] rather than isdigit(): that accepts superscripts and other scripts.
    if not _ALLOWED.fullmatch(stripped):
        raise ValueError("NHS number can only contain digits, spaces and hyphens")
    digits = stripped.replace(" ", "").replace("-", "")
    if len(digits) != _LENGTH:
        raise ValueError(f"NHS number must have 10 digits (this has {len(digits)})")
    return digits


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None if none exists."""
    pairs = zip(first_nine, _WEIGHTS, strict=True)
    total = sum(int(digit) * weight for digit, weight in pairs)
    result = 11 - total % 11
    if result == 11:
        return 0
    if result == 10:
        return None
    return result


def normalise(text: str) -> str:
    """The 10 digits of a valid NHS number, or ``ValueError`` with the reason.

    A number made of one repeated digit (0000000000, 1111111111, ...) passes
    Modulus 11 but is never issued; it is refused because staff type it as a
    placeholder for "not known".
    """
    digits = _digits(text)
    if len(set(digits)) == 1:
        raise ValueError(
            "NHS number cannot be the same digit ten times; leave it blank if it is not known"
        )
    if check_digit(digits[:9]) != int(digits[9]):
        raise ValueError(
            "NHS number check digit does not match; please check it was typed correctly"
        )
    return digits


def is_valid(text: str) -> bool:
    """True if ``text`` is a valid NHS number (spaces and hyphens allowed)."""
    try:
        normalise(text)
    except ValueError:
        return False
    return True


def format(text: str) -> str:  # noqa: A001 - the name is part of the stable API
    """A valid NHS number written as it is on NHS letters: "943 476 5919"."""
    digits = normalise(text)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
