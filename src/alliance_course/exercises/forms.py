"""Normalising answers: every equivalent form of an answer gives the same canonical text (see :func:`normalise`)."""

from __future__ import annotations

import json
import math
import numbers
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from typing import Any

import numpy as np
import pandas as pd

from .spec import (
    _EDGE_PUNCTUATION, _INTEGER_TEXT, _ISO_DATE, _MAX_DEPTH, _MAX_TIED_ORDERS, _TYPOGRAPHIC, MAX_CELLS, MAX_ITEMS,
    MAX_MAGNITUDE, MAX_TEXT, AnswerError, _is_bool, _is_number, validate_spec,
)

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


def _canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _tolerance(tolerance: int | float) -> Fraction:
    return Fraction(str(tolerance))


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
