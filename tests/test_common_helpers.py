"""The shared helpers' behaviours that their callers (progress, exercises, the build, the quiz) rely on."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from alliance_course import _common


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_write_atomic_gives_a_new_file_the_umask_default_and_keeps_an_old_files_mode(tmp_path: Path):
    umask = os.umask(0o022)
    try:
        new = tmp_path / "new.txt"
        _common.write_atomic(new, "a")
        assert _mode(new) == 0o644  # not the 0600 of a temporary file
        os.chmod(new, 0o640)
        _common.write_atomic(new, "b")
        assert _mode(new) == 0o640 and new.read_text() == "b"
        _common.write_atomic(new, "c", mode=0o600)
        assert _mode(new) == 0o600
    finally:
        os.umask(umask)


@pytest.mark.parametrize("value", ["٠٢", "２", " " * 300 + "2", 100, -1, 2.0, True, None])
def test_normalize_notebook_takes_only_ascii_digits_and_small_ints(value: object):
    with pytest.raises(ValueError, match="two-digit number"):
        _common.normalize_notebook(value)


def test_normalize_notebook_uses_the_callers_message_with_a_safe_value():
    class QuizError(Exception):
        pass

    with pytest.raises(QuizError) as caught:
        _common.normalize_notebook("x" * 10_000, QuizError, message="Notebooks have two digits; {value} is not one.")
    assert str(caught.value) == f"Notebooks have two digits; {'x' * 37 + '...'!r} is not one."


def test_describe_value_never_prints_a_huge_number():
    assert _common.describe_value(10 ** 5000) == "a number with about 5001 digits"
    assert _common.describe_value(None) == "None" and _common.describe_value([1, 2]) == "[1, 2]"
