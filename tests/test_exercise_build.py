"""solutions/ → exercises/ and data/answers.json: the transformations, the --check mode and the leak test."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from alliance_course import exercise_build, paths
from alliance_course.exercise_build import (WRITE_HERE, ExerciseBuildError, SolutionMarkerError, find_leaks,
                                            generate, render_exercise, secret_lines, strip_code, strip_markdown)

ROOT = paths.course_root()
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


# --- code cells -----------------------------------------------------------------------------------------------------

def test_inline_solution_keeps_the_left_hand_side():
    source = 'n = int((years == 1949).sum())  # SOLUTION\ncheck("00.1", n)'
    assert strip_code(source) == 'n = ...\ncheck("00.1", n)'


@pytest.mark.parametrize("line, stub", [
    ("    return total / n  # SOLUTION", "    return ..."),
    ("share: float = a / b # SOLUTION", "share: float = ..."),
    ("count += 1  ### SOLUTION", "count += ..."),
    ("names['Türkiye'] = 'TUR'  # SOLUTION", "names['Türkiye'] = ..."),
    ("print(answer)  # SOLUTION", "..."),
])
def test_inline_forms(line, stub):
    assert strip_code(line) == stub


def test_no_prompt_lines_disappear():
    source = "def f(x):\n    y = x * x  # SOLUTION NO PROMPT\n    return y  # SOLUTION"
    assert strip_code(source) == "def f(x):\n    return ..."


def test_block_becomes_a_stub_for_what_later_code_uses():
    source = "\n".join([
        "# BEGIN SOLUTION",
        "years = members['accession_date'].dt.year",
        "per_year = years.value_counts()",
        "largest = int(per_year.idxmax())",
        "# END SOLUTION",
        'check("00.2", largest)',
    ])
    assert strip_code(source) == '# Your code here\nlargest = ...\ncheck("00.2", largest)'
    # a name used only in a later cell is stubbed too, so the notebook still runs top to bottom
    assert "per_year = ..." in strip_code(source, later_code="per_year.plot()")


def test_block_inside_a_function_keeps_its_indentation():
    source = "def share(df):\n    ### BEGIN SOLUTION\n    total = df.sum()\n    return df / total\n" \
             "    ### END SOLUTION\n\nshare(x)"
    assert strip_code(source) == "def share(df):\n    # Your code here\n    ...\n\nshare(x)"
    compile(strip_code(source), "<exercise>", "exec")


def test_no_prompt_block_is_removed_without_a_stub():
    source = "a = 1\n# BEGIN SOLUTION NO PROMPT\nb = 2\n# END SOLUTION\nc = 3"
    assert strip_code(source) == "a = 1\nc = 3"


@pytest.mark.parametrize("source, problem", [
    ("# BEGIN SOLUTION\nx = 1", "has no '# END SOLUTION'"),
    ("x = 1\n# END SOLUTION", "never opened"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "inside the one opened on line 1"),
    ("x = (1 +  # SOLUTION\n 2)", "not a complete one-line statement"),
])
def test_broken_markers_are_reported_with_their_place(source, problem):
    with pytest.raises(SolutionMarkerError) as info:
        strip_code(source, where="solutions/04-x.ipynb, cell 7")
    assert problem in str(info.value) and "solutions/04-x.ipynb, cell 7" in str(info.value)


# --- markdown cells -------------------------------------------------------------------------------------------------

def test_markdown_solution_becomes_a_prompt():
    source = "Explain.\n\n<!-- BEGIN SOLUTION -->\nBecause of consensus.\n<!-- END SOLUTION -->\n\nThen list."
    assert strip_markdown(source) == f"Explain.\n\n{WRITE_HERE}\n\nThen list."
    two = "<!-- BEGIN SOLUTION -->a<!-- END SOLUTION --> and <!--BEGIN SOLUTION-->b<!--END SOLUTION-->"
    assert strip_markdown(two) == f"{WRITE_HERE} and {WRITE_HERE}"
    with pytest.raises(SolutionMarkerError, match="unbalanced"):
        strip_markdown("<!-- BEGIN SOLUTION -->\nno end")


# --- whole notebooks ------------------------------------------------------------------------------------------------

def _solution(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i}"
    return nb


def _practice_cells(answer: str = "6 * 2") -> list:
    return [
        new_markdown_cell("# Exercises 04 — A test set"),
        new_markdown_cell("Instructor note.", metadata={"tags": ["instructor"]}),
        new_code_cell("from alliance_course.exercises import check"),
        new_code_cell("from alliance_course.exercises import exercise\n"
                      'exercise("04.1", hints={13: "One too many."})', metadata={"tags": ["instructor"]}),
        new_code_cell(f'total = {answer}  # SOLUTION\ncheck("04.1", total)'),
        new_code_cell('# BEGIN SOLUTION\nname = "Sweden"\n# END SOLUTION\ncheck("04.2", name)'),
        new_markdown_cell("Why?\n\n<!-- BEGIN SOLUTION -->\nA secret model answer here.\n<!-- END SOLUTION -->"),
    ]


@pytest.fixture
def mini_course(tmp_path) -> Path:
    for folder in ("solutions", "exercises", "data", "notebooks", "instructors/rubrics"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "instructors" / "rubrics" / "04.md").write_text("# Rubric 04.3 — Why?\n\n**Total:** /6\n",
                                                               encoding="utf-8")
    nb = _solution(_practice_cells())
    nb.cells[4].outputs = [nbformat.v4.new_output("stream", text="12\n")]
    nb.cells[4].execution_count = 3
    nbformat.write(nb, tmp_path / "solutions" / "04-practice.ipynb")
    return tmp_path


def test_render_removes_instructor_cells_outputs_and_solutions(mini_course):
    text = render_exercise(mini_course / "solutions" / "04-practice.ipynb", mini_course)
    nb = nbformat.reads(text, as_version=4)
    sources = [cell.source for cell in nb.cells]
    assert text.endswith("}\n")
    assert not any("Instructor" in s or "exercise(" in s for s in sources)
    assert 'total = ...\ncheck("04.1", total)' in sources
    assert '# Your code here\nname = ...\ncheck("04.2", name)' in sources
    assert f"Why?\n\n{WRITE_HERE}" in sources
    assert all(not cell.get("outputs") and cell.get("execution_count") is None
               for cell in nb.cells if cell.cell_type == "code")
    tags = [cell.metadata.get("tags", []) for cell in nb.cells]
    assert tags[0] == ["nav-header"] and tags[-1] == ["nav-footer"]
    assert "Exercises for notebook 04" in nb.cells[0].source
    assert [cell.id for cell in nb.cells[1:-1]] == ["c0", "c2", "c4", "c5", "c6"]
    assert render_exercise(mini_course / "solutions" / "04-practice.ipynb", mini_course) == text


def test_exercise_declarations_must_be_in_instructor_cells(mini_course):
    nb = _solution(_practice_cells())
    nb.cells[3].metadata = {}
    path = mini_course / "solutions" / "04-practice.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(SolutionMarkerError, match="not tagged 'instructor'"):
        render_exercise(path, mini_course)


def test_leak_finder_finds_planted_leaks(mini_course):
    solution = nbformat.read(mini_course / "solutions" / "04-practice.ipynb", as_version=4)
    secrets = secret_lines(solution)
    assert {"total = 6 * 2", 'name = "Sweden"', "A secret model answer here.",
            'exercise("04.1", hints={13: "One too many."})'} <= set(secrets)
    assert "from alliance_course.exercises import exercise" not in secrets  # imports reveal nothing
    clean = render_exercise(mini_course / "solutions" / "04-practice.ipynb", mini_course)
    assert find_leaks(solution, clean) == []
    leaky = nbformat.reads(clean, as_version=4)
    leaky.cells[2].source += '\nname = "Sweden"'
    assert find_leaks(solution, nbformat.writes(leaky)) == ['name = "Sweden"']
    assert find_leaks(solution, "notes\n  A secret model answer here.\n") == ["A secret model answer here."]


GRADED = ["grading/nbgrader/nbgrader_config.py", "grading/nbgrader/.gitignore", "grading/otter/.gitignore",
          "grading/nbgrader/source/ex04/04-practice.ipynb", "grading/otter/04-practice.ipynb"]


def test_generate_then_check_then_detect_drift(mini_course):
    written = generate(root=mini_course)
    assert written == ["exercises/04-practice.ipynb", *GRADED, "data/answers.json"]
    assert generate(check=True, root=mini_course) == []
    answers = json.loads((mini_course / "data" / "answers.json").read_text(encoding="utf-8"))
    assert sorted(answers["exercises"]) == ["04.1", "04.2"]
    assert answers["exercises"]["04.1"]["source"] == "solutions/04-practice.ipynb"
    assert "Sweden" not in json.dumps(answers) and "sweden" not in json.dumps(answers)

    # a changed answer makes answers.json stale, and the graded sources that hold the solution ...
    nbformat.write(_solution(_practice_cells("6 * 3")), mini_course / "solutions" / "04-practice.ipynb")
    assert generate(check=True, root=mini_course) == [
        "grading/nbgrader/source/ex04/04-practice.ipynb is out of date (regenerate it from solutions/)",
        "grading/otter/04-practice.ipynb is out of date (regenerate it from solutions/)",
        "data/answers.json is out of date (regenerate it with `make exercises`)"]
    # ... a changed prompt makes the exercise stale too, and so does a hand edit of any generated file
    cells = _practice_cells("6 * 3")
    cells[0].source = "# Exercises 04 — A renamed set"
    nbformat.write(_solution(cells), mini_course / "solutions" / "04-practice.ipynb")
    assert generate(check=True, root=mini_course) == [
        "exercises/04-practice.ipynb is out of date (regenerate it from solutions/04-practice.ipynb)",
        "grading/nbgrader/source/ex04/04-practice.ipynb is out of date (regenerate it from solutions/)",
        "grading/otter/04-practice.ipynb is out of date (regenerate it from solutions/)",
        "data/answers.json is out of date (regenerate it with `make exercises`)"]
    generate(root=mini_course)
    exercise_path = mini_course / "exercises" / "04-practice.ipynb"
    exercise_path.write_text(exercise_path.read_text(encoding="utf-8").replace("A renamed set", "Edited"),
                             encoding="utf-8")
    otter_path = mini_course / "grading" / "otter" / "04-practice.ipynb"
    otter_path.write_text(otter_path.read_text(encoding="utf-8").replace("A renamed set", "Edited"),
                          encoding="utf-8")
    assert generate(check=True, root=mini_course) == [
        "exercises/04-practice.ipynb is out of date (regenerate it from solutions/04-practice.ipynb)",
        "grading/otter/04-practice.ipynb is out of date (regenerate it from solutions/)"]
    exercise_path.unlink()
    (mini_course / "grading" / "nbgrader" / "nbgrader_config.py").unlink()
    assert generate(check=True, root=mini_course) == [
        "exercises/04-practice.ipynb is missing (regenerate it from solutions/04-practice.ipynb)",
        "grading/nbgrader/nbgrader_config.py is missing (regenerate it from solutions/)",
        "grading/otter/04-practice.ipynb is out of date (regenerate it from solutions/)"]


def test_building_never_touches_a_real_progress_file(mini_course, monkeypatch, tmp_path_factory):
    """The build runs every solution notebook (whose checks would record answers): nothing may land in the
    progress file of the person who builds, wherever it is configured to be."""
    home = tmp_path_factory.mktemp("home")
    cells = _practice_cells()  # a solution that also answers a quiz question records into progress when run
    cells.insert(3, new_code_cell('from alliance_course import progress\nprogress.record("quiz", "04", "q", True)'))
    nbformat.write(_solution(cells), mini_course / "solutions" / "04-practice.ipynb")
    monkeypatch.delenv("ALLIANCE_COURSE_PROGRESS", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    generate(root=mini_course)
    written = sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file())
    assert not [p for p in written if "alliance-course" in p or p.endswith(".json")], written


def test_graded_versions_carry_nbgrader_and_otter_markup(mini_course):
    generate(root=mini_course)
    nb = nbformat.read(mini_course / "grading" / "nbgrader" / "source" / "ex04" / "04-practice.ipynb",
                       as_version=4)
    meta = {c.get("id"): c.metadata.get("nbgrader") for c in nb.cells if "nbgrader" in c.metadata}
    assert meta["c4"]["solution"] and not meta["c4"]["grade"] and meta["c4"]["grade_id"] == "q04_1"
    assert meta["q04_1-test"] == {"grade": True, "grade_id": "q04_1-test", "locked": True, "points": 1,
                                  "schema_version": 3, "solution": False, "task": False}
    manual = next(m for m in meta.values() if m["grade_id"] == "q04_3")
    assert manual["points"] == 6 and manual["solution"] and manual["grade"]
    test = next(c for c in nb.cells if c.get("id") == "q04_1-test").source
    hidden = test.split("### BEGIN HIDDEN TESTS")[1]
    assert "check(" not in hidden and "sys.modules.pop" in hidden and "### END HIDDEN TESTS" in hidden
    inline = next(c for c in nb.cells if c.get("id") == "c4").source
    assert "### BEGIN SOLUTION\ntotal = 6 * 2\n### END SOLUTION" in inline  # nbgrader has no one-line marker
    assert not any("Instructor note" in c.source for c in nb.cells)
    master = nbformat.read(mini_course / "grading" / "otter" / "04-practice.ipynb", as_version=4)
    raws = [c.source.split("\n")[0] for c in master.cells if c.cell_type == "raw"]
    assert raws[0] == "# ASSIGNMENT CONFIG"
    assert raws.count("# BEGIN QUESTION") == 3 and raws.count("# END QUESTION") == 3
    assert raws.count("# BEGIN TESTS") == 2  # the open answer is graded by hand
    block = next(c for c in master.cells if c.get("id") == "c5").source
    assert '""" # BEGIN PROMPT\n# Your code here\nname = ...\n""" # END PROMPT' in block


def test_stale_exercise_and_bad_names_are_reported(mini_course):
    generate(root=mini_course)
    shutil.copy(mini_course / "exercises" / "04-practice.ipynb", mini_course / "exercises" / "05-orphan.ipynb")
    nbformat.write(_solution([new_markdown_cell("# x")]), mini_course / "solutions" / "practice.ipynb")
    problems = generate(check=True, root=mini_course, execute=False)
    assert any("exercises/05-orphan.ipynb has no source in solutions/" in p for p in problems), problems
    assert any("solutions/practice.ipynb: the name must start with a notebook number" in p for p in problems)


def test_a_failing_solution_stops_the_build_and_keeps_the_old_answers(mini_course):
    generate(root=mini_course)
    before = (mini_course / "data" / "answers.json").read_bytes()
    nbformat.write(_solution(_practice_cells("1 / 0")), mini_course / "solutions" / "04-practice.ipynb")
    with pytest.raises(ExerciseBuildError) as info:
        generate(root=mini_course)
    assert any("fails in a fresh kernel" in p and "ZeroDivisionError" in p for p in info.value.problems)
    assert (mini_course / "data" / "answers.json").read_bytes() == before


def test_a_check_missing_from_the_solution_is_reported(mini_course):
    cells = _practice_cells()
    cells.append(new_code_cell('answer = ...\ncheck("04.3", answer)'))
    nbformat.write(_solution(cells), mini_course / "solutions" / "04-practice.ipynb")
    with pytest.raises(ExerciseBuildError) as info:
        generate(root=mini_course)
    assert any("the solution's answer to 04.3" in p for p in info.value.problems), info.value.problems


def test_the_build_command_make_exercises_runs_reports_and_sets_the_exit_status(mini_course, monkeypatch, capsys):
    """``make exercises`` runs ``python -m alliance_course build``: the command itself, on a small course."""
    from alliance_course.__main__ import main

    monkeypatch.setenv("ALLIANCE_COURSE_ROOT", str(mini_course))
    assert main(["build", "--check"]) == 1
    out = capsys.readouterr().out
    assert "out of date: exercises/04-practice.ipynb is missing" in out and "Run `make exercises`" in out
    assert not (mini_course / "exercises" / "04-practice.ipynb").exists()  # --check writes nothing
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert "updated: exercises/04-practice.ipynb" in out and "updated: data/answers.json" in out
    assert main(["exercises", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_the_build_without_execution_leaves_the_answers_alone(mini_course, monkeypatch, capsys):
    from alliance_course.__main__ import main

    monkeypatch.setenv("ALLIANCE_COURSE_ROOT", str(mini_course))
    assert main(["build", "--no-execute"]) == 0
    assert "updated: exercises/04-practice.ipynb" in capsys.readouterr().out
    assert not (mini_course / "data" / "answers.json").exists()


# --- the shipped course ---------------------------------------------------------------------------------------------

def test_the_course_has_exercise_sets():
    assert (ROOT / "solutions" / "00-practice.ipynb") in SOLUTIONS


def test_exercises_are_up_to_date_with_solutions():
    problems = generate(check=True, execute=False)
    assert problems == [], "\n".join(problems) + "\nRun `make exercises`."


def _shipped_answers() -> dict[str, dict]:
    return json.loads((ROOT / "data" / "answers.json").read_text(encoding="utf-8"))["exercises"]


def test_every_answer_comes_from_a_solution_that_exists():
    sources = {entry["source"] for entry in _shipped_answers().values()}
    assert sources <= {f"solutions/{path.name}" for path in SOLUTIONS}, "Run `make exercises`."


@pytest.mark.notebook
@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_answers_are_up_to_date_with_the_solution(solution):
    """One run of the solution in record mode (as the build runs it) per test, so the two workers share them."""
    found, problems = exercise_build._record(solution, ROOT, timeout=300)
    assert problems == [], "\n".join(problems)
    rel = f"solutions/{solution.name}"
    shipped = {key: entry for key, entry in _shipped_answers().items() if entry["source"] == rel}
    assert json.loads(json.dumps(found)) == shipped, f"data/answers.json is out of date for {rel}: run `make exercises`"
    exercise = nbformat.read(ROOT / "exercises" / solution.name, as_version=4)
    text = "\n".join(cell.source for cell in exercise.cells if cell.cell_type == "code")
    called = {match.group("id") for match in exercise_build._CHECK_CALL.finditer(text)}
    assert called == set(found), f"the exercise set calls check() for {sorted(called - set(found))}, " \
                                 "which the solution never checks"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_no_solution_line_reaches_learners(solution):
    secrets = secret_lines(nbformat.read(solution, as_version=4))
    assert secrets, "a solution notebook without solution markers"
    exercise = ROOT / "exercises" / solution.name
    assert find_leaks(nbformat.read(solution, as_version=4), exercise.read_text(encoding="utf-8")) == []
    shipped = [ROOT / "data" / "answers.json", *sorted((ROOT / "instructors").rglob("*.md"))]
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        leaked = [line for line in secrets if len(line) >= 12 and line in text]
        assert leaked == [], f"{path.relative_to(ROOT)} shows solution lines: {leaked}"


def test_module_constants_match_the_linter():
    from alliance_course import lint

    stub = "\n".join([exercise_build.CODE_PROMPT, "x = ...", exercise_build.WRITE_HERE])
    assert not lint.SOLUTION_MARKERS.search(stub)


def test_graded_notebooks_have_no_links_that_break_inside_the_graders_folders():
    graded = sorted((ROOT / "grading").rglob("*.ipynb"))
    assert len(graded) == 2 * len(SOLUTIONS)
    for path in graded:
        for cell in nbformat.read(path, as_version=4).cells:
            targets = re.findall(r"\]\(([^)\s]+)\)", cell.source)
            relative = [t for t in targets if not re.match(r"^(https?:|mailto:|#)", t)]
            assert relative == [], f"{path.relative_to(ROOT)}: relative links {relative}"
