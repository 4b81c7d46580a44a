"""Where the course's files are, from any working directory.

The course folder is the one that holds ``notebooks/``, ``data/`` (with ``data/datapackage.json``),
``solutions/`` and ``exercises/``. It is found, in this order:

1. ``ALLIANCE_COURSE_ROOT``, when set (a copy of the course elsewhere, e.g. the browser tests' temporary folder);
2. the current working directory or the nearest folder above it that holds ``data/datapackage.json``: a
   notebook's kernel starts in the notebook's folder, so a course folder pulled by nbgitpuller into a JupyterHub
   home (``~/alliance-course/notebooks/…``) is found although the package itself was installed from a wheel into
   the hub's environment;
3. the source tree the package was installed from in editable mode (``pip install -e .``: the package sits in
   ``<course>/src/alliance_course``, so the course is two folders up).

If none holds the data, the source-tree location is returned, and loading data then says what is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "ALLIANCE_COURSE_ROOT"
MARKER = Path("data") / "datapackage.json"


def is_course_folder(folder: Path) -> bool:
    """True if ``folder`` looks like the course: it holds ``data/datapackage.json``."""
    try:
        return (folder / MARKER).is_file()
    except OSError:
        return False


def _from_working_directory() -> Path | None:
    try:
        here = Path.cwd()
    except OSError:  # the working directory was deleted
        return None
    for folder in (here, *here.parents):
        if is_course_folder(folder):
            return folder
    return None


def source_tree_root() -> Path:
    """The folder two levels above the package: the course folder of an editable install."""
    return Path(__file__).resolve().parents[2]


def course_root() -> Path:
    """The folder that holds ``notebooks/``, ``data/``, ``solutions/`` and ``exercises/`` (see the module text)."""
    override = os.environ.get(ROOT_ENV)
    if override:
        return Path(override).expanduser().resolve()
    found = _from_working_directory()
    if found is not None:
        return found.resolve()
    return source_tree_root()


def data_dir() -> Path:
    return course_root() / "data"


def notebooks_dir() -> Path:
    return course_root() / "notebooks"


def solutions_dir() -> Path:
    return course_root() / "solutions"


def exercises_dir() -> Path:
    return course_root() / "exercises"


def quizzes_dir() -> Path:
    return data_dir() / "quizzes"
