"""The nbgrader route: ``grading/nbgrader/source/exNN/NN-*.ipynb`` with nbgrader's cell metadata."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from .. import markers
from ..markers import SolutionMarkerError
from .common import AUTO_POINTS, _NB_META, _Parsed, _SCHEMA, _md, _unlink, _write, grade_id


def _visible_test(exercise_id: str, expression: str) -> str:
    return (f"# Test of exercise {exercise_id}: the answer is compared with the course's fingerprints (the same\n"
            "# comparison as your self-check, without recording progress or giving hints).\n"
            "from alliance_course.grading import verify\n"
            f"assert verify({exercise_id!r}, {expression}), \"{exercise_id} is not right yet\"")


def _hidden_test(exercise_id: str, expression: str) -> list[str]:
    """Statements that re-import the package from disk (a learner's redefinitions do not count) and compare."""
    return [
        "import sys",
        "_stale = [sys.modules.pop(name) for name in list(sys.modules) if name.split('.')[0] == 'alliance_course']",
        "from alliance_course.grading import verify as _verify",
        f"assert _verify({exercise_id!r}, {expression}), \"{exercise_id} is not right\"",
    ]


def _nbgrader_code(source: str, where: str) -> str:
    """nbgrader needs BEGIN/END blocks: one-line ``# SOLUTION`` markers become blocks (NO PROMPT is the same)."""
    out = []
    for segment in markers._segments(source, where):
        if isinstance(segment, markers._Block):
            out.append(f"{segment.indent}### BEGIN SOLUTION")
            out.extend(segment.lines)
            out.append(f"{segment.indent}### END SOLUTION")
        elif markers._NO_PROMPT_LINE.search(segment) or markers._INLINE.search(segment):
            code = markers._INLINE.sub("", markers._NO_PROMPT_LINE.sub("", segment)).rstrip()
            indent = code[: len(code) - len(code.lstrip())]
            out.extend([f"{indent}### BEGIN SOLUTION", code, f"{indent}### END SOLUTION"])
        else:
            out.append(segment)
    return "\n".join(out)


def _meta(gid: str, *, solution: bool, grade: bool, locked: bool, points: int | None = None) -> dict:
    meta = {"grade": grade, "grade_id": gid, "locked": locked, "schema_version": _SCHEMA, "solution": solution,
            "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def render_nbgrader(solution: Path, root: Path) -> str:
    """The nbgrader source notebook for one solution notebook."""
    parsed = _Parsed(solution, root)
    number = parsed.number
    cells = []
    manual_seen = False
    for i, cell, tags, where in parsed.shipped_cells():
        if "nav-header" in tags:
            cell.source = parsed.header("nbgrader")
            cells.append(cell)
            continue
        if cell.cell_type == "markdown":
            if markers._MD_BLOCK.search(cell.source):
                exercise_id = parsed.manual_section(i)
                if manual_seen:
                    raise SolutionMarkerError(f"{where}: a second open answer (one per set, marked with "
                                                 f"instructors/rubrics/{number}.md)")
                manual_seen = True
                before, answer, after = parsed.split_answer(cell, i)
                if before:
                    cells.append(_md(_unlink(before), f"{cell.id}-before"))
                cell.source = answer
                cell.metadata[_NB_META] = _meta(grade_id(exercise_id), solution=True, grade=True, locked=False,
                                                points=parsed.manual_points)
                cells.append(cell)
                if after:
                    cells.append(_md(_unlink(after), f"{cell.id}-after"))
                continue
            else:
                cell.source = _unlink(cell.source)
                markers.strip_markdown(cell.source, where)  # raises on a stray marker
            cells.append(cell)
            continue
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        exercise_id = parsed.checked_id(cell)
        if parsed.has_solution(cell):
            cell.source = _nbgrader_code(cell.source, where)
            gid = grade_id(exercise_id) if exercise_id else re.sub(r"[^A-Za-z0-9_-]", "-", cell.id)
            cell.metadata[_NB_META] = _meta(gid, solution=True, grade=False, locked=False)
        cells.append(cell)
        if exercise_id:
            expression = parsed.answer_expression(cell, i)
            test = nbformat.v4.new_code_cell("\n".join([
                _visible_test(exercise_id, expression), "### BEGIN HIDDEN TESTS",
                *_hidden_test(exercise_id, expression), "### END HIDDEN TESTS"]))
            test.id = grade_id(exercise_id, "test")
            test.metadata[_NB_META] = _meta(grade_id(exercise_id, "test"), solution=False, grade=True, locked=True,
                                            points=AUTO_POINTS)
            cells.append(test)
    if not manual_seen:
        raise SolutionMarkerError(f"{parsed.rel}: instructors/rubrics/{number}.md marks {parsed.manual_id}, but "
                                     "the notebook has no open answer (<!-- BEGIN SOLUTION --> block) for it")
    note = nbformat.v4.new_markdown_cell(
        "**Graded version (nbgrader).** Each auto-checked exercise is worth "
        f"{AUTO_POINTS} point: replace `raise NotImplementedError()` with your code and keep the `check(...)` line "
        "for your own feedback; the locked cell after it is the test your instructor's autograder runs (it has more "
        f"tests you cannot see). The written answer {parsed.manual_id} is marked by hand out of "
        f"{parsed.manual_points} with the rubric `instructors/rubrics/{number}.md` of the course. Run every cell "
        "from the top before you submit (Kernel → Restart and Run All).")
    note.id = "nbgrader-note"
    title_at = next((k for k, c in enumerate(cells) if c.get("id") == "title"), 0)
    cells.insert(title_at + 1, note)
    nb = parsed.nb
    nb.cells = cells
    return _write(nb)
