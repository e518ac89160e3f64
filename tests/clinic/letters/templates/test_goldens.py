"""Tests for tests.clinic.letters.golden: every built-in template has a
golden, and a golden that cannot be compared fails rather than skips."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic.letters import templates
from tests.clinic.letters.golden import RECORDED_WITH, check_versions

HERE = Path(__file__).parent
#: Templates whose golden lives in a shared test module.
SHARED = {"results_ready": "test_recall_letters.py", "vaccination_recall": "test_recall_letters.py"}


@pytest.mark.parametrize("module", templates.__all__)
def test_every_built_in_template_has_a_golden(module: str) -> None:
    test_file = HERE / SHARED.get(module, f"test_{module}.py")
    assert test_file.exists() and "assert_golden(" in test_file.read_text(), (
        f"{module} has no golden: add assert_golden(render(...), hash) to {test_file.name}")


def test_goldens_under_other_versions_fail_not_skip() -> None:
    with pytest.raises(pytest.fail.Exception, match="record new hashes"):
        check_versions({**RECORDED_WITH, "reportlab": "0.0"}, RECORDED_WITH)


def test_goldens_under_the_recorded_versions_are_compared() -> None:
    check_versions(dict(RECORDED_WITH), RECORDED_WITH)
