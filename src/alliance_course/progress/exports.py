"""Handing progress in: export it to a file, read an export back, merge one learner's exports from two machines."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path
from collections.abc import Callable
from typing import Any

from .store import (
    EXPORT_MODE, FORMAT_VERSION, RECORD_FIELDS, ProgressError, _fresh, _hub_user, _now, _schema_problem, _store,
    _write_atomic,
)

def _export_name(data: dict[str, Any]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (data.get("learner") or "learner").lower()).strip("-")[:60] or "learner"
    return f"alliance-course-progress-{slug}-{datetime.now().strftime('%Y%m%d')}.json"


def _write_export(data: dict[str, Any], path: str | os.PathLike[str] | None) -> Path:
    target = Path.cwd() / _export_name(data) if path is None else Path(path).expanduser()
    if target.is_dir():
        target = target / _export_name(data)
    try:
        _write_atomic(target, data, mode=EXPORT_MODE)
    except OSError as exc:
        raise ProgressError(f"Could not write the export to {target}: {exc.strerror or exc}. "
                            "Pass another path, e.g. progress.export(\"my-progress.json\").") from None
    return target


def export(path: str | os.PathLike[str] | None = None, *, to: str | os.PathLike[str] | None = None) -> Path:
    """Write your progress to a file you can hand in; returns its path.

    Without ``path`` the file goes into the current folder (next to the notebook you are running) as
    ``alliance-course-progress-<name>-<date>.json``; a folder as ``path`` (or ``to=``, e.g. a class's shared
    hand-in folder: ``progress.export(to="/srv/handin")``) gets that name inside it. The learner's name is the one
    set with :func:`set_learner`, else the JupyterHub user name. The file is readable by others (mode 0644), so
    an instructor's account can collect it.
    """
    if path is not None and to is not None:
        raise ValueError("progress.export: give either a path or to=FOLDER, not both.")
    data = _store().read()
    data["exported"] = _now()
    data["format_version"] = FORMAT_VERSION
    if not data.get("learner"):
        data["learner"] = _hub_user()
    target = _write_export(data, path if path is not None else to)
    print(f"Progress exported to {target} ({len(data['records'])} records). Hand in this file.")
    return target


def _combine_records(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """One record from the same item's records on two machines: attempts add up, the earlier first attempt
    decides ``first_try_correct``, ``ever_correct`` if either was, and the time span covers both."""
    earlier = first if first["first_time"] <= second["first_time"] else second
    return {**earlier,
            "attempts": first["attempts"] + second["attempts"],
            "first_try_correct": earlier["first_try_correct"],
            "ever_correct": first["ever_correct"] or second["ever_correct"],
            "first_time": min(first["first_time"], second["first_time"]),
            "last_time": max(first["last_time"], second["last_time"])}


def merge(*exports: str | os.PathLike[str] | dict[str, Any], mine: bool = False,
          to: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Combine exports of ONE learner made on different machines (say a laptop and the class hub) into one.

    ``progress.merge("laptop.json", "hub.json", to="handin/")`` reads both (each may also be a dict from
    :func:`read_export`), adds ``mine=True`` to include this machine's own progress, and writes the combined export
    to ``to`` (a file, or a folder for the default name) when given. Per item, attempts add up, the earlier first
    attempt decides "right on the first try", and an item is correct if it was on either machine; a record that
    appears identically in two inputs (the same export given twice) counts once. Exports of two different named
    learners are refused with :class:`ProgressError`. Returns the combined data."""
    sources: list[tuple[str, dict[str, Any]]] = []
    for item in exports:
        if isinstance(item, dict):
            problem = _schema_problem(item)
            if problem:
                raise ProgressError(f"progress.merge: not a progress export: {problem}.")
            sources.append(("a dict", item))
        else:
            sources.append((str(item), read_export(item)))
    if mine:
        sources.append(("this machine's progress", _store().read()))
    if len(sources) < 2:
        raise ValueError("progress.merge: give at least two exports (or one and mine=True).")
    names = {data.get("learner") for _, data in sources if data.get("learner")}
    if len(names) > 1:
        raise ProgressError(f"progress.merge: these exports belong to different learners ({', '.join(sorted(names))}); "
                            "merge only one learner's files.")
    combined: dict[tuple[str, str, str], dict[str, Any]] = {}
    seen: set[str] = set()
    for _, data in sources:
        for entry in data["records"]:
            fingerprint = json.dumps({field: entry[field] for field in RECORD_FIELDS}, sort_keys=True)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            key = (entry["kind"], entry["notebook"], entry["item"])
            clean = {field: entry[field] for field in RECORD_FIELDS}
            combined[key] = _combine_records(combined[key], clean) if key in combined else clean
    result = _fresh(next(iter(names), None) or _hub_user())
    result["records"] = sorted(combined.values(), key=lambda r: (r["first_time"], r["notebook"], r["item"]))
    result["created"] = min((data.get("created") or result["created"]) for _, data in sources)
    result["exported"] = _now()
    if to is not None:
        target = _write_export(result, to)
        print(f"Merged {len(sources)} progress files ({len(result['records'])} records) into {target}.")
    return result


def read_export(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a progress export (or progress file); raises :class:`ProgressError` naming the file and the
    problem when it is unreadable, not JSON, or not in the progress format."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ProgressError(f"{source}: cannot read the file ({reason}).") from None
    return parse_export(text, str(source))


def parse_export(text: str, label: str,
                 shorten: Callable[[str, int], str] = lambda text, width: text) -> dict[str, Any]:
    """The progress data in ``text`` (an export's contents); raises :class:`ProgressError` starting with ``label``
    when it is not JSON, from a newer course, or not in the progress format. ``shorten(text, width)`` cleans the
    parts of a message that come from the file (the class report passes its ``safe_text``)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ProgressError(f"{label}: not a progress file: it is not valid JSON "
                            f"({shorten(str(exc), 80)}).") from None
    if isinstance(data, dict) and isinstance(data.get("format_version"), int) \
            and data["format_version"] > FORMAT_VERSION:
        raise ProgressError(f"{label}: written by a newer version of the course (format "
                            f"{data['format_version']}; this one reads {FORMAT_VERSION}). Update the course.")
    problem = _schema_problem(data)
    if problem:
        raise ProgressError(f"{label}: not a valid progress file: {shorten(problem, 200)}.")
    return data
