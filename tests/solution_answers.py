"""The solution notebooks' own answers, for tests: each solution notebook's code cells run once, in this process, in
the build's record mode, which keeps every ``check(...)`` answer and every ``exercise(...)`` declaration (with its
hinted wrong answers) in :class:`alliance_course.exercises.recording._Recorder`."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import nbformat
import pytest

from alliance_course import exercises, paths

SOLUTIONS = sorted((paths.course_root() / "solutions").glob("*.ipynb"))


def run_solutions(record: Path) -> exercises.recording._Recorder:
    """Execute every solution notebook's code cells, in record mode, and return the recorder with the answers."""
    import matplotlib.pyplot as plt

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(exercises.RECORD_ENV, str(record))
        mp.setattr(exercises.recording, "_active_recorder", None)
        for path in SOLUTIONS:
            mp.chdir(path.parent)
            namespace: dict = {"__name__": "__main__"}
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "code":
                    with contextlib.redirect_stdout(io.StringIO()):
                        exec(compile(cell.source, str(path), "exec"), namespace)  # noqa: S102 - our own notebooks
            plt.close("all")
        return exercises.recording._active_recorder
