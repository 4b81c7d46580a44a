"""Load the course's sourced fact tables as typed pandas DataFrames.

The tables live in ``data/`` as CSV files described by a Frictionless Data Package
(``data/datapackage.json``); each table's Table Schema is ``data/schemas/<table>.json``.
The schema decides the dtypes, so notebooks never parse dates or cast columns by hand::

    from alliance_course import data
    data.tables()                  # {"nato_members": "The 32 members of NATO ...", ...}
    members = data.load("nato_members")
    print(data.cite("nato_members"))

Type mapping (Table Schema → pandas):

- ``date``, ``datetime`` → ``datetime64``
- ``integer``, ``year`` → nullable ``Int64``
- ``number`` → ``float64``
- ``boolean`` → nullable ``boolean``
- any field with an ``enum`` constraint → ``Categorical`` whose categories follow the enum order
  (ordered when the field sets ``"categoriesOrdered": true``)
- ``string`` → ``string``

Everything is read from local files: nothing needs the network. Tables are cached per process;
``load`` always returns a copy, so changing the result never changes what the next call returns.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import data_dir

__all__ = [
    "DataError",
    "UnknownTableError",
    "UnknownSourceError",
    "load",
    "validate_all",
    "file_digest",
    "tables",
    "cite",
    "sources",
    "source",
    "split_sources",
    "is_url",
    "schema",
    "clear_cache",
]

PACKAGE_FILE = "datapackage.json"
SOURCE_SEPARATOR = ";"
_DEFAULT_TRUE = ("true", "True", "TRUE", "1")
_DEFAULT_FALSE = ("false", "False", "FALSE", "0")
_DATE_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class DataError(Exception):
    """A data file is missing or broken; the message names the file, and the row and field if known."""


class UnknownTableError(DataError, KeyError):
    """``load``/``cite`` was asked for a table the data package does not describe."""

    def __str__(self) -> str:  # KeyError would show the message inside quotes
        return str(self.args[0]) if self.args else ""


class UnknownSourceError(DataError, KeyError):
    """A source key is not in ``data/sources.csv``."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class _Resource:
    name: str
    path: Path
    title: str
    description: str
    fields: tuple[dict[str, Any], ...]
    missing_values: tuple[str, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]
    raw: dict[str, Any]


_package_cache: dict[tuple[str, int], dict[str, Any]] = {}
_frame_cache: dict[tuple[str, int, int], pd.DataFrame] = {}


def clear_cache() -> None:
    """Forget every table read so far (the next ``load`` reads the files again)."""
    _package_cache.clear()
    _frame_cache.clear()


# --------------------------------------------------------------------------- package and schemas


def _read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{what} not found: {path}") from None
    except OSError as exc:
        raise DataError(f"Cannot read {what} {path}: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{what} {path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None


def _package() -> dict[str, Any]:
    """The parsed ``datapackage.json`` (cached while the file is unchanged)."""
    path = data_dir() / PACKAGE_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise DataError(
            f"The data package description is missing: {path}. "
            "Open the notebook from inside the course folder (the one that holds data/datapackage.json), "
            "or set ALLIANCE_COURSE_ROOT to that folder."
        ) from None
    key = (str(path), stamp)
    if key not in _package_cache:
        package = _read_json(path, "Data package")
        if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
            raise DataError(f"Data package {path} has no 'resources' list.")
        _package_cache.clear()
        _package_cache[key] = package
    return _package_cache[key]


def _resource_dicts() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for position, resource in enumerate(_package()["resources"]):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            raise DataError(f"{PACKAGE_FILE}: resource number {position + 1} has no 'name'.")
        found[resource["name"]] = resource
    return found


def _unknown_table(name: object, valid: list[str]) -> UnknownTableError:
    hint = difflib.get_close_matches(str(name), valid, n=1)
    maybe = f" Did you mean {hint[0]!r}?" if hint else ""
    return UnknownTableError(
        f"No table named {name!r}.{maybe} Valid names: {', '.join(sorted(valid))}."
    )


def _resource(name: str) -> _Resource:
    resources = _resource_dicts()
    if not isinstance(name, str) or name not in resources:
        raise _unknown_table(name, list(resources))
    raw = resources[name]
    where = f"{PACKAGE_FILE}, resource {name!r}"
    if not isinstance(raw.get("path"), str):
        raise DataError(f"{where}: 'path' must be the CSV file name.")
    table_schema = raw.get("schema")
    if isinstance(table_schema, str):
        table_schema = _read_json(data_dir() / table_schema, f"Table Schema of {name!r}")
    if not isinstance(table_schema, dict) or not isinstance(table_schema.get("fields"), list):
        raise DataError(f"{where}: the schema has no 'fields' list.")
    fields = tuple(table_schema["fields"])
    for field in fields:
        if not isinstance(field, dict) or not isinstance(field.get("name"), str):
            raise DataError(f"{where}: every schema field needs a 'name'.")
    key = table_schema.get("primaryKey", [])
    primary_key = (key,) if isinstance(key, str) else tuple(key)
    return _Resource(
        name=name,
        path=data_dir() / raw["path"],
        title=str(raw.get("title", name)),
        description=str(raw.get("description", "")),
        fields=fields,
        missing_values=tuple(table_schema.get("missingValues", [""])),
        primary_key=primary_key,
        foreign_keys=tuple(table_schema.get("foreignKeys", []) or []),
        raw=raw,
    )


def schema(name: str) -> dict[str, Any]:
    """The Table Schema of table ``name`` as a dict (fields, primary key, ...)."""
    resource = _resource(name)
    return {
        "fields": [dict(field) for field in resource.fields],
        "primaryKey": list(resource.primary_key),
        "foreignKeys": [dict(key) for key in resource.foreign_keys],
        "missingValues": list(resource.missing_values),
    }


def tables() -> dict[str, str]:
    """Every table's name with a one-line description, in the data package's order."""
    result: dict[str, str] = {}
    for name, resource in _resource_dicts().items():
        text = str(resource.get("description") or resource.get("title") or "")
        result[name] = text.strip().splitlines()[0] if text.strip() else ""
    return result


# --------------------------------------------------------------------------- reading and typing


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
            problem = f"malformed quoting ({exc}); a value with a comma or a quote must be in double quotes, with inner quotes doubled"
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
        _validate(resource, _frame_cache[key])
    return _frame_cache[key].copy(deep=True)


def validate_all() -> list[str]:
    """Validate every table of the package; return the names checked (raises ``DataError`` on the first problem)."""
    names = list(_resource_dicts())
    for name in names:
        load(name, validate=True)
    return names


# --------------------------------------------------------------------------- validation


def file_digest(path: Path) -> tuple[int, str]:
    """Size in bytes and ``sha256:<hex>`` digest of a file, as recorded in ``datapackage.json``."""
    content = path.read_bytes()
    return len(content), "sha256:" + hashlib.sha256(content).hexdigest()


def _row_label(frame: pd.DataFrame, position: int) -> int:
    return int(position) + 2  # +1 for the header, +1 for counting from one


def _validate(resource: _Resource, frame: pd.DataFrame) -> None:
    where = resource.path.name
    for field in resource.fields:
        name = field["name"]
        constraints = field.get("constraints") or {}
        column = frame[name]
        present = column.notna()
        if isinstance(column.dtype, pd.CategoricalDtype):
            values = column.astype(object)
        else:
            values = column

        def fail(mask: pd.Series, expected: str) -> DataError:
            position = mask[mask].index[0]
            value = frame.at[position, name]
            if isinstance(value, pd.Timestamp):
                shown = value.strftime("%Y-%m-%d")
            else:
                shown = value.item() if hasattr(value, "item") else value
            return DataError(
                f"{where}, row {_row_label(frame, position)}, field {name!r}: {shown!r} {expected} "
                f"(schemas/{resource.name}.json)."
            )

        for bound, compare, word in (("minimum", "lt", "is below the minimum"),
                                     ("maximum", "gt", "is above the maximum")):
            if bound not in constraints or column.dtype == object and not present.any():
                continue
            limit = constraints[bound]
            if pd.api.types.is_datetime64_any_dtype(column):
                limit = pd.Timestamp(str(limit))
            elif isinstance(column.dtype, pd.CategoricalDtype):
                continue
            bad = present & getattr(column, compare)(limit).fillna(False).astype(bool)
            if bad.any():
                raise fail(bad, f"{word} {constraints[bound]}")
        if "pattern" in constraints:
            text = values.astype("string")
            matches = text.str.fullmatch(constraints["pattern"]).fillna(True).astype(bool)
            bad = present & ~matches
            if bad.any():
                raise fail(bad, f"does not match the pattern {constraints['pattern']}")
        for bound, compare, word in (("minLength", "lt", "is shorter than"), ("maxLength", "gt", "is longer than")):
            if bound in constraints:
                lengths = values.astype("string").str.len()
                bad = present & getattr(lengths, compare)(constraints[bound]).fillna(False).astype(bool)
                if bad.any():
                    raise fail(bad, f"{word} {constraints[bound]} characters")
        if constraints.get("unique"):
            bad = present & values.duplicated(keep="first")
            if bad.any():
                raise fail(bad, "appears twice, but the field must be unique")
    for foreign in resource.foreign_keys:
        fields = foreign.get("fields")
        fields = [fields] if isinstance(fields, str) else list(fields or [])
        reference = foreign.get("reference") or {}
        target_name = reference.get("resource") or resource.name
        target_fields = reference.get("fields")
        target_fields = [target_fields] if isinstance(target_fields, str) else list(target_fields or [])
        target = frame if target_name == resource.name else load(target_name)
        allowed = {tuple(str(v) for v in row) for row in target[target_fields].astype(object).itertuples(index=False)}
        local = frame[fields].astype(object)
        for position, row in local.iterrows():
            if any(pd.isna(value) for value in row):
                continue
            if tuple(str(v) for v in row) not in allowed:
                shown = ", ".join(f"{f}={row[f]!r}" for f in fields)
                raise DataError(
                    f"{where}, row {_row_label(frame, position)}, field {fields[0]!r}: {shown} is not in "
                    f"{target_name}.{'/'.join(target_fields)} (foreign key in schemas/{resource.name}.json)."
                )
    if "source" in frame.columns and resource.name != "sources":
        known = set(sources()["source_id"].astype(str))
        for position, cell in frame["source"].items():
            for reference in split_sources(cell):
                if not is_url(reference) and reference not in known:
                    hint = difflib.get_close_matches(reference, sorted(known), n=1)
                    maybe = f" Did you mean {hint[0]!r}?" if hint else ""
                    raise DataError(
                        f"{where}, row {_row_label(frame, position)}, field 'source': {reference!r} is not a key "
                        f"in sources.csv.{maybe}"
                    )
    expected_bytes = resource.raw.get("bytes")
    expected_hash = resource.raw.get("hash")
    if expected_bytes is None and expected_hash is None:
        return
    size, digest = file_digest(resource.path)
    if expected_bytes is not None and size != expected_bytes:
        kind = "shorter" if size < expected_bytes else "longer"
        raise DataError(
            f"{where}: the file has {size} bytes but datapackage.json records {expected_bytes}: it is {kind} than "
            f"the released file (truncated or edited); its last row is row {len(frame) + 1}. If the edit is "
            "intended, run `python scripts/data/update_package_hashes.py`."
        )
    if expected_hash is not None and digest != expected_hash:
        raise DataError(
            f"{where}: its sha256 differs from the hash in datapackage.json although the size matches: a value "
            "was edited by hand after release. If the edit is intended, run "
            "`python scripts/data/update_package_hashes.py`."
        )


# --------------------------------------------------------------------------- sources and citation


def split_sources(cell: object) -> list[str]:
    """Split a ``source`` cell (``"nato-members; seed-002"``) into its keys or URLs."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    return [part.strip() for part in str(cell).split(SOURCE_SEPARATOR) if part.strip()]


def is_url(reference: str) -> bool:
    """True when a source reference is a web address rather than a key into ``sources.csv``."""
    return reference.startswith(("http://", "https://"))


def sources() -> pd.DataFrame:
    """The bibliography (``data/sources.csv``): one row per source key with its full citation."""
    return load("sources")


def source(key: str) -> dict[str, Any]:
    """The bibliography entry for ``key`` as a dict (``citation``, ``url``, ``status``, ``verified_on``, ...)."""
    table = sources()
    match = table[table["source_id"] == key]
    if match.empty:
        valid = table["source_id"].dropna().astype(str).tolist()
        hint = difflib.get_close_matches(str(key), valid, n=3)
        maybe = f" Close matches: {', '.join(hint)}." if hint else ""
        raise UnknownSourceError(
            f"No source with key {key!r} in data/sources.csv.{maybe}"
        )
    row = match.iloc[0]
    return {column: (None if pd.isna(row[column]) else row[column]) for column in table.columns}


def _format_entry(entry: dict[str, Any]) -> str:
    text = str(entry["citation"]).strip()
    url = entry.get("url")
    if url and str(url) not in text:
        text += f" {url}"
    verified_on = entry.get("verified_on")
    status = entry.get("status")
    if verified_on is not None:
        text += f" (read {pd.Timestamp(verified_on):%Y-%m-%d}"
        text += ", a secondary copy)" if status == "secondary" else ")"
    elif status is not None:
        text += f" ({status}: not read by the course)"
    return text


def cite(name: str) -> str:
    """How to cite table ``name``: the course dataset, its licence, and every source its rows use."""
    resource = _resource(name)
    licences = resource.raw.get("licenses") or _package().get("licenses") or []
    licence_text = ", ".join(
        str(licence.get("title") or licence.get("name")) for licence in licences
    ) or "see data/README.md"
    package = _package()
    lines = [
        f"{resource.title}. Table '{name}' in {package.get('title', 'the course data package')}"
        f" (version {package.get('version', 'unversioned')}). Licence: {licence_text}.",
    ]
    references: list[str] = []
    for item in resource.raw.get("sources", []):
        path = str(item.get("path", ""))
        if path.endswith(".csv"):  # the pointer to the row-level bibliography itself
            continue
        references.append(f"{item.get('title', '')} {path}".strip())
    frame = load(name)
    if "source" in frame.columns and name != "sources":
        keys: list[str] = []
        for cell in frame["source"]:
            for reference in split_sources(cell):
                if reference not in keys:
                    keys.append(reference)
        for reference in keys:
            entry = reference if is_url(reference) else _format_entry(source(reference))
            if entry not in references:
                references.append(entry)
    if references:
        lines.append("Sources:")
        lines.extend(f"- {reference}" for reference in references)
    return "\n".join(lines)
