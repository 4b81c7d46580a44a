"""Where the course's files are, from any working directory.

The course is installed in editable mode (``pip install -e .``), so the package sits in
``<course>/src/alliance_course`` and the course root is two folders up. ``ALLIANCE_COURSE_ROOT``
overrides this (for a copy of the course elsewhere, e.g. the browser tests' temporary folder).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "ALLIANCE_COURSE_ROOT"


def course_root() -> Path:
    """The folder that holds ``notebooks/``, ``data/``, ``solutions/`` and ``exercises/``."""
    override = os.environ.get(ROOT_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return Path(__file__).resolve().parents[2]


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
