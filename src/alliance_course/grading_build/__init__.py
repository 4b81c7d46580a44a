"""Graded versions of the exercises, built from ``solutions/`` by ``python -m alliance_course build``.

Two routes, both generated (never edit them by hand; ``build --check`` reports drift like it does for
``exercises/``):

- ``grading/nbgrader/``: a ready nbgrader course folder. ``nbgrader_config.py`` and ``source/exNN/NN-*.ipynb`` for
  every exercise set, with nbgrader cell metadata: each auto-checked exercise is an *autograded answer* cell followed
  by a locked *autograder test* cell worth 1 point (a visible test, and hidden tests between ``### BEGIN HIDDEN
  TESTS`` / ``### END HIDDEN TESTS`` that re-import the package instead of trusting the learner's ``check``); each
  open answer is a *manually graded answer* cell worth the total of ``instructors/rubrics/NN.md``; other code cells
  with a solution are ungraded solution cells. ``instructor`` cells are left out; links to other course files become
  plain text (they would be dead inside nbgrader's folders).
- ``grading/otter/NN-*.ipynb``: an otter-grader master notebook (format v1) per set: an assignment config cell, and
  per exercise a question (``# BEGIN QUESTION`` … ``# END QUESTION``) with the prompt, the solution (code solutions
  keep the course's stubs through otter's ``# BEGIN PROMPT`` blocks; Markdown model answers sit in a solution block,
  which otter removes from the student version) and, for auto-checked exercises, a public and a hidden test.

Grade ids are ``qNN_k`` (nbgrader does not accept the dot of ``NN.k``).
"""

from __future__ import annotations

from pathlib import Path

from ..markers import SolutionMarkerError
from .common import (  # noqa: F401 - every name stays importable from grading_build
    GRADING_DIR, NBGRADER_DIR, OTTER_DIR, AUTO_POINTS, _HEADING, _ANY_H2, _RUBRIC_TITLE, _RUBRIC_TOTAL, _LINK,
    _NB_META, _SCHEMA, NBGRADER_CONFIG, NBGRADER_GITIGNORE, OTTER_GITIGNORE, assignment_name, grade_id,
    rubric_points, _unlink, _Parsed, _md, _clean, _write,
)
from .nbgrader import (  # noqa: F401 - every name stays importable from grading_build
    _visible_test, _hidden_test, _nbgrader_code, _meta, render_nbgrader,
)
from .otter import (  # noqa: F401 - every name stays importable from grading_build
    _raw, _otter_code, render_otter,
)

__all__ = ["GRADING_DIR", "NBGRADER_DIR", "OTTER_DIR", "assignment_name", "grade_id", "outputs", "render_nbgrader",
           "render_otter", "rubric_points"]


def outputs(solutions: list[Path], root: Path) -> tuple[dict[Path, str], list[str]]:
    """Every generated grading file (path → text) for these solution notebooks, and the problems found."""
    files: dict[Path, str] = {
        root / NBGRADER_DIR / "nbgrader_config.py": NBGRADER_CONFIG,
        root / NBGRADER_DIR / ".gitignore": NBGRADER_GITIGNORE,
        root / OTTER_DIR / ".gitignore": OTTER_GITIGNORE,
    }
    problems: list[str] = []
    for solution in solutions:
        number = solution.name[:2]
        for target, render in ((root / NBGRADER_DIR / "source" / assignment_name(number) / solution.name,
                                render_nbgrader),
                               (root / OTTER_DIR / solution.name, render_otter)):
            try:
                files[target] = render(solution, root)
            except SolutionMarkerError as exc:
                if str(exc) not in problems:
                    problems.append(str(exc))
    return files, problems
