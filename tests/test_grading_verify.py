"""verify(): the comparison the graded notebooks' tests make (no progress written, no hint, loud on set-up errors)."""

from __future__ import annotations

import pytest

from alliance_course import data
from alliance_course.grading import GradingError, verify


def _founders() -> int:
    members = data.load("nato_members")
    return int((members["accession_date"].dt.year == 1949).sum())


def test_verify_accepts_the_right_answer_and_rejects_others(monkeypatch, tmp_path):
    store = tmp_path / "progress.json"
    monkeypatch.setenv("ALLIANCE_COURSE_PROGRESS", str(store))
    right = _founders()
    assert verify("00.1", right) is True
    assert verify("00.1", right + 1) is False
    assert verify("00.1", ...) is False  # the stub
    assert verify("00.1", "twelve and more") is False  # not a number: wrong, not an error
    assert verify("00.1", object()) is False
    assert not store.exists(), "verify must not record progress (autograders call it on every hand-in)"


def test_an_unknown_exercise_is_a_setup_error_not_a_zero():
    with pytest.raises(GradingError, match="not in data/answers.json"):
        verify("00.99", 1)
