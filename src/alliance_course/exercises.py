"""Self-checks for exercise notebooks that never reveal the answer.

A learner writes ``check("00.2", answer)`` as the last line of a cell. The answer is *normalised* (numbers rounded
to the exercise's tolerance, text case- and whitespace-folded, sets sorted, tables reduced to their values), hashed
with a per-exercise salt (SHA-256), and the hash is compared with the fingerprints that
``python -m alliance_course build`` stored in ``data/answers.json`` from the solution notebooks. Normalisation makes
every equivalent form of an answer alike (numpy and pandas scalars, any collection for a set, tables in any row or
column order with the key as index or column, years as text, ISO date strings, categorical zero rows, ``count`` for
``size``); see :func:`normalise` and :func:`answer_forms`. The result says "correct", "not yet" (with a hint, which
can be keyed to a common wrong answer), "not answered yet" (the stub ``...`` is still there), "unknown exercise", or
"check failed" when the checker itself breaks (a bug to report, never a verdict on the answer). A check never raises
and never shows the right answer; graded attempts are saved in the learner's progress.

How the build learns the answers: solution notebooks contain the same ``check(...)`` calls with the real answers.
The build runs each solution in a fresh kernel with ``ALLIANCE_COURSE_RECORD`` set to a temporary file; in that
mode ``check`` writes fingerprints there instead of grading. Solution notebooks may declare an exercise's spec and
hints in a cell tagged ``instructor`` (removed from the learner's copy, so wrong answers never ship in plain text)::

    exercise("00.2", kind="number", tolerance=0, hint="Group the members by accession year.",
             hints={1949: "1949 is the founding, not an enlargement."})

This is a self-check, not an exam: anyone who wants to can hash every small integer and compare.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import paths

__all__ = [
    "AnswerError",
    "AnswersFileError",
    "CheckResult",
    "ExerciseSpecError",
    "KINDS",
    "RECORD_ENV",
    "answer_fingerprints",
    "answer_forms",
    "check",
    "exercise",
    "fingerprint",
    "infer_kind",
    "load_answers",
    "normalise",
    "salt_for",
    "solution_fingerprints",
    "validate_spec",
]

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


# --- normalisation --------------------------------------------------------------------------------------------------

def normalise(answer: Any, spec: Mapping[str, Any]) -> str:
    """The canonical text of ``answer`` under ``spec``: answers that must count as equal give equal text.

    Numbers are rounded to the nearest multiple of the tolerance (halves up, in exact arithmetic); Python, numpy and
    pandas scalars, 0-d arrays and one-element Series/arrays of them count as the scalar itself. Text is folded for
    case, accents, typographic quotes, surrounding punctuation and runs of whitespace. Items of sets, lists and
    table cells: numpy booleans are booleans, text that is a whole number ("1999") is that number, an ISO date
    string ("2004-03-29") is that date, whatever its type (``Timestamp``, ``datetime``, ``date``, ``datetime64``).
    Sets are sorted; a set answer may be any collection (list, tuple, ndarray, Series, Index). Tables keep their
    values, not their labels, in any column order, and in any row order unless ``ordered``; an index that is not a
    plain row number is a column; columns repeating another column (``groupby().count()``) count once.

    This is the answer's *primary* form; :func:`answer_forms` adds the other readings ``check`` accepts.
    Raises :class:`AnswerError`, with a message meant for the learner, when the answer is not of the expected kind.
    """
    return answer_forms(answer, spec)[0]


def answer_forms(answer: Any, spec: Mapping[str, Any]) -> list[str]:
    """Every canonical text under which ``answer`` may match (the primary form first).

    Only a table has more than one: its index read as a key column and as mere row labels (an unnamed integer index
    could be either), and, when it has a categorical column, without the rows whose counts are all zero (the
    unobserved categories that ``value_counts()`` and ``groupby(observed=False)`` keep). A solution is recorded by
    its primary form only, so a reading can never turn a table with other columns into the right one.
    """
    spec = validate_spec(spec)
    kind = spec["kind"]
    tolerance = _tolerance(spec.get("tolerance", 0))
    if kind == "table":
        return list(dict.fromkeys(_canonical_json([kind, form])
                                  for form in _table_forms(answer, tolerance, spec["ordered"])))
    if kind == "number":
        value: Any = _number_form(_real(_scalar(answer)), tolerance)
    elif kind == "text":
        value = _text(_scalar(answer))
    elif kind == "bool":
        answer = _scalar(answer)
        if not _is_bool(answer):
            quotes = " Remove the quotes?" if isinstance(answer, str) else ""
            numeric = " Use True or False, not 1 or 0." if _is_number(answer) else ""
            raise AnswerError(f"This exercise expects True or False; you gave {_describe(answer)}.{quotes}{numeric}")
        value = bool(answer)
    elif kind == "set":
        items = _collection(answer, kind)
        value = sorted({_canonical_json(_element(item, tolerance, 0)) for item in items})
    else:
        value = [_element(item, tolerance, 0) for item in _collection(answer, kind)]
    return [_canonical_json([kind, value])]


def fingerprint(answer: Any, spec: Mapping[str, Any], salt: str = "") -> str:
    """SHA-256 (hex) of the salted, normalised answer. Raises :class:`AnswerError` like :func:`normalise`."""
    return _hash(normalise(answer, spec), salt)


def answer_fingerprints(answer: Any, spec: Mapping[str, Any], salt: str = "") -> list[str]:
    """The fingerprints of every form of :func:`answer_forms` (primary first): what ``check`` looks up."""
    return [_hash(form, salt) for form in answer_forms(answer, spec)]


def solution_fingerprints(answer: Any, spec: Mapping[str, Any], salt: str = "") -> list[str]:
    """Every fingerprint that counts as this answer (sorted).

    For a single number with a tolerance the rounding bucket *and its two neighbours* are accepted, so any answer
    within the tolerance is accepted even when the right answer sits next to a rounding boundary (3.1499 vs 3.1501
    with tolerance 0.01); answers more than twice the tolerance away never are.
    """
    spec = validate_spec(spec)
    canonical = normalise(answer, spec)
    if spec["kind"] != "number" or spec["tolerance"] == 0:
        return [_hash(canonical, salt)]
    bucket = json.loads(canonical)[1]
    step = int(bucket[len("~"):])
    return sorted(_hash(_canonical_json(["number", f"~{step + d}"]), salt) for d in (-1, 0, 1))


def _hash(canonical: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{canonical}".encode("utf-8")).hexdigest()


def _canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _tolerance(tolerance: int | float) -> Fraction:
    return Fraction(str(tolerance))


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def _is_number(value: Any) -> bool:
    return not _is_bool(value) and isinstance(value, (numbers.Real, Decimal))


def _scalar(value: Any) -> Any:
    """A 0-d array, or a Series, Index, array, list, tuple or set holding exactly one item, as that item."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    if isinstance(value, (pd.Series, pd.Index, np.ndarray)) and value.size == 1 and value.ndim == 1:
        return value.to_numpy()[0] if not isinstance(value, np.ndarray) else value[0]
    if isinstance(value, pd.DataFrame) and value.shape == (1, 1):
        return value.iat[0, 0]
    if isinstance(value, (list, tuple, set, frozenset)) and len(value) == 1:
        item = next(iter(value))
        if not isinstance(item, (list, tuple, set, frozenset, Mapping)):
            return item
    return value


def _describe(value: Any) -> str:
    """A short, safe description of a value for messages (never its full repr: it could be huge)."""
    if value is None:
        return "None"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if _is_bool(value):
        return f"the truth value {bool(value)}"
    if _is_number(value):
        try:
            shown = f"{value}"
        except ValueError:  # an integer too long to print
            return "a very large number"
        return f"the number {shown if len(shown) <= 20 else shown[:17] + '...'}"
    length = ""
    try:
        if hasattr(value, "__len__"):
            length = f" of length {len(value)}"
    except Exception:  # a broken __len__ is not the learner's problem here
        length = ""
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}{length}"


def _real(value: Any) -> Fraction:
    """A single real number as an exact fraction, or an AnswerError that says what went wrong."""
    if _is_bool(value):
        raise AnswerError(f"This exercise expects a number; you gave {_describe(value)}.")
    if isinstance(value, str):
        raise AnswerError(f"This exercise expects a number; you gave {_describe(value)}. Remove the quotes?")
    if value is None:
        raise AnswerError("Your answer is None. Did a function forget to `return` its result?")
    if isinstance(value, (pd.Timedelta, np.timedelta64, timedelta)):
        raise AnswerError("This exercise expects a number; you gave a time span. For a number of days use its "
                          "`.days` (or `.dt.days` on a column).")
    if not _is_number(value):
        hint = ""
        if hasattr(value, "__len__"):
            hint = " Pick the single value, e.g. with `.iloc[0]` or `.item()`."
        raise AnswerError(f"This exercise expects a single number; you gave {_describe(value)}.{hint}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AnswerError("Your answer is not a finite number (NaN or infinity). Check for missing values.")
        if abs(value.adjusted()) > 400:  # Fraction() of 1e9999999 would take seconds and be rejected anyway
            raise AnswerError("Your answer is an astronomically large (or small) number; check your calculation.")
    if isinstance(value, numbers.Integral):
        exact = Fraction(int(value))
    elif isinstance(value, (Decimal, Fraction)):
        exact = Fraction(value)
    else:
        number = float(value)
        if not math.isfinite(number):
            raise AnswerError("Your answer is not a finite number (NaN or infinity). Check for missing values.")
        exact = Fraction(number)
    if abs(exact) > MAX_MAGNITUDE:
        raise AnswerError("Your answer is an astronomically large number; check your calculation.")
    return exact


def _number_form(value: Fraction, tolerance: Fraction) -> str:
    if tolerance == 0:
        return f"={value.numerator}/{value.denominator}"
    return f"~{math.floor(value / tolerance + Fraction(1, 2))}"


def _text(value: Any) -> str:
    if not isinstance(value, str):
        if isinstance(value, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)):
            raise AnswerError(f"This exercise expects one piece of text; you gave {_describe(value)}. "
                              "Pick the single item.")
        raise AnswerError(f"This exercise expects text (in quotes); you gave {_describe(value)}.")
    if len(value) > MAX_TEXT:
        raise AnswerError(f"Your text is {len(value):,} characters long: far longer than the answer expected.")
    folded = _fold(value)
    if not folded:
        raise AnswerError("Your answer is empty text.")
    return folded


def _fold(text: str) -> str:
    """Case, accents, typographic quotes, surrounding punctuation and runs of whitespace do not matter."""
    text = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHIC))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(text.split()).strip(_EDGE_PUNCTUATION).strip()


def _collection(value: Any, kind: str) -> list[Any]:
    if value is None:
        raise AnswerError("Your answer is None. Did a function forget to `return` its result?")
    if isinstance(value, (str, bytes)):
        raise AnswerError(f"This exercise expects a {kind} of items; you gave {_describe(value)}. "
                          f"Put the items in a {kind}, e.g. {'{' if kind == 'set' else '['}'a', 'b'"
                          f"{'}' if kind == 'set' else ']'}.")
    if isinstance(value, Mapping):
        raise AnswerError(f"This exercise expects a {kind}; you gave a dictionary. Use its keys or values.")
    if isinstance(value, pd.DataFrame):
        if value.shape[1] != 1:
            raise AnswerError(f"This exercise expects a {kind}; you gave a whole DataFrame. Select one column.")
        value = value.iloc[:, 0]
    if kind == "list" and isinstance(value, (set, frozenset)):
        raise AnswerError("This exercise expects a list in a particular order, but a set has no order. "
                          "Use a list (for example `sorted(...)`).")
    if isinstance(value, np.ndarray) and value.ndim != 1:
        if value.ndim == 0:
            value = [value[()]]
        else:
            raise AnswerError(f"This exercise expects a {kind} of items; you gave an array of "
                              f"{value.ndim} dimensions. Flatten it or pick one column.")
    if not isinstance(value, Iterable):
        raise AnswerError(f"This exercise expects a {kind} of items; you gave {_describe(value)}.")
    try:
        items = list(islice(iter(value), MAX_ITEMS + 1))
    except Exception as exc:  # the learner's own object failed while being read: say so, it is not our bug
        raise AnswerError(f"Your answer could not be read as a {kind}: going through its items raised "
                          f"{type(exc).__name__}. Use a set, list, Series or array.") from None
    if len(items) > MAX_ITEMS:
        raise AnswerError(f"Your {kind} has more than {MAX_ITEMS:,} items: far more than the answer has.")
    return items


def _date_form(stamp: pd.Timestamp) -> str:
    text = stamp.isoformat()
    return "d:" + (text[:10] if text[10:].strip("T0:.") == "" else text)


def _element(value: Any, tolerance: Fraction, depth: int) -> Any:
    """The canonical form of one item of a set, list or table cell."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if _is_bool(value):
        return bool(value)
    if _is_number(value):
        try:
            missing = bool(value != value)  # NaN is the only value not equal to itself
        except Exception:  # a signalling NaN refuses even to compare
            missing = True
        return None if missing else "n" + _number_form(_real(value), tolerance)
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise AnswerError("One of the items in your answer is an extremely long text.")
        stripped = value.strip()
        if _INTEGER_TEXT.match(stripped):  # a year or a count read as text
            return "n" + _number_form(Fraction(int(stripped)), tolerance)
        if _ISO_DATE.match(stripped):
            try:
                return _date_form(pd.Timestamp(stripped))
            except (ValueError, OverflowError):  # "2023-02-30" is text, not a date
                pass
        return "t:" + _fold(value)
    if isinstance(value, (datetime, date, pd.Timestamp, np.datetime64)):
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, OverflowError):
            raise AnswerError("Your answer contains a date outside the years pandas can handle.") from None
        return None if stamp is pd.NaT else _date_form(stamp)
    if isinstance(value, (pd.Timedelta, np.timedelta64, timedelta)):
        span = pd.Timedelta(value)
        return None if span is pd.NaT else f"s:{span.value}"
    if isinstance(value, np.ndarray) and depth < _MAX_DEPTH:
        value = value.tolist()
    if isinstance(value, (tuple, list)) and depth < _MAX_DEPTH:
        return [_element(item, tolerance, depth + 1) for item in value]
    if isinstance(value, (set, frozenset)) and depth < _MAX_DEPTH:
        return sorted((_element(item, tolerance, depth + 1) for item in value), key=_canonical_json)
    raise AnswerError(f"Your answer contains {_describe(value)}, which this exercise cannot compare. "
                      "Use numbers, text, True/False or dates.")


def _table_forms(value: Any, tolerance: Fraction, ordered: bool) -> list[list[Any]]:
    """The canonical readings of a table answer (see :func:`answer_forms`), the primary one first."""
    if isinstance(value, Mapping) and all(not isinstance(v, (Mapping, list, tuple, set)) for v in value.values()):
        value = pd.Series(dict(value))  # {1999: 3, 2004: 7}: a key and a count per row
    if not isinstance(value, (pd.DataFrame, pd.Series)):
        raise AnswerError(f"This exercise expects a table (a pandas DataFrame or Series); "
                          f"you gave {_describe(value)}.")
    frame = value.to_frame() if isinstance(value, pd.Series) else value
    if frame.shape[0] * (max(frame.shape[1], 1) + frame.index.nlevels) > MAX_CELLS:
        raise AnswerError(f"Your table has {frame.shape[0]:,} rows: far more than the answer has.")
    data = [frame.iloc[:, j] for j in range(frame.shape[1])]
    keys = [frame.index.get_level_values(level) for level in range(frame.index.nlevels)]
    readings = [data] if _is_row_number(frame.index) else [keys + data, data]
    forms = []
    for columns in readings:
        forms.append(_table_form(columns, tolerance, ordered))
        if any(isinstance(column.dtype, pd.CategoricalDtype) for column in columns):
            kept = _observed_rows(columns)
            if kept is not None:
                forms.append(_table_form([column[kept] for column in columns], tolerance, ordered))
    return forms


def _is_row_number(index: pd.Index) -> bool:
    """An unnamed index numbering the rows 0, 1, 2, ... (what ``reset_index`` or a new DataFrame gives)."""
    if index.nlevels != 1 or index.name is not None:
        return False
    if isinstance(index, pd.RangeIndex):
        return index.start == 0 and index.step == 1
    return index.dtype.kind in "iu" and bool((index == np.arange(len(index))).all())


def _observed_rows(columns: list[pd.Series | pd.Index]) -> np.ndarray | None:
    """Rows to keep when dropping those whose numbers are all zero (unobserved categories); None if none drop."""
    numeric = [np.asarray(column, dtype=float) for column in columns
               if not isinstance(column.dtype, pd.CategoricalDtype) and column.dtype.kind in "iuf"]
    if not numeric:
        return None
    zero = np.all([(col == 0) | np.isnan(col) for col in numeric], axis=0)
    return ~zero if zero.any() else None


def _table_form(columns: list[Any], tolerance: Fraction, ordered: bool) -> list[Any]:
    """Columns as canonical cells, repeated columns once, in a canonical column order; rows sorted unless
    ``ordered``."""
    cells: list[list[Any]] = []
    for column in columns:
        values = [_element(cell, tolerance, 0) for cell in column]
        if values not in cells:
            cells.append(values)
    keyed = sorted(((_canonical_json(sorted(_canonical_json(v) for v in col)), col) for col in cells),
                   key=lambda pair: pair[0])
    groups: list[list[list[Any]]] = []
    last = None
    for key, col in keyed:
        if key != last:
            groups.append([])
            last = key
        groups[-1].append(col)
    orders = 1
    for group in groups:
        orders *= math.factorial(len(group))

    def rows_of(cols: list[list[Any]]) -> list[Any]:
        rows = [list(row) for row in zip(*cols)] if cols else []
        if not ordered:
            rows.sort(key=_canonical_json)
        return rows

    if orders == 1 or orders > _MAX_TIED_ORDERS:
        return [len(cells), rows_of([col for group in groups for col in group])]
    best = None
    for choice in _tied_orders(groups):
        rows = rows_of(choice)
        text = _canonical_json(rows)
        if best is None or text < best[0]:
            best = (text, rows)
    assert best is not None
    return [len(cells), best[1]]


def _tied_orders(groups: list[list[list[Any]]]) -> Iterable[list[list[Any]]]:
    from itertools import permutations, product

    for combo in product(*(permutations(group) for group in groups)):
        yield [col for group in combo for col in group]


# --- answers.json ---------------------------------------------------------------------------------------------------

_answers_cache: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}


def answers_path() -> Path:
    return paths.data_dir() / ANSWERS_FILE


def load_answers(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The exercises in ``data/answers.json`` by id, cached until the file changes.

    Raises :class:`AnswersFileError` (with the file name and what is wrong) if the file is missing or damaged.
    """
    path = Path(path) if path is not None else answers_path()
    try:
        stat = path.stat()
    except OSError:
        raise AnswersFileError(f"{path} is missing: run `python -m alliance_course build` "
                               "(or `make exercises`) to generate it from solutions/.") from None
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _answers_cache.get(path)
    if cached and cached[0] == key:
        return cached[1]
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise AnswersFileError(f"{path} cannot be read ({exc}); regenerate it with `make exercises`.") from None
    exercises = document.get("exercises") if isinstance(document, dict) else None
    if not isinstance(exercises, dict) or document.get("format_version") != FORMAT_VERSION:
        raise AnswersFileError(f"{path} is not an answers file of format version {FORMAT_VERSION}; "
                               "regenerate it with `make exercises`.")
    _answers_cache[path] = (key, exercises)
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


# --- check ----------------------------------------------------------------------------------------------------------

def check(exercise_id: str, answer: Any) -> CheckResult:
    """Compare ``answer`` with exercise ``exercise_id`` without revealing the right answer. Never raises.

    Statuses: ``"correct"``, ``"not_yet"`` (with a hint when there is one, or a message saying what kind of answer
    is expected), ``"unanswered"`` (the answer is still ``...``), ``"unknown_exercise"`` and ``"check_failed"``: the
    checker itself broke, which is the course's bug, never the learner's; it is not saved as an attempt.
    """
    if os.environ.get(RECORD_ENV):  # build mode: a wrongly declared exercise must stop the build loudly
        return _recorder().answer(exercise_id, answer)
    try:
        return _grade(exercise_id, answer)
    except Exception as exc:  # a check must never break a learner's notebook, nor blame the learner for our bug
        try:
            label = exercise_id[:20] if isinstance(exercise_id, str) else type(exercise_id).__name__
        except Exception:
            label = "?"
        return CheckResult(label, "check_failed", _CHECK_FAILED.format(error=type(exc).__name__))


_CHECK_FAILED = ("The check itself failed ({error}): this is a bug in the course, not a verdict on your answer. "
                 "Please report it to your instructor (or the course's issue tracker) with the exercise id and "
                 "how you computed your answer.")


def _grade(exercise_id: Any, answer: Any) -> CheckResult:
    if not isinstance(exercise_id, str) or not EXERCISE_ID.match(exercise_id):
        label = exercise_id[:20] if isinstance(exercise_id, str) else type(exercise_id).__name__
        return CheckResult(label, "unknown_exercise",
                           "Unknown exercise: an exercise id looks like \"04.2\" (notebook, dot, number).")
    try:
        exercises = load_answers()
    except AnswersFileError as exc:
        return CheckResult(exercise_id, "unknown_exercise", f"Unknown exercise: the answer fingerprints are "
                                                            f"not available. {exc}")
    entry = exercises.get(exercise_id)
    if entry is None:
        same = sorted(k for k in exercises if k.split(".")[0] == exercise_id.split(".")[0])
        known = f" Exercises in notebook {exercise_id[:2]}: {', '.join(same)}." if same else ""
        return CheckResult(exercise_id, "unknown_exercise", f"Unknown exercise {exercise_id!r}.{known}")
    problem = _entry_problem(entry)
    if problem:
        return CheckResult(exercise_id, "unknown_exercise",
                           f"Unknown exercise: its entry in answers.json is damaged ({problem}); "
                           "regenerate it with `make exercises`.")
    if answer is Ellipsis:
        return CheckResult(exercise_id, "unanswered",
                           "Not answered yet: replace `...` with your answer and run the cell again.")
    try:
        marks = answer_fingerprints(answer, entry["spec"], entry["salt"])
    except AnswerError as exc:
        return _graded(exercise_id, False, f"Not yet — {exc}")
    if any(mark in entry["accept"] for mark in marks):
        return _graded(exercise_id, True, "Correct. Well done!")
    hints = entry.get("hints", {})
    hint = next((hints[mark] for mark in marks if mark in hints), None) or entry.get("hint")
    if hint:
        return _graded(exercise_id, False, f"Not yet — hint: {hint}")
    return _graded(exercise_id, False, "Not yet. Check each step and try again.")


_progress_note_shown = False


def _graded(exercise_id: str, correct: bool, message: str) -> CheckResult:
    """Save the attempt in the learner's progress (a failing store never breaks a check) and build the result."""
    global _progress_note_shown
    try:
        from .progress import store as progress

        progress.record("exercise", exercise_id[:2], exercise_id, correct)
    except Exception as exc:  # progress is a convenience; the check itself must go on
        if not _progress_note_shown:
            _progress_note_shown = True
            message += f" (Your progress could not be saved: {type(exc).__name__}: {exc})"
    return CheckResult(exercise_id, "correct" if correct else "not_yet", message)


# --- recording (build mode) -----------------------------------------------------------------------------------------

@dataclass
class _Declared:
    spec: dict[str, Any]
    hint: str | None
    hints: list[tuple[Any, str]]
    also_accept: list[Any]


class _Recorder:
    """Collects the solutions' answers and declarations in one kernel and writes their fingerprints to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.declared: dict[str, _Declared] = {}
        self.answers: dict[str, Any] = {}
        self.entries: dict[str, dict[str, Any]] = {}

    def declare(self, exercise_id: str, declared: _Declared) -> None:
        if exercise_id in self.declared:
            raise ExerciseSpecError(f"exercise {exercise_id} is declared twice")
        self.declared[exercise_id] = declared
        self._update(exercise_id)

    def answer(self, exercise_id: str, answer: Any) -> CheckResult:
        _require_id(exercise_id)
        if exercise_id in self.answers:
            raise ExerciseSpecError(f"exercise {exercise_id} is checked twice in the solutions")
        if answer is Ellipsis or answer is None:
            raise ExerciseSpecError(f"the solution's answer to {exercise_id} is {answer!r}; "
                                    "the solution notebook must compute the real answer")
        self.answers[exercise_id] = answer
        self._update(exercise_id)
        return CheckResult(exercise_id, "correct", "Recorded as the reference answer (build mode).")

    def _update(self, exercise_id: str) -> None:
        declared = self.declared.get(exercise_id)
        if exercise_id in self.answers:
            self.entries[exercise_id] = _entry(exercise_id, self.answers[exercise_id], declared)
        elif declared is not None:
            self.entries[exercise_id] = {"declared_only": True}
        self._write()

    def _write(self) -> None:
        document = {"format_version": FORMAT_VERSION, "exercises": self.entries}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(document, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)


_active_recorder: _Recorder | None = None


def _recorder() -> _Recorder:
    global _active_recorder
    path = Path(os.environ[RECORD_ENV])
    if _active_recorder is None or _active_recorder.path != path:
        _active_recorder = _Recorder(path)
    return _active_recorder


def _require_id(exercise_id: Any) -> None:
    if not isinstance(exercise_id, str) or not EXERCISE_ID.match(exercise_id):
        raise ExerciseSpecError(f"exercise id {exercise_id!r} is not of the form '04.2' (notebook, dot, number)")


def _entry(exercise_id: str, answer: Any, declared: _Declared | None) -> dict[str, Any]:
    """The answers.json entry for one exercise (fingerprints only)."""
    spec_in = dict(declared.spec) if declared else {}
    if spec_in.get("kind") is None:
        spec_in["kind"] = infer_kind(answer)
    spec = validate_spec(spec_in)
    salt = salt_for(exercise_id)
    try:
        accept = set(solution_fingerprints(answer, spec, salt))
        for other in (declared.also_accept if declared else []):
            accept.update(solution_fingerprints(other, spec, salt))
    except AnswerError as exc:
        raise ExerciseSpecError(f"exercise {exercise_id}: the solution's answer does not fit kind "
                                f"{spec['kind']!r}: {exc}") from None
    if spec["kind"] == "number" and "tolerance" not in spec_in and _real(answer).denominator != 1:
        raise ExerciseSpecError(f"exercise {exercise_id}: the answer {float(answer)!r} is not a whole number, "
                                f"so declare its tolerance: exercise({exercise_id!r}, tolerance=...)")
    hints: dict[str, str] = {}
    for wrong, text in (declared.hints if declared else []):
        try:
            marks = answer_fingerprints(wrong, spec, salt)
        except AnswerError as exc:
            raise ExerciseSpecError(f"exercise {exercise_id}: a hinted wrong answer does not fit kind "
                                    f"{spec['kind']!r}: {exc}") from None
        mark = marks[0]
        if accept.intersection(marks):
            raise ExerciseSpecError(f"exercise {exercise_id}: a hinted wrong answer counts as correct (it is "
                                    "within the tolerance, or an equivalent form of the answer); remove that hint")
        hints[mark] = text
    return {
        "accept": sorted(accept),
        "hint": declared.hint if declared else None,
        "hints": hints,
        "salt": salt,
        "spec": spec,
    }


def exercise(exercise_id: str, *, kind: str | None = None, tolerance: float | None = None,
             ordered: bool | None = None, hint: str | None = None,
             hints: Mapping[Any, str] | Iterable[tuple[Any, str]] | None = None,
             also_accept: Iterable[Any] = ()) -> None:
    """Declare an exercise in a solution notebook, in a cell tagged ``instructor``.

    ``kind`` is inferred from the solution's answer when omitted; ``tolerance`` (numbers) defaults to exact;
    ``hint`` is shown for any wrong answer; ``hints`` maps common wrong answers to targeted hints (give a list of
    ``(answer, text)`` pairs when the wrong answers are unhashable, e.g. DataFrames); ``also_accept`` lists other
    answers that count as correct. Only fingerprints of these answers ever reach the learner's files. Outside the
    build this does nothing, so the solution notebook also runs as an ordinary notebook.
    """
    _require_id(exercise_id)
    spec = {key: value for key, value in (("kind", kind), ("tolerance", tolerance), ("ordered", ordered))
            if value is not None}
    if kind is not None:
        validate_spec(spec)
    pairs = list(hints.items()) if isinstance(hints, Mapping) else list(hints or [])
    if not all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[1], str) for p in pairs):
        raise ExerciseSpecError(f"exercise {exercise_id}: hints must map wrong answers to hint text")
    if hint is not None and not isinstance(hint, str):
        raise ExerciseSpecError(f"exercise {exercise_id}: hint must be text")
    if os.environ.get(RECORD_ENV):
        _recorder().declare(exercise_id, _Declared(spec, hint, pairs, list(also_accept)))
