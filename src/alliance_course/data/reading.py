"""Reading a table: its CSV typed column by column from its Table Schema (``load``), cached per file."""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd

from .package import (
    DataError, _DATE_SHAPE, _DEFAULT_FALSE, _DEFAULT_TRUE, _Resource, _frame_cache, _resource, _resource_dicts,
)


def _convert(column: pd.Series, field: dict[str, Any], where: str) -> pd.Series:
    """Cast one column of strings (missing values already ``None``) to the field's dtype."""
    name = field["name"]
    kind = field.get("type", "string")
    enum = (field.get("constraints") or {}).get("enum")
    present = column.notna()

    def fail(values: pd.Series, expected: str) -> DataError:
        row = int(values.index[0]) + 2  # +1 for the header, +1 for counting from one
        return DataError(
            f"{where}, row {row}, field {name!r}: {values.iloc[0]!r} is not {expected}."
        )

    if enum is not None:
        allowed = [str(value) for value in enum]
        bad = column[present & ~column.isin(allowed)]
        if not bad.empty:
            raise fail(bad, f"one of {', '.join(allowed)}")
        if kind in ("integer", "year"):
            categories: list[Any] = [int(value) for value in enum]
            column = column.map(lambda value: None if pd.isna(value) else int(value))
        else:
            categories = allowed
        return pd.Series(
            pd.Categorical(
                column, categories=categories, ordered=bool(field.get("categoriesOrdered"))
            ),
            index=column.index,
            name=name,
        )
    if kind in ("date", "datetime"):
        fmt = "%Y-%m-%d" if kind == "date" else "ISO8601"
        parsed = pd.to_datetime(column, format=fmt, errors="coerce")
        bad = column[present & parsed.isna()]
        if not bad.empty:
            if kind == "date" and _DATE_SHAPE.match(str(bad.iloc[0])):
                raise fail(bad, "a valid calendar date (the day or month does not exist)")
            raise fail(bad, "a date written YYYY-MM-DD" if kind == "date" else "an ISO datetime")
        return parsed
    if kind in ("integer", "year"):
        numbers = pd.to_numeric(column, errors="coerce")
        written = column.astype("string").str.fullmatch(r"[+-]?[0-9]+").fillna(False).astype(bool)
        bad = column[present & (numbers.isna() | ~written)]
        if not bad.empty:
            raise fail(bad, "a whole number")
        return numbers.astype("Int64")
    if kind == "number":
        numbers = pd.to_numeric(column, errors="coerce")
        bad = column[present & numbers.isna()]
        if not bad.empty:
            raise fail(bad, "a number")
        return numbers.astype("float64")
    if kind == "boolean":
        true_values = tuple(field.get("trueValues", _DEFAULT_TRUE))
        false_values = tuple(field.get("falseValues", _DEFAULT_FALSE))
        bad = column[present & ~column.isin(true_values + false_values)]
        if not bad.empty:
            raise fail(bad, f"true or false ({', '.join(true_values + false_values)})")
        mapped = column.map(lambda value: None if pd.isna(value) else value in true_values)
        return mapped.astype("boolean")
    if kind == "string":
        return column.astype("string")
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
    frame = pd.DataFrame([row for _, row in numbered], columns=header, dtype=object)
    frame.index = pd.Index([number - 2 for number, _ in numbered])
    missing_values = set(resource.missing_values)
    columns: dict[str, pd.Series] = {}
    for field in resource.fields:
        name = field["name"]
        raw = frame[name].map(lambda value: None if value in missing_values else value)
        if (field.get("constraints") or {}).get("required"):
            empty = raw[raw.isna()]
            if not empty.empty:
                raise DataError(
                    f"{where}, row {int(empty.index[0]) + 2}, field {name!r}: "
                    "a value is required but the cell is empty."
                )
        columns[name] = _convert(raw, field, where)
    typed = pd.DataFrame(columns).reset_index(drop=True)
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
