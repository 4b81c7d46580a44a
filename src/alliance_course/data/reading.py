"""Reading a table: its CSV typed column by column from its Table Schema (``load``), cached per file."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from .package import (
    DataError, _DATE_SHAPE, _DEFAULT_FALSE, _DEFAULT_TRUE, _Resource, _frame_cache, _resource, _resource_dicts,
)


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_INT64 = range(-(2**63), 2**63)  # what a pandas Int64 column holds


def _convert(values: list[Any], numbers: list[int], field: dict[str, Any], where: str) -> Any:
    """Cast one column (its strings, missing values already ``None``; ``numbers``: each value's row in the file)
    to the field's dtype. Checked value by value in Python: the tables are small, and a dozen pandas operations
    per column (masks, ``isin``, ``map``) cost more than the loop."""
    name = field["name"]
    kind = field.get("type", "string")
    enum = (field.get("constraints") or {}).get("enum")

    def check(ok: Callable[[str], bool], expected: str) -> None:
        for value, number in zip(values, numbers):
            if value is not None and not ok(value):
                raise DataError(f"{where}, row {number}, field {name!r}: {value!r} is not {expected}.")

    if enum is not None:
        allowed = [str(value) for value in enum]
        known = set(allowed)
        check(known.__contains__, f"one of {', '.join(allowed)}")
        if kind in ("integer", "year"):
            categories: list[Any] = [int(value) for value in enum]
            values = [None if value is None else int(value) for value in values]
        else:
            categories = allowed
        return pd.Categorical(values, categories=categories, ordered=bool(field.get("categoriesOrdered")))
    if kind in ("date", "datetime"):
        fmt = "%Y-%m-%d" if kind == "date" else "ISO8601"
        column = pd.Series(values, dtype=object)
        parsed = pd.to_datetime(column, format=fmt, errors="coerce")
        bad = column[column.notna() & parsed.isna()]
        if not bad.empty:
            number, value = numbers[bad.index[0]], bad.iloc[0]
            if kind == "date" and _DATE_SHAPE.match(str(value)):
                expected = "a valid calendar date (the day or month does not exist)"
            else:
                expected = "a date written YYYY-MM-DD" if kind == "date" else "an ISO datetime"
            raise DataError(f"{where}, row {number}, field {name!r}: {value!r} is not {expected}.")
        return parsed.array
    if kind in ("integer", "year"):
        check(_WHOLE_NUMBER.fullmatch, "a whole number")  # type: ignore[arg-type]
        check(lambda value: int(value) in _INT64, "a whole number that fits in 64 bits")
        return pd.array([None if value is None else int(value) for value in values], dtype="Int64")
    if kind == "number":
        parsed = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")  # pandas decides what a number is
        for value, number, unreadable in zip(values, numbers, parsed.isna()):
            if value is not None and unreadable:
                raise DataError(f"{where}, row {number}, field {name!r}: {value!r} is not a number.")
        return parsed.astype("float64").array
    if kind == "boolean":
        true_values = tuple(field.get("trueValues", _DEFAULT_TRUE))
        false_values = tuple(field.get("falseValues", _DEFAULT_FALSE))
        valid = set(true_values + false_values)
        check(valid.__contains__, f"true or false ({', '.join(true_values + false_values)})")
        return pd.array([None if value is None else value in true_values for value in values], dtype="boolean")
    if kind == "string":
        return pd.array(values, dtype="string")
    raise DataError(f"{where}, field {name!r}: the course loader does not handle type {kind!r}.")


def _csv_rows(resource: _Resource) -> list[list[str]]:
    """Parse the file strictly: NUL bytes and broken quoting are errors that name the row."""
    where = resource.path.name
    try:
        raw = resource.path.read_bytes()
    except FileNotFoundError:
        raise DataError(
            f"Table {resource.name!r}: its file {resource.path} is missing."
        ) from None
    except OSError as exc:
        raise DataError(f"Cannot read {where}: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")  # tolerate a BOM
    except UnicodeDecodeError as exc:
        raise DataError(f"{where} is not UTF-8 text ({exc.reason} at byte {exc.start}).") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError(
            f"{where}, line {line}: the file contains a NUL byte (\\x00); it is damaged or not a text CSV file."
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        record = len(rows) + 1
        if "unexpected end of data" in str(exc) or "EOF" in str(exc):
            problem = "a quoted value is opened with \" but never closed"
        else:
            problem = (f"malformed quoting ({exc}); a value with a comma or a quote must be in double quotes, "
                       "with inner quotes doubled")
        raise DataError(f"{where}, row {record} (line {reader.line_num}): {problem}.") from None
    return rows


def _read(resource: _Resource) -> pd.DataFrame:
    where = resource.path.name
    rows = _csv_rows(resource)
    if not rows:
        raise DataError(f"{where} is empty: it needs at least a header row.")
    header = rows[0]
    expected = [field["name"] for field in resource.fields]
    if header != expected:
        missing = [name for name in expected if name not in header]
        extra = [name for name in header if name not in expected]
        details = []
        if missing:
            details.append(f"missing {', '.join(missing)}")
        if extra:
            details.append(f"not in the schema {', '.join(extra)}")
        if not details:
            details.append("the columns are in a different order from the schema")
        raise DataError(
            f"{where}: the header does not match schemas/{resource.name}.json "
            f"({'; '.join(details)}). Expected: {','.join(expected)}"
        )
    numbered = [(number, row) for number, row in enumerate(rows[1:], start=2) if row]  # skip blank lines
    for number, row in numbered:
        if len(row) != len(header):
            raise DataError(
                f"{where}, row {number}: {len(row)} values for {len(header)} columns "
                "(a comma inside a value needs double quotes)."
            )
    numbers = [number for number, _ in numbered]
    missing_values = set(resource.missing_values)
    columns: dict[str, Any] = {}
    for position, field in enumerate(resource.fields):
        name = field["name"]
        raw = [None if row[position] in missing_values else row[position] for _, row in numbered]
        if (field.get("constraints") or {}).get("required") and None in raw:
            raise DataError(
                f"{where}, row {numbers[raw.index(None)]}, field {name!r}: "
                "a value is required but the cell is empty."
            )
        columns[name] = _convert(raw, numbers, field, where)
    typed = pd.DataFrame(columns, index=pd.RangeIndex(len(numbered)))
    if resource.primary_key:
        duplicated = typed.duplicated(subset=list(resource.primary_key), keep=False)
        if duplicated.any():
            first = typed[duplicated].iloc[0]
            key = ", ".join(f"{column}={first[column]}" for column in resource.primary_key)
            raise DataError(f"{where}: two rows share the primary key ({key}).")
    return typed


def load(name: str, validate: bool = False) -> pd.DataFrame:
    """Return table ``name`` as a DataFrame typed from its schema (a fresh copy on every call).

    Raises ``UnknownTableError`` (a ``KeyError``) listing the valid names for an unknown table,
    and ``DataError`` naming the file, row and field when a file is missing or malformed.

    With ``validate=True`` the table is also checked against everything its schema and the data
    package promise: ``minimum``/``maximum``, ``minLength``/``maxLength``, ``pattern``, ``unique``,
    foreign keys into other tables, source keys into ``sources.csv``, and the file's ``bytes`` and
    ``hash`` recorded in ``datapackage.json`` (a truncated or hand-edited file fails here).
    """
    resource = _resource(name)
    try:
        stat = resource.path.stat()
    except FileNotFoundError:
        raise DataError(f"Table {name!r}: its file {resource.path} is missing.") from None
    key = (str(resource.path), stat.st_mtime_ns, stat.st_size)
    if key not in _frame_cache:
        for old in [cached for cached in _frame_cache if cached[0] == key[0]]:
            del _frame_cache[old]
        _frame_cache[key] = _read(resource)
    if validate:
        from .validation import _validate  # validation loads other tables (foreign keys, sources) with load()

        _validate(resource, _frame_cache[key])
    return _frame_cache[key].copy(deep=True)


def validate_all() -> list[str]:
    """Validate every table of the package; return the names checked (raises ``DataError`` on the first problem)."""
    names = list(_resource_dicts())
    for name in names:
        load(name, validate=True)
    return names
