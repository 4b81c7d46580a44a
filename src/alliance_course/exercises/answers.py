"""``data/answers.json``: the exercises' fingerprints and hints, written by the build and read by ``check``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import paths
from .._common import cached_by_mtime
from .spec import ANSWERS_FILE, FORMAT_VERSION, AnswersFileError, ExerciseSpecError, validate_spec



def answers_path() -> Path:
    return paths.data_dir() / ANSWERS_FILE


def load_answers(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The exercises in ``data/answers.json`` by id, cached until the file changes.

    Raises :class:`AnswersFileError` (with the file name and what is wrong) if the file is missing or damaged.
    """
    path = Path(path) if path is not None else answers_path()
    try:
        return _read_answers(path)
    except OSError:  # only the stat of the cache: reading errors are AnswersFileError
        raise AnswersFileError(f"{path} is missing: run `python -m alliance_course build` "
                               "(or `make exercises`) to generate it from solutions/.") from None


@cached_by_mtime
def _read_answers(path: Path) -> dict[str, dict[str, Any]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise AnswersFileError(f"{path} cannot be read ({exc}); regenerate it with `make exercises`.") from None
    exercises = document.get("exercises") if isinstance(document, dict) else None
    if not isinstance(exercises, dict) or document.get("format_version") != FORMAT_VERSION:
        raise AnswersFileError(f"{path} is not an answers file of format version {FORMAT_VERSION}; "
                               "regenerate it with `make exercises`.")
    return exercises


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "it is not an object"
    try:
        validate_spec(entry.get("spec"))
    except ExerciseSpecError as exc:
        return f"its spec is invalid ({exc})"
    if not isinstance(entry.get("salt"), str):
        return "its salt is missing"
    accept = entry.get("accept")
    if not isinstance(accept, list) or not accept or not all(isinstance(a, str) for a in accept):
        return "its list of accepted fingerprints is missing"
    hints = entry.get("hints", {})
    if not isinstance(hints, dict) or not all(isinstance(v, str) for v in hints.values()):
        return "its hints are not a mapping of fingerprints to text"
    if entry.get("hint") is not None and not isinstance(entry["hint"], str):
        return "its default hint is not text"
    return None
