"""The shipped exercise sets, run as learners and instructors run them.

Every exercise notebook runs top to bottom unanswered and each of its checks says "not answered yet"; every
solution notebook runs and each of its checks says "correct" (graded against data/answers.json, not recorded).
"""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from alliance_course import paths
from alliance_course.course import LESSONS

ROOT = paths.course_root()
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
CHECK = re.compile(r"""\bcheck\(\s*["'](?P<id>\d\d\.[^"']+)["']""")


def _run(path: Path, tmp_path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    env = {key: value for key, value in os.environ.items() if key != "ALLIANCE_COURSE_RECORD"}
    env["ALLIANCE_COURSE_PROGRESS"] = str(tmp_path / "progress.json")
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
    return nb


def _check_cells(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(exercise id, the cell's displayed result) for every cell that calls check()."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not CHECK.search(cell.source):
            continue
        ids = CHECK.findall(cell.source)
        assert len(ids) == 1, f"one check per cell, please: {cell.source!r}"
        last = ast.parse(cell.source).body[-1]
        assert isinstance(last, ast.Expr) and "check(" in ast.unparse(last), \
            f"check(...) must be the cell's last line so learners see its result: {cell.source!r}"
        shown = [out["data"]["text/plain"] for out in cell.outputs if out.get("output_type") == "execute_result"]
        found.append((ids[0], shown[0] if shown else ""))
    return found


def _answer_ids(number: str) -> set[str]:
    answers = json.loads((ROOT / "data" / "answers.json").read_text(encoding="utf-8"))["exercises"]
    return {key for key in answers if key.startswith(number + ".")}


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_exercise_notebook_runs_unanswered(path, tmp_path):
    results = _check_cells(_run(path, tmp_path))
    assert results, "an exercise set without checks"
    for exercise_id, shown in results:
        assert shown.startswith(f"○ Exercise {exercise_id}: Not answered yet"), (exercise_id, shown)
    assert {exercise_id for exercise_id, _ in results} == _answer_ids(path.name[:2])
    assert not (tmp_path / "progress.json").exists(), "an unanswered check must not count as an attempt"


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_solution_notebook_passes_its_own_checks(path, tmp_path):
    results = _check_cells(_run(path, tmp_path))
    for exercise_id, shown in results:
        assert shown.startswith(f"✓ Exercise {exercise_id}: Correct"), (exercise_id, shown)
    assert {exercise_id for exercise_id, _ in results} == _answer_ids(path.name[:2])
    records = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))["records"]
    assert sorted(r["item"] for r in records) == sorted(exercise_id for exercise_id, _ in results)
    assert all(r["kind"] == "exercise" and r["first_try_correct"] for r in records)


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_open_answers_have_a_checklist_and_a_rubric(path):
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    if "*Write your answer here.*" not in markdown:
        return
    assert "- [ ]" in markdown, "an open answer needs a self-assessment checklist"
    rubric = ROOT / "instructors" / "rubrics" / f"{path.name[:2]}.md"
    assert rubric.exists(), f"an open answer needs a rubric: {rubric.relative_to(ROOT)}"


def test_the_guide_has_a_section_for_every_notebook():
    guide = (ROOT / "instructors" / "guide.md").read_text(encoding="utf-8")
    for lesson in LESSONS:
        heading = f"## {lesson.number} · {lesson.title}"
        assert heading in guide, f"instructors/guide.md has no section '{heading}'"
        assert f"| {lesson.number} | {lesson.title} | {lesson.question} | {lesson.minutes} min |" in guide, \
            f"the guide's course table disagrees with course.py for {lesson.number}"
