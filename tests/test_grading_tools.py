"""The graded routes, run with the real tools as shipped (nbgrader and otter-grader, from the `grading` extra).

- nbgrader: `nbgrader generate_assignment` on the generated course folder (no checks overridden), then
  `nbgrader autograde` of three submissions per set: the solutions (full marks on the autograded parts), the untouched
  release (zero) and one answer wrong (exactly that part lost, although that submission also redefines `verify` and
  `check` so that every visible test passes: the hidden tests re-import the package); `nbgrader export` writes the
  grades CSV.
- otter-grader: `otter assign` on the generated master notebook, then `otter run` with the same three submissions.
- For every set and every route, no solution line, model answer or instructor cell reaches a student-facing file.

Autograding is slow (each submission runs in a fresh kernel), so two sets are graded end to end: 03 (tables, sets,
numbers with tolerances) and 08 (an ungraded solution cell and a manual question with a code cell); every set is
released by both tools and checked for leaks. All of it runs with a scratch HOME: no grader's progress file is
touched (nbgrader's generated config redirects the self-checks' records; for otter the documented command sets
ALLIANCE_COURSE_PROGRESS).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from alliance_course import exercise_build as eb
from alliance_course import grading_build as gb

pytestmark = pytest.mark.grading

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]-*.ipynb"))
GRADED_SETS = ("03", "08")
BIN = Path(sys.executable).parent
ANSWERS = json.loads((ROOT / "data" / "answers.json").read_text(encoding="utf-8"))["exercises"]


def _solution(number: str) -> Path:
    return next(p for p in SOLUTIONS if p.name.startswith(number))


def _env(home: Path, progress: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ALLIANCE_COURSE_PROGRESS"}
    env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", HOME=str(home), XDG_DATA_HOME=str(home / "xdg"),
               MPLBACKEND="Agg", ALLIANCE_COURSE_ROOT=str(ROOT))
    if progress is not None:
        env["ALLIANCE_COURSE_PROGRESS"] = str(progress)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _home_progress(home: Path) -> list[Path]:
    return [p for p in home.rglob("progress.json")]


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """Both routes released for every set, from a copy of grading/ (nothing is written into the course)."""
    work = tmp_path_factory.mktemp("graded")
    home = work / "home"
    home.mkdir()
    shutil.copytree(ROOT / gb.NBGRADER_DIR, work / "nbgrader")
    shutil.copytree(ROOT / gb.OTTER_DIR, work / "otter")
    env = _env(home)
    _run([str(BIN / "nbgrader"), "generate_assignment", "ex*"], work / "nbgrader", env)
    otter_env = _env(home, work / "otter-progress.json")
    # the graded sets with the `otter assign` command; the others through the same function in one process (only
    # their student versions are needed, for the leak test, and ten interpreter start-ups cost a minute)
    others = []
    for solution in SOLUTIONS:
        number = solution.name[:2]
        if number in GRADED_SETS:
            _run([str(BIN / "otter"), "assign", "--no-run-tests", solution.name, f"dist/{number}"], work / "otter",
                 otter_env)
        else:
            others.append(solution.name)
    script = ("import sys\nfrom otter.assign import main\n"
              "for name in sys.argv[1:]:\n    main(name, 'dist/' + name[:2], no_run_tests=True)\n")
    _run([sys.executable, "-c", script, *others], work / "otter", otter_env)
    return work


def _exercises(number: str) -> list[str]:
    return sorted(k for k, v in ANSWERS.items() if v["notebook"] == number)


def _wrong_one(number: str) -> str:
    """The first exercise of the set whose answer is a number (made wrong by adding 1)."""
    return next(k for k in _exercises(number) if ANSWERS[k]["spec"]["kind"] == "number")


def _answer_name(source: str, exercise_id: str) -> str:
    match = re.search(rf"check\(\s*[\"']{re.escape(exercise_id)}[\"']\s*,\s*([A-Za-z_]\w*)\s*\)", source)
    assert match, f"no check({exercise_id!r}, name) in {source!r}"
    return match.group(1)


def _solved(source: str) -> str:
    """A solution cell as a learner who solved it would hand it in (markers gone, otter prompt strings gone)."""
    lines, in_prompt = [], False
    for line in source.split("\n"):
        if line.rstrip().endswith("# BEGIN PROMPT"):
            in_prompt = True
        elif line.rstrip().endswith("# END PROMPT"):
            in_prompt = False
        elif not in_prompt and not re.search(r"#+\s*(BEGIN|END) SOLUTION", line):
            lines.append(re.sub(r"\s*#+\s*SOLUTION( NO PROMPT)?\s*$", "", line))
    return "\n".join(lines)


CHEAT = ["import alliance_course.grading as _grading  # the learner also tries to make every test pass",
         "_grading.verify = lambda *args, **kwargs: True", "check = lambda *args, **kwargs: True"]


def _make_wrong(source: str, exercise_id: str) -> str:
    """A wrong answer (+1), and a redefined verify/check: the visible tests pass, the hidden ones must not."""
    name = _answer_name(source, exercise_id)
    lines = source.split("\n")
    at = next(i for i, line in enumerate(lines) if "check(" in line)
    return "\n".join(lines[:at] + [f"{name} = {name} + 1", *CHEAT] + lines[at:])


def _submissions(student_nb: nbformat.NotebookNode, master: nbformat.NotebookNode, number: str,
                 is_answer) -> dict[str, nbformat.NotebookNode]:
    by_id = {cell.get("id"): cell for cell in master.cells}
    wrong_id = _wrong_one(number)
    out = {"blank": student_nb}
    for name in ("solved", "wrong"):
        nb = nbformat.from_dict(json.loads(json.dumps(student_nb)))
        for cell in nb.cells:
            if not is_answer(cell) or cell.get("id") not in by_id:
                continue
            original = by_id[cell.id]
            if cell.cell_type == "markdown":
                cell.source = eb._MD_MARKER.sub("", original.source).strip()
            else:
                cell.source = _solved(original.source)
                if name == "wrong" and f'check("{wrong_id}"' in cell.source:
                    cell.source = _make_wrong(cell.source, wrong_id)
        out[name] = nb
    return out


# --- nbgrader --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", GRADED_SETS)
def test_nbgrader_autogrades_solved_blank_and_one_wrong(released, number, tmp_path):
    from nbgrader.api import Gradebook

    course = released / "nbgrader"
    assignment = gb.assignment_name(number)
    name = _solution(number).name
    release = nbformat.read(course / "release" / assignment / name, as_version=4)
    source = nbformat.read(course / "source" / assignment / name, as_version=4)
    subs = _submissions(release, source, number,
                        lambda c: c.metadata.get("nbgrader", {}).get("solution", False))
    for student, nb in subs.items():
        target = course / "submitted" / f"{number}-{student}" / assignment / name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
    home = released / "home"
    _run([str(BIN / "nbgrader"), "autograde", assignment], course, _env(home), timeout=600)
    exercises = _exercises(number)
    wrong = _wrong_one(number)
    rubric_id, rubric_points = gb.rubric_points(ROOT, number)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as book:
        scores = {}
        for student in subs:
            submission = book.find_submission_notebook(name.removesuffix(".ipynb"), assignment,
                                                       f"{number}-{student}")
            scores[student] = {grade.name: (grade.auto_score, grade.max_score) for grade in submission.grades}
    auto = {gb.grade_id(e, "test") for e in exercises}
    for student, grades in scores.items():
        assert auto <= set(grades), (student, grades)
        assert grades[gb.grade_id(rubric_id)][1] == rubric_points  # the open answer, marked by hand
    assert all(scores["solved"][g] == (1.0, 1.0) for g in auto), scores["solved"]
    assert all(scores["blank"][g] == (0.0, 1.0) for g in auto), scores["blank"]
    lost = {g for g in auto if scores["wrong"][g][0] == 0.0}
    assert lost == {gb.grade_id(wrong, "test")}, scores["wrong"]
    assert all(scores["wrong"][g] == (1.0, 1.0) for g in auto - lost)
    # `nbgrader validate` (what a learner runs before submitting; it sees only the visible tests) names the wrong
    # answer's test, and only it, in an honest wrong submission (without the redefinitions)
    honest = nbformat.from_dict(json.loads(json.dumps(subs["wrong"])))
    for cell in honest.cells:
        cell.source = "\n".join(line for line in cell.source.split("\n") if line not in CHEAT)
    nbformat.write(honest, tmp_path / name)
    validated = _run([str(BIN / "nbgrader"), "validate", str(tmp_path / name)], course, _env(home))
    assert "VALIDATION FAILED ON 1 CELL" in validated.stdout, validated.stdout[-2000:]
    assert f"verify({wrong!r}" in validated.stdout
    # the grader's CSV, as an instructor would export it
    _run([str(BIN / "nbgrader"), "export", "--to", str(tmp_path / "grades.csv")], course, _env(home))
    with open(tmp_path / "grades.csv", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == assignment}
    n = len(exercises)  # the autograded exercises (answers.json); the open answer waits for manual grading
    assert float(rows[f"{number}-solved"]["raw_score"]) == n
    assert float(rows[f"{number}-blank"]["raw_score"]) == 0
    assert float(rows[f"{number}-wrong"]["raw_score"]) == n - 1
    assert float(rows[f"{number}-solved"]["max_score"]) == n + rubric_points
    assert _home_progress(home) == [], "autograding wrote into a progress file in the grader's home"


# --- otter-grader ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", GRADED_SETS)
def test_otter_grades_solved_blank_and_one_wrong(released, number, tmp_path):
    dist = released / "otter" / "dist" / number
    name = _solution(number).name
    student = nbformat.read(dist / "student" / name, as_version=4)
    master = nbformat.read(released / "otter" / name, as_version=4)
    answer_ids = {c.get("id") for c in master.cells if c.cell_type in ("code", "markdown")}
    subs = _submissions(student, master, number, lambda c: c.get("id") in answer_ids and (
        "otter_assign_solution_cell" in c.metadata.get("tags", []) or "otter_answer_cell" in c.metadata.get(
            "tags", [])))
    # the manual answer cell is otter's own "_Type your answer here_" cell: give it a text
    zips = sorted((dist / "autograder").glob("*.zip"))
    assert len(zips) == 1
    exercises = _exercises(number)
    rubric_id, _ = gb.rubric_points(ROOT, number)
    auto = {gb.grade_id(e) for e in exercises if e != rubric_id}
    wrong = gb.grade_id(_wrong_one(number))
    home = released / "home"
    env = _env(home, tmp_path / "otter-progress.json")
    scores = {}
    for label, nb in subs.items():
        folder = tmp_path / label
        folder.mkdir()
        nbformat.write(nb, folder / name)
        _run([str(BIN / "otter"), "run", "-a", str(zips[0]), "-o", str(folder), str(folder / name)], folder, env,
             timeout=600)
        results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        scores[label] = {t["name"]: (t.get("score"), t.get("max_score")) for t in results["tests"]
                         if t["name"] in auto}
    for label, got in scores.items():
        assert set(got) == auto, (label, got)
    assert all(v == (1.0, 1.0) for v in scores["solved"].values()), scores["solved"]
    assert all(v[0] == 0 for v in scores["blank"].values()), scores["blank"]
    assert {q for q, v in scores["wrong"].items() if v[0] == 0} == {wrong}, scores["wrong"]
    assert all(v == (1.0, 1.0) for q, v in scores["wrong"].items() if q != wrong)
    assert _home_progress(home) == []


# --- leaks -----------------------------------------------------------------------------------------------------------

def _student_files(released: Path) -> list[tuple[Path, Path]]:
    """(student-facing file, its solution notebook) for every set and route."""
    files = []
    for solution in SOLUTIONS:
        number = solution.name[:2]
        files.append((ROOT / "exercises" / solution.name, solution))
        files.append((released / "nbgrader" / "release" / gb.assignment_name(number) / solution.name, solution))
        files.append((released / "otter" / "dist" / number / "student" / solution.name, solution))
    return files


def test_no_solution_model_answer_or_instructor_cell_reaches_students(released):
    files = _student_files(released)
    assert len(files) == 3 * len(SOLUTIONS) >= 30
    for path, solution in files:
        assert path.exists(), f"{path} was not released"
        text = path.read_text(encoding="utf-8")
        source = nbformat.read(solution, as_version=4)
        leaks = eb.find_leaks(source, text)
        assert leaks == [], f"{path.relative_to(path.parents[3])} shows solution lines: {leaks}"
        nb = nbformat.reads(text, as_version=4)
        assert not any(eb.INSTRUCTOR_TAG in c.metadata.get("tags", []) for c in nb.cells), path
        joined = "\n".join(c.source for c in nb.cells)
        assert "Model answer" not in joined and "BEGIN SOLUTION" not in joined and "HIDDEN" not in joined, path
        for exercise_id in _exercises(solution.name[:2]):  # the file is a real exercise set, not an empty one
            assert exercise_id in joined, (path, exercise_id)


def test_the_leak_check_catches_a_planted_model_answer(released):
    path, solution = _student_files(released)[2]  # an otter student notebook
    nb = nbformat.read(path, as_version=4)
    source = nbformat.read(solution, as_version=4)
    model = next(c for c in source.cells if c.cell_type == "markdown" and eb._MD_BLOCK.search(c.source))
    nb.cells.append(nbformat.v4.new_markdown_cell(eb._MD_MARKER.sub("", model.source)))
    assert eb.find_leaks(source, nbformat.writes(nb)) != []
