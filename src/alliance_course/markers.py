"""Solution markers: how a solution notebook marks what learners must not see, and how to take it out.

The markers are nbgrader's and otter-grader's (see :mod:`alliance_course.exercise_build` for the full list). This
module parses and strips them; the exercise build and the grading build both use it, so neither imports the other.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

import nbformat

INSTRUCTOR_TAG = "instructor"
WRITE_HERE = "*Write your answer here.*"
CODE_PROMPT = "# Your code here"
_BEGIN = re.compile(r"^(?P<indent>[ \t]*)#+[ \t]*BEGIN SOLUTION(?P<no_prompt>[ \t]+NO PROMPT)?[ \t]*$")
_END = re.compile(r"^[ \t]*#+[ \t]*END SOLUTION[ \t]*$")
_NO_PROMPT_LINE = re.compile(r"(^|\s)#+[ \t]*SOLUTION NO PROMPT[ \t]*$")
_INLINE = re.compile(r"(^|\s)#+[ \t]*SOLUTION[ \t]*$")
_MD_BLOCK = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->.*?<!--\s*END SOLUTION\s*-->", re.DOTALL)
_MD_MARKER = re.compile(r"<!--\s*(BEGIN|END) SOLUTION\s*-->")
_CHECK_CALL = re.compile(r"""\bcheck\(\s*(["'])(?P<id>[^"']+)\1""")
_EXERCISE_CALL = re.compile(r"\bexercise\(")
_IMPORT = re.compile(r"^(import|from)\s+[\w.]+(\s+import\s+[\w., ()]+)?$")  # an import reveals nothing
_DROPPED_CELL_METADATA = ("nbgrader", "execution", "collapsed", "scrolled")
_MIN_SECRET_CHARS = 4  # a "line" of a solution must have this many letters/digits to count in the leak test


class SolutionMarkerError(ValueError):
    """Solution markers in a solution notebook are unbalanced or misplaced (the message names file and cell)."""


# --- stripping solutions --------------------------------------------------------------------------------------------

@dataclass
class _Block:
    indent: str
    lines: list[str]
    no_prompt: bool
    start: int  # line number of the BEGIN marker (1-based), for messages


def _segments(source: str, where: str) -> list[str | _Block]:
    """Split a code cell into plain lines and solution blocks; unbalanced markers raise SolutionMarkerError."""
    out: list[str | _Block] = []
    block: _Block | None = None
    for number, line in enumerate(source.split("\n"), start=1):
        begin, end = _BEGIN.match(line), _END.match(line)
        if begin:
            if block is not None:
                raise SolutionMarkerError(f"{where}: line {number} opens a solution block inside the one "
                                          f"opened on line {block.start}")
            block = _Block(begin.group("indent"), [], bool(begin.group("no_prompt")), number)
        elif end:
            if block is None:
                raise SolutionMarkerError(f"{where}: line {number} closes a solution block that was never opened")
            out.append(block)
            block = None
        elif block is not None:
            block.lines.append(line)
        else:
            out.append(line)
    if block is not None:
        raise SolutionMarkerError(f"{where}: the solution block opened on line {block.start} has no "
                                  "'# END SOLUTION'")
    return out


def _blank_inline(line: str, where: str) -> str:
    """``x = expr  # SOLUTION`` → ``x = ...``; ``return expr  # SOLUTION`` → ``return ...``; else ``...``."""
    code = _INLINE.sub("", line).rstrip()
    indent = code[: len(code) - len(code.lstrip())]
    statement = code.strip()
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        raise SolutionMarkerError(f"{where}: {statement!r} marked '# SOLUTION' is not a complete one-line "
                                  "statement; use a BEGIN SOLUTION / END SOLUTION block") from None
    if len(tree.body) != 1:
        raise SolutionMarkerError(f"{where}: a '# SOLUTION' line must hold exactly one statement")
    node = tree.body[0]
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)) and node.value is not None:
        head = statement.encode("utf-8")[: node.value.col_offset].decode("utf-8").rstrip()
        return f"{indent}{head} ..."
    return f"{indent}..."


def _bound_names(lines: list[str]) -> list[str]:
    """Names a solution block binds at its own level (assignments, loops, imports, defs), in order."""
    source = textwrap.dedent("\n".join(lines))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        found = re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=]+)?=(?!=)", source, flags=re.MULTILINE)
        return list(dict.fromkeys(found))
    names: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.append(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.extend((alias.asname or alias.name).split(".")[0] for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return list(dict.fromkeys(names))


def _stub(block: _Block, later: str) -> list[str]:
    if block.no_prompt:
        return []
    used = [name for name in _bound_names(block.lines) if re.search(rf"\b{re.escape(name)}\b", later)]
    body = [f"{block.indent}{name} = ..." for name in used] or [f"{block.indent}..."]
    return [f"{block.indent}{CODE_PROMPT}", *body]


def strip_code(source: str, later_code: str = "", where: str = "cell") -> str:
    """The learner's version of one code cell; ``later_code`` is the (already stripped) code of later cells.

    A block's stub names only what the rest of the notebook uses, so the exercise runs top to bottom.
    """
    segments = _segments(source, where)
    rendered: list[list[str]] = []
    for segment in segments:
        if isinstance(segment, _Block):
            rendered.append([])  # filled below, once the code after it is known
        elif _NO_PROMPT_LINE.search(segment):
            rendered.append([])
        elif _INLINE.search(segment):
            rendered.append([_blank_inline(segment, where)])
        else:
            rendered.append([segment])
    for i in range(len(segments) - 1, -1, -1):
        segment = segments[i]
        if isinstance(segment, _Block):
            after = "\n".join(line for part in rendered[i + 1:] for line in part)
            rendered[i] = _stub(segment, after + "\n" + later_code)
    return "\n".join(line for part in rendered for line in part)


def strip_markdown(source: str, where: str = "cell") -> str:
    """The learner's version of one markdown cell."""
    stripped = _MD_BLOCK.sub(WRITE_HERE, source)
    if _MD_MARKER.search(stripped):
        raise SolutionMarkerError(f"{where}: a '<!-- BEGIN SOLUTION -->' / '<!-- END SOLUTION -->' pair "
                                  "is unbalanced")
    return stripped


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))
