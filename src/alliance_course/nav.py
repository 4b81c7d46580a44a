"""Generated navigation: header and footer of every notebook, and the course map in ``00-start-here``.

Everything here is written from the one list in :mod:`alliance_course.course`. The generated cells carry fixed ids
and tags (``nav-header``, ``nav-footer``, ``course-map``) so that running the build twice changes nothing, and
``update(check=True)`` can tell whether a notebook is out of date without writing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import paths
from ._common import write_atomic
from .course import LESSONS, Lesson

HEADER, FOOTER, COURSE_MAP = "nav-header", "nav-footer", "course-map"
COURSE_TITLE = "Alliance or Coalition? NATO from Article 5 to Framework Nations"


@dataclass(frozen=True)
class Page:
    """A notebook the build knows about: a lesson, or an exercise/solution set belonging to one."""

    path: Path
    lesson: Lesson
    role: str  # "lesson", "exercise" or "solution"


def _existing(folder: Path, number: str) -> list[Path]:
    return sorted(folder.glob(f"{number}-*.ipynb"))


def pages(root: Path | None = None) -> list[Page]:
    """Every notebook of the course that exists on disk, in course order."""
    root = root or paths.course_root()
    found: list[Page] = []
    for lesson in LESSONS:
        lesson_path = root / "notebooks" / lesson.filename
        if lesson_path.exists():
            found.append(Page(lesson_path, lesson, "lesson"))
        for role, folder in (("solution", "solutions"), ("exercise", "exercises")):
            for path in _existing(root / folder, lesson.number):
                found.append(Page(path, lesson, role))
    return found


def _lesson_exists(root: Path, lesson: Lesson) -> bool:
    return (root / "notebooks" / lesson.filename).exists()


def _neighbours(root: Path, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    present = [item for item in LESSONS if _lesson_exists(root, item)]
    if lesson not in present:
        return None, None
    i = present.index(lesson)
    return (present[i - 1] if i > 0 else None), (present[i + 1] if i + 1 < len(present) else None)


def _link(lesson: Lesson, prefix: str = "") -> str:
    return f"[{lesson.number} · {lesson.title}]({prefix}{lesson.filename})"


def _exercise_links(root: Path, lesson: Lesson, prefix: str) -> list[str]:
    return [f"[{p.stem}]({prefix}{p.name})" for p in _existing(root / "exercises", lesson.number)]


def header_text(root: Path, page: Page) -> str:
    lesson = page.lesson
    if page.role == "lesson":
        prev, nxt = _neighbours(root, lesson)
        parts = [f"*{COURSE_TITLE}* · notebook {lesson.number} · about {lesson.minutes} min"]
        nav = []
        if prev:
            nav.append(f"← {_link(prev)}")
        if lesson.number != "00":
            nav.append("[Course map](00-start-here.ipynb#Course-map)")
        if nxt:
            nav.append(f"{_link(nxt)} →")
        return "  \n".join(parts + ([" · ".join(nav)] if nav else []))
    kind = "Solutions" if page.role == "solution" else "Exercises"
    text = f"*{COURSE_TITLE}* · {kind} for notebook {lesson.number}"
    links = ["[Course map](../notebooks/00-start-here.ipynb#Course-map)"]
    if _lesson_exists(root, lesson):
        links.insert(0, f"Lesson: {_link(lesson, '../notebooks/')}")
    return text + "  \n" + " · ".join(links)


def footer_text(root: Path, page: Page) -> str:
    lesson = page.lesson
    if page.role == "lesson":
        prev, nxt = _neighbours(root, lesson)
        lines = ["---"]
        exercises = _exercise_links(root, lesson, "../exercises/")
        if exercises:
            lines.append("**Practise:** " + ", ".join(exercises) + " (exercises with self-checks)")
        nav = []
        if prev:
            nav.append(f"← Previous: {_link(prev)}")
        if lesson.number != "00":
            nav.append("[Course map](00-start-here.ipynb#Course-map)")
        if nxt:
            nav.append(f"Next: {_link(nxt)} →")
        if nav:
            lines.append(" · ".join(nav))
        return "\n\n".join(lines)
    back = (f"Back to the lesson: {_link(lesson, '../notebooks/')} · "
            if _lesson_exists(root, lesson) else "")
    return f"---\n\n{back}[Course map](../notebooks/00-start-here.ipynb#Course-map)"


def course_map_text(root: Path) -> str:
    rows = ["## Course map", "",
            "| # | Notebook | Core question | Time | Exercises |",
            "|---|---|---|---|---|"]
    for lesson in LESSONS:
        title = _link(lesson) if _lesson_exists(root, lesson) else f"{lesson.title} *(in preparation)*"
        exercises = ", ".join(_exercise_links(root, lesson, "../exercises/")) or "—"
        rows.append(f"| {lesson.number} | {title} | {lesson.question} | {lesson.minutes} min | {exercises} |")
    total = sum(lesson.minutes for lesson in LESSONS)
    rows += ["", f"About {total // 60} hours of study in all, plus the exercises. "
                 "Each lesson ends with a quiz; your results are saved (see *Your progress* below)."]
    return "\n".join(rows)


def _set_cell(nb: nbformat.NotebookNode, tag: str, text: str, position: str) -> None:
    """Replace the cell tagged ``tag`` with ``text``, or insert it at the top/bottom."""
    for cell in nb.cells:
        if tag in cell.get("metadata", {}).get("tags", []):
            cell.source = text
            cell.id = tag
            return
    cell = nbformat.v4.new_markdown_cell(text, metadata={"tags": [tag]})
    cell.id = tag
    if position == "top":
        nb.cells.insert(0, cell)
    elif position == "bottom":
        nb.cells.append(cell)
    else:  # position == "title": right after the notebook's title cell
        nb.cells.insert(_after_title(nb), cell)


def _after_title(nb: nbformat.NotebookNode) -> int:
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            return i + 1
    return len(nb.cells)


def render(page: Page, root: Path | None = None) -> nbformat.NotebookNode:
    """The notebook at ``page.path`` with its generated cells brought up to date (not written)."""
    return apply(nbformat.read(page.path, as_version=4), page, root)


def apply(nb: nbformat.NotebookNode, page: Page, root: Path | None = None) -> nbformat.NotebookNode:
    """Bring the generated cells of an in-memory notebook up to date (used by the exercise build too)."""
    root = root or paths.course_root()
    _set_cell(nb, HEADER, header_text(root, page), "top")
    _set_cell(nb, FOOTER, footer_text(root, page), "bottom")
    if page.role == "lesson" and page.lesson.number == "00":
        _set_cell(nb, COURSE_MAP, course_map_text(root), "title")
    return nb


def update(check: bool = False, root: Path | None = None) -> list[str]:
    """Bring every notebook's navigation up to date.

    Returns the notebooks that were (or, with ``check=True``, would be) changed, relative to the course root.
    """
    root = root or paths.course_root()
    changed = []
    for page in pages(root):
        new = nbformat.writes(render(page, root))
        old = nbformat.writes(nbformat.read(page.path, as_version=4))
        if new != old:
            changed.append(page.path.relative_to(root).as_posix())
            if not check:
                write_atomic(page.path, new if new.endswith("\n") else new + "\n")
    return changed
