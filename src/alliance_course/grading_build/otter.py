"""The otter-grader route: ``grading/otter/NN-*.ipynb`` master notebooks (format v1)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from .. import markers
from ..markers import SolutionMarkerError
from .common import AUTO_POINTS, _Parsed, _md, _unlink, _write, assignment_name, grade_id
from .nbgrader import _hidden_test


def _raw(text: str, cell_id: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_raw_cell(text)
    cell.id = cell_id
    return cell


def _otter_code(source: str, later_code: str, where: str) -> str:
    """Keep the course's stub in otter's student version: a block becomes ``# BEGIN SOLUTION NO PROMPT`` … plus a
    ``# BEGIN PROMPT`` string holding the stub (otter drops the solution and keeps the prompt lines). One-line
    ``# SOLUTION`` markers are otter's own and stay as they are."""
    segments = markers._segments(source, where)
    learner: list[list[str]] = []  # the exercise version, as in exercise_build.strip_code
    for segment in segments:
        if isinstance(segment, markers._Block) or markers._NO_PROMPT_LINE.search(segment):
            learner.append([])
        elif markers._INLINE.search(segment):
            learner.append([markers._blank_inline(segment, where)])
        else:
            learner.append([segment])
    master: list[list[str]] = [[] if isinstance(s, markers._Block) else [s] for s in segments]
    for k in range(len(segments) - 1, -1, -1):
        segment = segments[k]
        if not isinstance(segment, markers._Block):
            continue
        after = "\n".join(line for part in learner[k + 1:] for line in part)
        stub = markers._stub(segment, after + "\n" + later_code)
        learner[k] = stub
        indent = segment.indent
        block = [f"{indent}# BEGIN SOLUTION NO PROMPT", *segment.lines, f"{indent}# END SOLUTION"]
        if stub:
            block += [f'{indent}""" # BEGIN PROMPT', *stub, f'{indent}""" # END PROMPT']
        master[k] = block
    return "\n".join(line for part in master for line in part)


def render_otter(solution: Path, root: Path) -> str:
    """The otter-grader master notebook for one solution notebook."""
    parsed = _Parsed(solution, root)
    number = parsed.number
    config = "\n".join([
        "# ASSIGNMENT CONFIG",
        f"name: {assignment_name(number)}",
        "init_cell: true",
        "check_all_cell: false",
        "export_cell: false",
        "run_tests: true",
        "strip_solutions_from_all_cells: true",
        "solutions_pdf: false",
        "generate: true",
        "tests:",
        "  files: false",
        "  ok_format: true",
    ])
    # exercise code of later cells, as learners see it, for the stubs (a block's stub names what later code uses)
    stripped_later: dict[int, str] = {}
    acc = ""
    for i, cell in reversed(parsed.cells):
        stripped_later[i] = acc
        if cell.cell_type == "code":
            acc = markers.strip_code(cell.source, acc, parsed.where(i)) + "\n" + acc
    out = [_raw(config, "otter-config")]
    open_question: str | None = None
    trailing: list[nbformat.NotebookNode] = []  # cells after a question's answer, placed after END QUESTION

    def close() -> None:
        nonlocal open_question
        if open_question is not None:
            out.append(_raw("# END QUESTION", f"{grade_id(open_question)}-end"))
            open_question = None
        out.extend(trailing)
        trailing.clear()

    answered: set[str] = set()
    current: str | None = None

    def begin(exercise_id: str) -> None:
        nonlocal open_question
        close()
        manual = exercise_id == parsed.manual_id
        # an auto-checked question's point is on its hidden test (the public test, worth 0, is feedback): a learner
        # who redefines verify() in their notebook passes the public test and still gets nothing
        lines = ["# BEGIN QUESTION", f"name: {grade_id(exercise_id)}",
                 f"points: {parsed.manual_points if manual else f'[0, {AUTO_POINTS}]'}"]
        if manual:
            lines.append("manual: true")
        out.append(_raw("\n".join(lines), f"{grade_id(exercise_id)}-begin"))
        open_question = exercise_id

    for i, cell, tags, where in parsed.shipped_cells():
        section = parsed.section[i]
        if section != current:
            close()
            if section is not None and section not in answered:
                begin(section)
            current = section
        if "nav-header" in tags:
            cell.source = parsed.header("otter-grader")
            out.append(cell)
            continue
        target = trailing if (open_question is not None and open_question in answered) else out
        if cell.cell_type == "markdown":
            if markers._MD_BLOCK.search(cell.source):
                exercise_id = parsed.manual_section(i)
                if exercise_id in answered:
                    raise SolutionMarkerError(f"{where}: a second open answer for {exercise_id}")
                before, answer, after = parsed.split_answer(cell, i)
                if open_question != exercise_id:
                    begin(exercise_id)
                if before:
                    out.append(_md(_unlink(before), f"{cell.id}-before"))
                cell.source = answer
                gid = grade_id(exercise_id)
                out.extend([_raw("# BEGIN SOLUTION", f"{gid}-solution"), cell,
                            _raw("# END SOLUTION", f"{gid}-solution-end")])
                answered.add(exercise_id)
                if after:
                    trailing.append(_md(_unlink(after), f"{cell.id}-after"))
            else:
                cell.source = _unlink(cell.source)
                markers.strip_markdown(cell.source, where)
                target.append(cell)
            continue
        if cell.cell_type != "code":
            target.append(cell)
            continue
        if parsed.has_solution(cell):
            cell.source = _otter_code(cell.source, stripped_later[i], where)
        exercise_id = parsed.checked_id(cell)
        if exercise_id:
            if exercise_id in answered:
                raise SolutionMarkerError(f"{where}: exercise {exercise_id} is checked in two cells")
            if open_question != exercise_id:
                begin(exercise_id)
            expression = parsed.answer_expression(cell, i)
            gid = grade_id(exercise_id)
            public = nbformat.v4.new_code_cell("\n".join([
                "from alliance_course.grading import verify",
                f"assert verify({exercise_id!r}, {expression})"]))
            public.id = f"{gid}-public-test"
            hidden = nbformat.v4.new_code_cell("\n".join(["# HIDDEN", *_hidden_test(exercise_id, expression)]))
            hidden.id = f"{gid}-hidden-test"
            out.extend([_raw("# BEGIN SOLUTION", f"{gid}-solution"), cell,
                        _raw("# END SOLUTION", f"{gid}-solution-end"),
                        _raw("# BEGIN TESTS", f"{gid}-tests"), public, hidden,
                        _raw("# END TESTS", f"{gid}-tests-end")])
            answered.add(exercise_id)
        else:
            target.append(cell)
    close()
    missing = sorted({parsed.checked_id(c) for _, c in parsed.cells if parsed.checked_id(c)} - answered)
    if missing or parsed.manual_id not in answered:
        raise SolutionMarkerError(f"{parsed.rel}: no otter question for {', '.join(missing) or parsed.manual_id}")
    nb = parsed.nb
    nb.cells = out
    nb.metadata["kernelspec"] = nb.metadata.get("kernelspec") or {"name": "python3", "display_name": "Python 3",
                                                                   "language": "python"}
    return _write(nb)
