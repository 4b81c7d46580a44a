"""The notebook linter: structure and hygiene checks, in the spirit of the Carpentries' lesson checker.

``lint(path)`` returns a list of plain-language problems ("notebooks/02-….ipynb: no '## Objectives' section");
an empty list means the notebook is clean. The test suite runs it over every notebook, and
``python -m alliance_course lint`` runs it by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import paths
from .course import LESSONS

KEEP_OUTPUT = "keep-output"
LESSON_SECTIONS = ("Questions", "Objectives", "Key points", "Further reading")
SOLUTION_MARKERS = re.compile(r"BEGIN SOLUTION|END SOLUTION|#\s*SOLUTION")
# A Markdown link (not an image): the target, without an optional "title". tests/test_docs.py uses it too.
MARKDOWN_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^#{2,4}\s+(.+?)\s*$", re.MULTILINE)


def _role(path: Path) -> str:
    folder = path.parent.name
    return {"notebooks": "lesson", "solutions": "solution", "exercises": "exercise"}.get(folder, "lesson")


def _number(path: Path) -> str | None:
    match = re.match(r"(\d\d)-", path.name)
    return match.group(1) if match else None


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def lint(path: Path, root: Path | None = None) -> list[str]:
    """Problems found in one notebook, each prefixed with its path relative to the course root."""
    root = root or paths.course_root()
    path = Path(path)
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = str(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{name}: cannot be read as a notebook ({exc})"]

    problems: list[str] = []
    say = problems.append
    cells = nb.get("cells", [])
    role = _role(path)
    number = _number(path)

    if nb.get("nbformat") != 4:
        say(f"{name}: nbformat is {nb.get('nbformat')!r}, expected 4")
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        say(f"{name}: kernelspec is {kernel!r}, expected 'python3' (Python 3 (ipykernel))")
    if "widgets" in nb.get("metadata", {}):
        say(f"{name}: stored widget state in the notebook metadata (strip it: nbstripout or Edit > Clear Outputs)")

    for i, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code" or KEEP_OUTPUT in _tags(cell):
            continue
        if cell.get("outputs"):
            say(f"{name}: cell {i} has stored outputs (clear them, or tag the cell '{KEEP_OUTPUT}')")
        if cell.get("execution_count") is not None:
            say(f"{name}: cell {i} has an execution count (clear outputs before committing)")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                say(f"{name}: cell {i} has a stored error output")

    markdown = [_source(c) for c in cells if c.get("cell_type") == "markdown"]
    titles = [text for text in markdown if text.lstrip().startswith("# ")]
    if not titles:
        say(f"{name}: no title cell (a markdown cell starting with '# ')")

    tags = {tag for cell in cells for tag in _tags(cell)}
    for tag in ("nav-header", "nav-footer"):
        if tag not in tags:
            say(f"{name}: no '{tag}' navigation cell (run `make nav` to generate it)")

    for text in markdown:
        for target in MARKDOWN_LINK.findall(text):
            problem = _broken_link(path, target)
            if problem:
                say(f"{name}: link '{target}' {problem}")

    if role == "lesson" and number and number != "00":
        headings = {h.strip().rstrip(":").lower() for text in markdown for h in _HEADING.findall(text)}
        for section in LESSON_SECTIONS:
            if not any(h == section.lower() or h.startswith(section.lower() + " ") for h in headings):
                say(f"{name}: no '## {section}' section (the lesson template requires it)")
        if int(number) >= 2 and not any(h.startswith("warm-up") or h.startswith("warm up") for h in headings):
            say(f"{name}: no '## Warm-up' section (lessons from 02 on open with retrieval questions)")
        code = "\n".join(_source(c) for c in cells if c.get("cell_type") == "code")
        if not re.search(rf"quiz\.show\(\s*['\"]{number}['\"]\s*\)", code):
            say(f"{name}: no end-of-notebook quiz (a cell calling quiz.show(\"{number}\"))")

    if role == "exercise":
        for i, cell in enumerate(cells, start=1):
            if SOLUTION_MARKERS.search(_source(cell)):
                say(f"{name}: cell {i} contains a solution marker (regenerate exercises/ with `make exercises`)")
            if "instructor" in _tags(cell):
                say(f"{name}: cell {i} is tagged 'instructor' (it must not ship to learners)")

    if number is not None and number not in {lesson.number for lesson in LESSONS}:
        say(f"{name}: notebook number {number} is not in the course list (alliance_course/course.py)")
    return problems


def _broken_link(path: Path, target: str) -> str | None:
    parsed = urlparse(target)
    if parsed.scheme in ("http", "https", "mailto") or target.startswith("#"):
        return None
    if parsed.scheme:
        return f"uses the scheme '{parsed.scheme}:' (use a relative path or an https URL)"
    file_part = unquote(parsed.path)
    if not file_part:
        return None
    if not (path.parent / file_part).exists():
        return "points at a file that does not exist"
    return None


def all_notebooks(root: Path | None = None) -> list[Path]:
    root = root or paths.course_root()
    return sorted(p for folder in ("notebooks", "solutions", "exercises")
                  for p in (root / folder).glob("*.ipynb"))


def lint_all(root: Path | None = None) -> list[str]:
    return [problem for path in all_notebooks(root) for problem in lint(path, root)]
