"""Validating a table against everything its schema and the data package promise (``load(..., validate=True)``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .package import DataError, _Resource
from .reading import load
from .._common import close_match
from .citation import is_url, sources, split_sources


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

        def fail(mask: pd.Series, expected: str, name: str = name) -> DataError:
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
                    hint = close_match(reference, sorted(known))
                    maybe = f" Did you mean {hint!r}?" if hint else ""
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
