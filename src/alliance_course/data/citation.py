"""Sources and citation: the bibliography ``data/sources.csv`` and ``cite(table)``."""

from __future__ import annotations

import difflib
from typing import Any

import pandas as pd

from .package import SOURCE_SEPARATOR, UnknownSourceError, _package, _resource
from .reading import load


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
