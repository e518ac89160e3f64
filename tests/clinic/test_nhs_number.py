"""Tests for clinic.nhs_number."""

import pytest

from clinic import nhs_number

# Worked examples. Weights for the first nine digits are 10, 9, 8, 7, 6, 5, 4, 3, 2.
#
# 943 476 5919 (the NHS Digital example number):
#   9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2
#   = 90 + 36 + 24 + 28 + 42 + 30 + 20 + 27 + 2 = 299
#   299 = 27*11 + 2, 11 - 2 = 9, last digit 9: valid. 943 476 5918 is not.
#
# 401 023 2137:
#   40 + 0 + 8 + 0 + 12 + 15 + 8 + 3 + 6 = 92 = 8*11 + 4, 11 - 4 = 7: valid.
#
# 450 557 7104:
#   40 + 45 + 0 + 35 + 30 + 35 + 28 + 3 + 0 = 216 = 19*11 + 7, 11 - 7 = 4: valid.
#
# 640 371 2381 (remainder 10 gives check digit 1):
#   60 + 36 + 0 + 21 + 42 + 5 + 8 + 9 + 16 = 197 = 17*11 + 10, 11 - 10 = 1: valid.
#
# 943 476 5900 (remainder 0: 11 - 0 = 11 means check digit 0):
#   90 + 36 + 24 + 28 + 42 + 30 + 20 + 27 + 0 = 297 = 27*11: valid.
#
# 123 456 789x (remainder 1: 11 - 1 = 10, so no check digit can work):
#   10 + 18 + 24 + 28 + 30 + 30 + 28 + 24 + 18 = 210 = 19*11 + 1: always invalid.

VALID = ["9434765919", "4010232137", "4505577104", "6403712381", "9434765900"]


@pytest.mark.parametrize("number", VALID)
def test_worked_examples_are_valid(number: str) -> None:
    assert nhs_number.is_valid(number)
    assert nhs_number.normalise(number) == number


@pytest.mark.parametrize(
    "text",
    ["943 476 5919", "943-476-5919", " 9434765919 ", "943 - 476 - 5919", "94 34 76 59 19"],
)
def test_spaces_and_hyphens_are_allowed(text: str) -> None:
    assert nhs_number.is_valid(text)
    assert nhs_number.normalise(text) == "9434765919"


@pytest.mark.parametrize("last", "0123456789")
def test_remainder_one_can_never_be_valid(last: str) -> None:
    assert not nhs_number.is_valid("123456789" + last)


def test_check_digit_ten_has_no_check_digit() -> None:
    assert nhs_number.check_digit("123456789") is None
    assert nhs_number.check_digit("943476590") == 0
    assert nhs_number.check_digit("640371238") == 1
    assert nhs_number.check_digit("943476591") == 9


@pytest.mark.parametrize(
    "number", ["9434765918", "9434765910", "4010232136", "4010232173", "4505577140"]
)
def test_wrong_check_digit_or_transposed_digits_are_invalid(number: str) -> None:
    assert not nhs_number.is_valid(number)
    with pytest.raises(ValueError, match="NHS number check digit does not match"):
        nhs_number.normalise(number)


def test_every_single_digit_typo_is_caught() -> None:
    # Modulus 11 with distinct weights detects every single substituted digit.
    for position in range(10):
        for digit in "0123456789":
            typo = VALID[0][:position] + digit + VALID[0][position + 1 :]
            assert nhs_number.is_valid(typo) == (typo == VALID[0])


@pytest.mark.parametrize(
    ("text", "count"), [("943476591", 9), ("94347659190", 11), ("943 476 591", 9)]
)
def test_wrong_length_says_ten_digits(text: str, count: int) -> None:
    assert not nhs_number.is_valid(text)
    with pytest.raises(ValueError, match=rf"must have 10 digits \(this has {count}\)"):
        nhs_number.normalise(text)


@pytest.mark.parametrize(
    "text", ["943.476.5919", "943476591O", "NHS9434765919", "९४३४७६५९१९"]
)
def test_other_characters_are_refused(text: str) -> None:
    # The last one is 9434765919 in Devanagari digits, which str.isdigit accepts.
    assert not nhs_number.is_valid(text)
    with pytest.raises(ValueError, match="only contain digits, spaces and hyphens"):
        nhs_number.normalise(text)


@pytest.mark.parametrize("text", ["", "   "])
def test_blank_is_not_a_number(text: str) -> None:
    assert not nhs_number.is_valid(text)
    with pytest.raises(ValueError, match="leave it blank"):
        nhs_number.normalise(text)


@pytest.mark.parametrize("digit", "0123456789")
def test_placeholder_repeated_digits_are_refused(digit: str) -> None:
    # d repeated ten times always passes Modulus 11: 54d = 55d - d, so the
    # remainder is 11 - d and the check digit is d. Never a real number.
    assert nhs_number.check_digit(digit * 9) == int(digit)
    assert not nhs_number.is_valid(digit * 10)
    with pytest.raises(ValueError, match="same digit ten times"):
        nhs_number.normalise(digit * 10)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("9434765919", "943 476 5919"),
        ("943-476-5919", "943 476 5919"),
        (" 401 023 2137", "401 023 2137"),
    ],
)
def test_format_groups_three_three_four(text: str, shown: str) -> None:
    assert nhs_number.format(text) == shown


def test_format_refuses_an_invalid_number() -> None:
    with pytest.raises(ValueError, match="check digit does not match"):
        nhs_number.format("9434765918")
