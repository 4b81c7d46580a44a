"""The notebook linter: every shipped notebook passes it, and it catches what it is meant to catch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from alliance_course import lint, paths

ROOT = paths.course_root()
NOTEBOOKS = lint.all_notebooks()


def test_there_are_notebooks():
    assert (ROOT / "notebooks" / "00-start-here.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_notebook_is_clean(path: Path):
    problems = lint.lint(path)
    assert not problems, "\n".join(problems)


# --- the linter itself -------------------------------------------------------------------------------------------

def _lesson(tmp_path: Path, number: str = "02", sections: list[str] | None = None, edit=None) -> Path:
    """A minimal lesson notebook that passes every check, written to a fake course folder."""
    (tmp_path / "notebooks").mkdir(exist_ok=True)
    (tmp_path / "notebooks" / "00-start-here.ipynb").write_text("{}", encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    sections = sections or ["Questions", "Objectives", "Warm-up", "Key points", "Further reading"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("nav [Course map](00-start-here.ipynb)", metadata={"tags": ["nav-header"]}),
        nbformat.v4.new_markdown_cell(f"# {number} · A lesson"),
        *[nbformat.v4.new_markdown_cell(f"## {s}\n\nText.") for s in sections],
        nbformat.v4.new_code_cell("from alliance_course import quiz\n" f'quiz.show("{number}")'),
        nbformat.v4.new_markdown_cell("footer", metadata={"tags": ["nav-footer"]}),
    ]
    if edit:
        edit(nb)
    path = tmp_path / "notebooks" / f"{number}-a-lesson.ipynb"
    nbformat.write(nb, path)
    return path


def test_minimal_lesson_passes(tmp_path):
    assert lint.lint(_lesson(tmp_path), root=tmp_path) == []


def test_stored_outputs_are_reported(tmp_path):
    def add_output(nb):
        cell = nb.cells[-2]
        cell.execution_count = 3
        cell.outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    problems = lint.lint(_lesson(tmp_path, edit=add_output), root=tmp_path)
    assert any("stored outputs" in p for p in problems), problems
    assert any("execution count" in p for p in problems), problems
    assert all(p.startswith("notebooks/02-a-lesson.ipynb: ") for p in problems)


def test_keep_output_tag_allows_outputs(tmp_path):
    def add_kept_output(nb):
        cell = nb.cells[-2]
        cell.metadata["tags"] = ["keep-output"]
        cell.execution_count = 1
        cell.outputs = [nbformat.v4.new_output("stream", text="kept\n")]
    assert lint.lint(_lesson(tmp_path, edit=add_kept_output), root=tmp_path) == []


def test_missing_objectives_is_reported(tmp_path):
    path = _lesson(tmp_path, sections=["Questions", "Warm-up", "Key points", "Further reading"])
    problems = lint.lint(path, root=tmp_path)
    assert problems == ["notebooks/02-a-lesson.ipynb: no '## Objectives' section (the lesson template requires it)"]


def test_warm_up_required_from_lesson_02_only(tmp_path):
    sections = ["Questions", "Objectives", "Key points", "Further reading"]
    assert lint.lint(_lesson(tmp_path, "01", sections=sections), root=tmp_path) == []
    problems = lint.lint(_lesson(tmp_path, "03", sections=sections), root=tmp_path)
    assert any("Warm-up" in p for p in problems), problems


def test_broken_link_and_missing_nav_are_reported(tmp_path):
    def break_it(nb):
        nb.cells[0].source = "[Next](04-does-not-exist.ipynb) · [web](https://www.nato.int/)"
        nb.cells.pop()  # the footer
    problems = lint.lint(_lesson(tmp_path, edit=break_it), root=tmp_path)
    assert any("'04-does-not-exist.ipynb' points at a file that does not exist" in p for p in problems), problems
    assert any("nav-footer" in p for p in problems), problems
    assert not any("nato.int" in p for p in problems)


def test_wrong_kernel_and_missing_quiz_are_reported(tmp_path):
    def edit(nb):
        nb.metadata["kernelspec"]["name"] = "ir"
        nb.cells[-2].source = "print('no quiz here')"
    problems = lint.lint(_lesson(tmp_path, edit=edit), root=tmp_path)
    assert any("kernelspec is 'ir'" in p for p in problems), problems
    assert any('quiz.show("02")' in p for p in problems), problems


def test_solution_markers_in_exercises_are_reported(tmp_path):
    path = _lesson(tmp_path)
    (tmp_path / "exercises").mkdir()
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].insert(2, nbformat.v4.new_code_cell("x = 26  # SOLUTION"))
    target = tmp_path / "exercises" / "02-practice.ipynb"
    target.write_text(json.dumps(nb), encoding="utf-8")
    shutil.copy(tmp_path / "notebooks" / "00-start-here.ipynb", tmp_path / "exercises" / "00-start-here.ipynb")
    problems = lint.lint(target, root=tmp_path)
    assert any("solution marker" in p for p in problems), problems


def test_unreadable_notebook_is_reported_not_raised(tmp_path):
    path = tmp_path / "notebooks" / "05-broken.ipynb"
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    problems = lint.lint(path, root=tmp_path)
    assert len(problems) == 1 and "cannot be read as a notebook" in problems[0]
