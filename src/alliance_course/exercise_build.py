"""Build the learners' exercise notebooks from the solution notebooks, and the fingerprints their checks use.

``solutions/NN-*.ipynb`` are the only hand-edited exercise notebooks. :func:`generate` writes, for each of them,

- ``exercises/NN-*.ipynb``: the same notebook with the solutions taken out (markers as in nbgrader and
  otter-grader, so ``solutions/`` also works as their source):

  * code ``# BEGIN SOLUTION`` … ``# END SOLUTION`` → a stub that still runs: ``name = ...`` for every name the
    block defines that later code uses (or a bare ``...``), at the block's indentation;
    ``# BEGIN SOLUTION NO PROMPT`` … ``# END SOLUTION`` blocks are removed without a stub;
  * ``x = expr  # SOLUTION`` → ``x = ...`` (``return expr  # SOLUTION`` → ``return ...``);
  * lines ending in ``# SOLUTION NO PROMPT`` are removed;
  * markdown ``<!-- BEGIN SOLUTION -->`` … ``<!-- END SOLUTION -->`` → "*Write your answer here.*";
  * cells tagged ``instructor`` are removed; outputs and execution counts are stripped;
  * navigation cells are regenerated for the exercise page (:func:`alliance_course.nav.apply`);

- ``data/answers.json``: salted fingerprints of the answers, recorded by running each solution notebook in a fresh
  kernel with ``ALLIANCE_COURSE_RECORD`` set (see :mod:`alliance_course.exercises`).

Output is deterministic (cell ids kept from the solution, JSON written as nbformat writes it, trailing newline), so
``generate(check=True)`` can compare bytes and report what is out of date without writing anything.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import nbformat

from . import exercises, nav, paths
from ._common import course_relative, write_atomic
from .course import LESSONS, by_number

__all__ = ["ExerciseBuildError", "SolutionMarkerError", "find_leaks", "generate",
           "render_exercise", "secret_lines", "strip_code", "strip_markdown"]

from .markers import (  # noqa: F401 - re-exported: the build's public names and the grading build's
    CODE_PROMPT,
    INSTRUCTOR_TAG,
    SolutionMarkerError,
    WRITE_HERE,
    _BEGIN,
    _Block,
    _CHECK_CALL,
    _DROPPED_CELL_METADATA,
    _END,
    _EXERCISE_CALL,
    _IMPORT,
    _INLINE,
    _MD_BLOCK,
    _MD_MARKER,
    _MIN_SECRET_CHARS,
    _NO_PROMPT_LINE,
    _blank_inline,
    _bound_names,
    _segments,
    _stub,
    _tags,
    strip_code,
    strip_markdown,
)


class ExerciseBuildError(RuntimeError):
    """The build found problems it cannot fix; ``problems`` lists them in plain language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the exercise build failed:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems


def render_exercise(solution: Path, root: Path | None = None) -> str:
    """The exercise notebook (as the text to write) generated from one solution notebook."""
    root = root or paths.course_root()
    rel = course_relative(solution, root)
    try:
        nb = nbformat.read(solution, as_version=4)
    except Exception as exc:
        raise SolutionMarkerError(f"{rel}: cannot be read as a notebook ({exc})") from None
    nb.nbformat_minor = max(nb.nbformat_minor, 5)
    kept = [(i, cell) for i, cell in enumerate(nb.cells, start=1) if INSTRUCTOR_TAG not in _tags(cell)]
    for i, cell in enumerate(nb.cells, start=1):
        if INSTRUCTOR_TAG not in _tags(cell) and cell.cell_type == "code" and _EXERCISE_CALL.search(cell.source):
            raise SolutionMarkerError(f"{rel}: cell {i} calls exercise(...) but is not tagged '{INSTRUCTOR_TAG}' "
                                      "(its hinted wrong answers would ship to learners)")
    cells = []
    later_code = ""
    for i, cell in reversed(kept):
        cell = nbformat.from_dict(dict(cell))
        where = f"{rel}, cell {i}"
        if cell.cell_type == "code":
            cell.source = strip_code(cell.source, later_code, where)
            later_code = cell.source + "\n" + later_code
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = strip_markdown(cell.source, where)
        for key in _DROPPED_CELL_METADATA:
            cell.metadata.pop(key, None)
        if not cell.get("id"):
            cell.id = f"cell-{i}"
        cells.append(cell)
    nb.cells = list(reversed(cells))
    nb.metadata.pop("widgets", None)
    target = root / "exercises" / solution.name
    lesson = by_number(solution.name[:2])
    nav.apply(nb, nav.Page(target, lesson, "exercise"), root)
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


# --- the leak test --------------------------------------------------------------------------------------------------

def secret_lines(solution: nbformat.NotebookNode) -> list[str]:
    """Lines that must never appear in the learner's files: solution blocks, ``# SOLUTION`` lines (with and
    without their marker), markdown solution blocks and everything in ``instructor`` cells, except import lines
    and lines with fewer than four letters or digits (a bracket, ``else:``)."""
    secrets: list[str] = []
    for cell in solution.cells:
        if INSTRUCTOR_TAG in _tags(cell):
            secrets.extend(cell.source.split("\n"))
        elif cell.cell_type == "code":
            for segment in _segments(cell.source, "cell"):
                if isinstance(segment, _Block):
                    secrets.extend(segment.lines)
                elif _NO_PROMPT_LINE.search(segment):
                    secrets.append(_NO_PROMPT_LINE.sub("", segment))
                elif _INLINE.search(segment):
                    secrets.append(_INLINE.sub("", segment))
        elif cell.cell_type == "markdown":
            for block in _MD_BLOCK.findall(cell.source):
                secrets.extend(_MD_MARKER.sub("", block).split("\n"))
    cleaned = (line.strip() for line in secrets)
    return sorted({line for line in cleaned
                   if sum(ch.isalnum() for ch in line) >= _MIN_SECRET_CHARS and not _IMPORT.match(line)})


def find_leaks(solution: nbformat.NotebookNode, shipped_text: str) -> list[str]:
    """The secret lines of ``solution`` that appear as a line of ``shipped_text`` (an exercise notebook's JSON,
    or any other file learners get)."""
    try:
        document = json.loads(shipped_text)
        cells = document.get("cells", []) if isinstance(document, dict) else []
        sources = ["".join(c.get("source", "")) if isinstance(c.get("source"), list) else c.get("source", "")
                   for c in cells]
        shipped = {line.strip() for text in sources for line in text.split("\n")}
    except ValueError:
        shipped = {line.strip() for line in shipped_text.split("\n")}
    return [line for line in secret_lines(solution) if line in shipped]


# --- recording the answers ------------------------------------------------------------------------------------------

def _record(solution: Path, root: Path, timeout: int) -> tuple[dict[str, dict], list[str]]:
    """Run one solution notebook in a fresh kernel in record mode; return its exercises and any problems."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    rel = course_relative(solution, root)
    nb = nbformat.read(solution, as_version=4)
    with tempfile.TemporaryDirectory(prefix="alliance-course-build-") as tmp:
        record = Path(tmp) / "record.json"
        env = {**os.environ, exercises.RECORD_ENV: str(record), paths.ROOT_ENV: str(root),
               "ALLIANCE_COURSE_PROGRESS": str(Path(tmp) / "progress.json"), "MPLBACKEND": "Agg"}
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(solution.parent)}})
        try:
            client.execute(env=env)
        except CellExecutionError as exc:
            summary = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            return {}, [f"{rel}: the solution notebook fails in a fresh kernel: {summary}"]
        except Exception as exc:  # a dead or missing kernel, a timeout
            return {}, [f"{rel}: the solution notebook could not be run ({type(exc).__name__}: {exc})"]
        if not record.exists():
            return {}, [f"{rel}: the solution notebook calls no check(...), so it has no exercises"]
        recorded = json.loads(record.read_text(encoding="utf-8"))["exercises"]
    problems = []
    number = solution.name[:2]
    found: dict[str, dict] = {}
    for exercise_id, entry in sorted(recorded.items()):
        if entry.get("declared_only"):
            problems.append(f"{rel}: exercise {exercise_id} is declared but never checked")
        elif exercise_id.split(".")[0] != number:
            problems.append(f"{rel}: exercise id {exercise_id} does not start with the notebook number {number}")
        else:
            found[exercise_id] = {"notebook": number, "source": rel, **entry}
    return found, problems


def _answers_text(entries: dict[str, dict]) -> str:
    document = {
        "about": ("Generated by `python -m alliance_course build` from solutions/*.ipynb; do not edit. "
                  "Only salted SHA-256 fingerprints of normalised answers are stored, never the answers."),
        "exercises": entries,
        "format_version": exercises.FORMAT_VERSION,
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# --- the build ------------------------------------------------------------------------------------------------------

def _sync(target: Path, text: str, root: Path, check: bool, what: str, changed: list[str],
          problems: list[str]) -> None:
    old = target.read_bytes() if target.exists() else None
    if old == text.encode("utf-8"):
        return
    rel = course_relative(target, root)
    if check:
        problems.append(f"{rel} is {'missing' if old is None else 'out of date'} ({what})")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    changed.append(rel)


def rel_solutions(root: Path) -> str:
    return "solutions/"


def _student_view(graded_text: str) -> str:
    """A graded notebook's cells as learners would get them before the tool strips solutions: every cell that is
    not a solution, test or otter solution-block cell. Used by the build to catch a solution line left outside the
    markers (the tools themselves are run on the real files by tests/test_grading_tools.py)."""
    document = json.loads(graded_text)
    kept, in_solution = [], False
    for cell in document.get("cells", []):
        source = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) else cell.get("source", "")
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "raw":
            first = source.strip().split("\n", 1)[0].strip()
            if first in ("# BEGIN SOLUTION", "# BEGIN TESTS"):
                in_solution = True
            elif first in ("# END SOLUTION", "# END TESTS"):
                in_solution = False
            continue
        if in_solution or meta.get("solution") or meta.get("grade"):
            continue
        if cell.get("cell_type") == "code":
            source = strip_code(source)
        kept.append({"source": source})
    return json.dumps({"cells": kept})


def generate(check: bool = False, root: Path | None = None, execute: bool = True,
             timeout: int = 300) -> list[str]:
    """Regenerate ``exercises/`` and ``data/answers.json`` from ``solutions/``.

    Returns the files written (relative to the course root). With ``check=True`` nothing is written and the list
    holds every problem instead: files out of date, solution lines leaking into exercises, broken markers, failing
    solution notebooks. In write mode, problems that stop the build raise :class:`ExerciseBuildError` after every
    file that could be written has been written (``answers.json`` is only written when every solution ran).
    ``execute=False`` skips running the solutions (and so leaves ``answers.json`` alone).
    """
    root = Path(root) if root is not None else paths.course_root()
    numbers = {lesson.number for lesson in LESSONS}
    changed: list[str] = []
    problems: list[str] = []
    answers: dict[str, dict] = {}
    solutions = sorted((root / "solutions").glob("*.ipynb"))
    expected: set[Path] = set()
    all_ran = True
    for solution in solutions:
        rel = course_relative(solution, root)
        if solution.name[:2] not in numbers or solution.name[2:3] != "-":
            problems.append(f"{rel}: the name must start with a notebook number from the course list and a "
                            "hyphen, like 04-practice.ipynb")
            continue
        target = root / "exercises" / solution.name
        expected.add(target)
        try:
            text = render_exercise(solution, root)
        except SolutionMarkerError as exc:
            problems.append(str(exc))
            all_ran = False
            continue
        source_nb = nbformat.read(solution, as_version=4)
        for leak in find_leaks(source_nb, text):
            problems.append(f"{course_relative(target, root)}: shows a line of the solution: {leak!r}")
        _sync(target, text, root, check, f"regenerate it from {rel}", changed, problems)
        if execute:
            found, run_problems = _record(solution, root, timeout)
            problems.extend(run_problems)
            all_ran = all_ran and not run_problems
            for exercise_id in sorted(set(found) & set(answers)):
                problems.append(f"{rel}: exercise {exercise_id} is also defined in {answers[exercise_id]['source']}")
            answers.update(found)
            called = {m.group("id") for m in _CHECK_CALL.finditer(text)}
            for exercise_id in sorted(called - set(found)):
                if not run_problems:
                    problems.append(f"{rel}: the exercise calls check({exercise_id!r}) but the solution never "
                                    "checks that exercise")
    from . import grading_build

    graded, grading_problems = grading_build.outputs(
        [s for s in solutions if root / "exercises" / s.name in expected], root)
    problems.extend(grading_problems)
    for target, graded_text in graded.items():
        solution = root / "solutions" / target.name
        if target.suffix == ".ipynb" and solution.exists():
            source_nb = nbformat.read(solution, as_version=4)
            for leak in find_leaks(source_nb, _student_view(graded_text)):
                problems.append(f"{course_relative(target, root)}: shows a line of the solution outside its "
                                f"solution markers: {leak!r}")
        _sync(target, graded_text, root, check, f"regenerate it from {rel_solutions(root)}", changed, problems)
    generated = set(graded)
    for pattern in (f"{grading_build.NBGRADER_DIR}/source/*/*.ipynb", f"{grading_build.OTTER_DIR}/*.ipynb"):
        for stale in sorted(set(root.glob(pattern)) - generated):
            problems.append(f"{course_relative(stale, root)} has no source in solutions/ (grading files are generated; "
                            "delete it or add its solution notebook)")
    for stale in sorted(set((root / "exercises").glob("*.ipynb")) - expected):
        problems.append(f"{course_relative(stale, root)} has no source in solutions/ (exercises are generated; "
                        "delete it or add its solution notebook)")
    if execute and all_ran:
        _sync(root / "data" / exercises.ANSWERS_FILE, _answers_text(answers), root, check,
              "regenerate it with `make exercises`", changed, problems)
    if check:
        return problems
    if problems:
        raise ExerciseBuildError(problems)
    return changed
