"""Navigation is generated from alliance_course.course.LESSONS; the committed notebooks must match it."""

from __future__ import annotations

import shutil

import nbformat

from alliance_course import nav, paths
from alliance_course.course import LESSONS, by_number

ROOT = paths.course_root()


def test_committed_navigation_is_up_to_date():
    stale = nav.update(check=True)
    assert not stale, f"navigation out of date in {stale}: run `make nav` and commit the result"


def test_course_list_is_consistent():
    numbers = [lesson.number for lesson in LESSONS]
    assert numbers == [f"{i:02d}" for i in range(10)]
    assert len({lesson.slug for lesson in LESSONS}) == 10
    assert all(lesson.slug.startswith(lesson.number + "-") for lesson in LESSONS)
    assert by_number("2") is LESSONS[2]


def _fake_course(tmp_path, numbers):
    for number in numbers:
        lesson = by_number(number)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {lesson.title}")]
        (tmp_path / "notebooks").mkdir(exist_ok=True)
        nbformat.write(nb, tmp_path / "notebooks" / lesson.filename)
    return tmp_path


def test_build_adds_navigation_that_links_existing_notebooks_only(tmp_path):
    root = _fake_course(tmp_path, ["00", "01", "03"])
    changed = nav.update(root=root)
    assert sorted(changed) == sorted(f"notebooks/{by_number(n).filename}" for n in ["00", "01", "03"])
    nb = nbformat.read(root / "notebooks" / by_number("01").filename, as_version=4)
    header, footer = nb.cells[0], nb.cells[-1]
    assert "nav-header" in header.metadata["tags"] and "nav-footer" in footer.metadata["tags"]
    assert "00-start-here.ipynb" in header.source
    assert by_number("03").filename in header.source  # 02 does not exist: next is 03
    assert by_number("02").filename not in header.source + footer.source
    start = nbformat.read(root / "notebooks" / "00-start-here.ipynb", as_version=4)
    course_map = [c for c in start.cells if "course-map" in c.metadata.get("tags", [])]
    assert len(course_map) == 1
    assert "(in preparation)" in course_map[0].source  # lessons not written yet are listed, unlinked
    assert course_map[0].source.count("| ") >= 10


def _snapshot(root):
    return {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in sorted(root.rglob("*.ipynb"))}


def test_build_is_idempotent_and_check_mode_writes_nothing(tmp_path):
    root = _fake_course(tmp_path, ["00", "01"])
    before = _snapshot(root)
    stale = nav.update(check=True, root=root)  # out of date before the first build ...
    assert sorted(stale) == ["notebooks/00-start-here.ipynb", "notebooks/01-alliance-or-coalition.ipynb"]
    assert _snapshot(root) == before  # ... and check mode wrote nothing (bytes and modification times)
    assert sorted(path.name for path in root.rglob("*") if path.is_file()) == sorted(p.name for p in before)
    nav.update(root=root)
    assert _snapshot(root) != before
    assert nav.update(root=root) == []
    assert nav.update(check=True, root=root) == []


def test_hand_edited_navigation_is_detected(tmp_path):
    root = _fake_course(tmp_path, ["00", "01"])
    nav.update(root=root)
    path = root / "notebooks" / "01-alliance-or-coalition.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "hand-written navigation"
    nbformat.write(nb, path)
    assert nav.update(check=True, root=root) == ["notebooks/01-alliance-or-coalition.ipynb"]


def test_exercise_pages_link_back_to_their_lesson(tmp_path):
    root = _fake_course(tmp_path, ["00", "01"])
    (root / "exercises").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Exercises 01")]
    nbformat.write(nb, root / "exercises" / "01-practice.ipynb")
    nav.update(root=root)
    ex = nbformat.read(root / "exercises" / "01-practice.ipynb", as_version=4)
    assert "../notebooks/01-alliance-or-coalition.ipynb" in ex.cells[0].source
    lesson = nbformat.read(root / "notebooks" / "01-alliance-or-coalition.ipynb", as_version=4)
    assert "../exercises/01-practice.ipynb" in lesson.cells[-1].source
    shutil.rmtree(root / "exercises")
