"""The data package: ``data/datapackage.json``, the tables it describes and their Table Schemas."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .._common import cached_by_mtime, close_match
from ..paths import data_dir


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


_frame_cache: dict[tuple[str, int, int], pd.DataFrame] = {}


def clear_cache() -> None:
    """Forget every table read so far (the next ``load`` reads the files again)."""
    _read_package.cache_clear()  # type: ignore[attr-defined]
    _frame_cache.clear()


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
        return _read_package(path)
    except FileNotFoundError:  # the cache's stat: reading problems are DataError
        raise DataError(
            f"The data package description is missing: {path}. "
            "Open the notebook from inside the course folder (the one that holds data/datapackage.json), "
            "or set ALLIANCE_COURSE_ROOT to that folder."
        ) from None


@cached_by_mtime
def _read_package(path: Path) -> dict[str, Any]:
    package = _read_json(path, "Data package")
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise DataError(f"Data package {path} has no 'resources' list.")
    return package


def _resource_dicts() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for position, resource in enumerate(_package()["resources"]):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            raise DataError(f"{PACKAGE_FILE}: resource number {position + 1} has no 'name'.")
        found[resource["name"]] = resource
    return found


def _unknown_table(name: object, valid: list[str]) -> UnknownTableError:
    hint = close_match(str(name), valid)
    maybe = f" Did you mean {hint!r}?" if hint else ""
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
