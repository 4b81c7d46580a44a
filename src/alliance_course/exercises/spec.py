"""What an exercise is: its spec (kind, tolerance, ordered), the result of a check, the errors and limits."""

from __future__ import annotations

import hashlib
import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

ANSWERS_FILE = "answers.json"
FORMAT_VERSION = 1
RECORD_ENV = "ALLIANCE_COURSE_RECORD"
KINDS = ("number", "text", "set", "list", "table", "bool")
EXERCISE_ID = re.compile(r"^(\d{2})\.\d{1,2}[a-z]?$")
MAX_ITEMS = 100_000  # elements of a set/list
MAX_CELLS = 20_000  # cells of a table, index included (the course's largest table answer has a few dozen)
MAX_TEXT = 100_000  # characters of a text answer
MAX_MAGNITUDE = 10**300  # larger numbers are never an answer in this course
_MAX_DEPTH = 4  # nesting of tuples inside a list answer

Status = Literal["correct", "not_yet", "unanswered", "unknown_exercise", "check_failed"]
_SYMBOL = {"correct": "✓", "not_yet": "✗", "unanswered": "○", "unknown_exercise": "?", "check_failed": "⚠"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$")
_INTEGER_TEXT = re.compile(r"^[+-]?\d{1,18}$")
_MAX_TIED_ORDERS = 24  # column orders tried when several columns of a table hold the same values
_EDGE_PUNCTUATION = " .,;:!?\"'`()[]{}"
_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


class AnswerError(ValueError):
    """The answer cannot be read as the kind of answer the exercise expects (the message is for the learner)."""


class ExerciseSpecError(ValueError):
    """An exercise is declared wrongly in a solution notebook (the message is for the author)."""


class AnswersFileError(ValueError):
    """``data/answers.json`` is missing or damaged."""


# --- results --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckResult:
    """The outcome of one ``check``: shown as Markdown in JupyterLab and as one line of text elsewhere."""

    exercise_id: str
    status: Status
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __repr__(self) -> str:
        return f"{_SYMBOL[self.status]} Exercise {self.exercise_id}: {self.message}"

    __str__ = __repr__

    def _repr_markdown_(self) -> str:
        label = str(self.exercise_id).replace("`", "'")
        return f"**{_SYMBOL[self.status]} Exercise `{label}`** — {self.message}"


# --- specs ----------------------------------------------------------------------------------------------------------

def validate_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Return the spec in canonical form (kind, tolerance, ordered), or raise :class:`ExerciseSpecError`.

    ``kind`` is one of :data:`KINDS`. ``tolerance`` (default 0, meaning exact) applies to numbers, including the
    numbers inside sets, lists and tables. ``ordered`` (default False) says whether a table's row order matters.
    """
    if not isinstance(spec, Mapping):
        raise ExerciseSpecError(f"an exercise spec must be a mapping, not {type(spec).__name__}")
    unknown = set(spec) - {"kind", "tolerance", "ordered"}
    if unknown:
        raise ExerciseSpecError(f"unknown spec field(s) {sorted(unknown)}; allowed: kind, tolerance, ordered")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise ExerciseSpecError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    out: dict[str, Any] = {"kind": kind}
    tolerance = spec.get("tolerance")
    if kind in ("number", "set", "list", "table"):
        tolerance = 0 if tolerance is None else tolerance
        if (isinstance(tolerance, bool) or not isinstance(tolerance, (int, float))
                or not math.isfinite(tolerance) or tolerance < 0):
            raise ExerciseSpecError(f"tolerance must be a number ≥ 0; got {tolerance!r}")
        out["tolerance"] = tolerance
    elif tolerance is not None:
        raise ExerciseSpecError(f"a {kind} exercise takes no tolerance")
    ordered = spec.get("ordered")
    if kind == "table":
        if ordered is not None and not isinstance(ordered, bool):
            raise ExerciseSpecError(f"ordered must be True or False; got {ordered!r}")
        out["ordered"] = bool(ordered)
    elif ordered is not None:
        raise ExerciseSpecError("only a table exercise takes 'ordered' (a list is always ordered, a set never)")
    return out


def infer_kind(answer: Any) -> str:
    """The kind of exercise a solution's answer implies (bool, number, text, set, list or table)."""
    if _is_bool(answer):
        return "bool"
    if _is_number(answer):
        return "number"
    if isinstance(answer, str):
        return "text"
    if isinstance(answer, (set, frozenset)):
        return "set"
    if isinstance(answer, (list, tuple)):
        return "list"
    if isinstance(answer, (pd.DataFrame, pd.Series)):
        return "table"
    raise ExerciseSpecError(f"cannot tell the kind of exercise from a {type(answer).__name__} answer; "
                            f"declare it: exercise(id, kind=...) with one of {', '.join(KINDS)}")


def salt_for(exercise_id: str) -> str:
    """The per-exercise salt: public and deterministic, so the build's output is reproducible byte for byte."""
    return hashlib.sha256(f"alliance-course/exercise/{exercise_id}".encode()).hexdigest()[:16]


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def _is_number(value: Any) -> bool:
    return not _is_bool(value) and isinstance(value, (numbers.Real, Decimal))
