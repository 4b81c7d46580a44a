"""Reading the hand-ins: every progress export in a folder, checked, deduplicated per learner."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any


from .items import Catalogue, MAX_FILES, MAX_FILE_BYTES, NAME_WIDTH, _COURSE_ORDER, _name_key, catalogue, safe_text


@dataclass
class Learner:
    """One learner after merging: a display label, the files read, and their records by (kind, notebook, item)."""

    label: str
    files: list[str] = field(default_factory=list)
    records: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)


@dataclass
class ClassData:
    """The learners of a folder, the files skipped (with why) and the warnings (merges, records not counted)."""

    learners: dict[str, Learner]
    skipped: list[str]
    warnings: list[str]
    catalogue: Catalogue


def _candidates(folder: Path, skipped: list[str]) -> list[tuple[Path, str]]:
    """Every ``*.json`` (any case) below ``folder`` that is a regular file; never follows a symbolic link."""
    found: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]):
            if not name.lower().endswith(".json"):
                continue
            path = Path(dirpath) / name
            rel = safe_text(path.relative_to(folder).as_posix())
            try:
                info = os.lstat(path)
            except OSError as exc:
                skipped.append(f"{rel}: cannot be read ({exc.strerror or exc}).")
                continue
            if stat.S_ISLNK(info.st_mode):
                skipped.append(f"{rel}: is a symbolic link; links are never followed (copy the file itself).")
            elif not stat.S_ISREG(info.st_mode):
                skipped.append(f"{rel}: is not a regular file (a pipe, device or folder); not opened.")
            elif info.st_size > MAX_FILE_BYTES:
                skipped.append(f"{rel}: is {info.st_size:,} bytes, more than a progress export can be "
                               f"({MAX_FILE_BYTES:,}); not read.")
            else:
                found.append((path, rel))
            if len(found) >= MAX_FILES:
                skipped.append(f"more than {MAX_FILES} files: the rest were not read.")
                return found
    return found


def _read_regular(path: Path) -> bytes:
    """Read a regular file without following a link or blocking on a pipe, at most MAX_FILE_BYTES + 1 bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise OSError(f"larger than {MAX_FILE_BYTES:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _parse(raw: bytes, rel: str) -> dict[str, Any]:
    from ..progress import ProgressError, parse_export

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProgressError(f"{rel}: not a progress file: it is not UTF-8 text.") from None
    return parse_export(text, rel, shorten=safe_text)


def _time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _impossible(entry: dict[str, Any], now: datetime) -> str | None:
    if entry["first_try_correct"] and not entry["ever_correct"]:
        return "right on the first try but never right"
    first, last = _time(entry["first_time"]), _time(entry["last_time"])
    if first is None or last is None:
        return "a time that is not a date"
    if first > last:
        return "first attempt after the last"
    if last > now + timedelta(days=1):
        return "a time in the future"
    if entry["kind"] == "exercise" and not entry["item"].startswith(entry["notebook"] + "."):
        return "an exercise filed under another notebook"
    return None


def _known(entry: dict[str, Any], cat: Catalogue) -> bool:
    if entry["notebook"] not in _COURSE_ORDER:
        return False
    if entry["kind"] == "quiz":
        return entry["item"] in cat.quiz.get(entry["notebook"], {})
    return entry["item"] in cat.exercises.get(entry["notebook"], {})


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """One item answered on two machines: attempts add up, the first try is the earlier one's."""
    first = min(old, new, key=lambda e: (_time(e["first_time"]), not e["first_try_correct"]))
    return {**first, "attempts": old["attempts"] + new["attempts"],
            "ever_correct": old["ever_correct"] or new["ever_correct"],
            "first_time": min(old["first_time"], new["first_time"], key=_time),
            "last_time": max(old["last_time"], new["last_time"], key=_time)}


def read_folder(folder: str | Path, any_version: bool = False, cat: Catalogue | None = None) -> ClassData:
    """Read every progress export below ``folder``; see the module documentation for what is counted."""
    from ..progress import ProgressError

    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{safe_text(folder)} is not a folder: give the folder that holds the learners' "
                                "progress files (*.json).")
    cat = cat or catalogue()
    skipped: list[str] = []
    warnings: list[str] = list(cat.problems)
    now = datetime.now(timezone.utc)
    by_key: dict[tuple[str, str], Learner] = {}
    names: dict[tuple[str, str], list[str]] = {}
    for path, rel in _candidates(folder, skipped):
        try:
            data = _parse(_read_regular(path), rel)
        except ProgressError as exc:
            skipped.append(str(exc))
            continue
        except OSError as exc:
            skipped.append(f"{rel}: cannot be read ({safe_text(exc.strerror or exc, 80)}).")
            continue
        version = data.get("course_version")
        if version != cat.version and not any_version:
            skipped.append(f"{rel}: made with course version {safe_text(version, 20)!r}, this report is for "
                           f"{cat.version!r}; not counted (add --any-version to count the items both versions "
                           "share).")
            continue
        raw_name = data.get("learner")
        name = safe_text(raw_name, NAME_WIDTH) if isinstance(raw_name, str) else ""
        key = ("name", _name_key(name)) if name else ("file", rel)
        learner = by_key.setdefault(key, Learner(label=name or f"(no name) {safe_text(rel, NAME_WIDTH)}"))
        learner.files.append(rel)
        names.setdefault(key, []).append(name)
        unknown, impossible, seen = [], [], set()
        for entry in data["records"]:
            item_key = (entry["kind"], entry["notebook"], entry["item"])
            if item_key in seen:
                impossible.append(f"{safe_text(entry['item'], 40)} (listed twice)")
                continue
            seen.add(item_key)
            if not _known(entry, cat):
                unknown.append(safe_text(f"{entry['notebook']}/{entry['item']}", 50))
                continue
            problem = _impossible(entry, now)
            if problem:
                impossible.append(f"{safe_text(entry['item'], 40)} ({problem})")
                continue
            old = learner.records.get(item_key)
            learner.records[item_key] = _merge(old, entry) if old else dict(entry)
        if unknown:
            warnings.append(f"{rel}: {len(unknown)} record(s) with ids this course version does not have, not "
                            f"counted: {', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}")
        if impossible:
            warnings.append(f"{rel}: {len(impossible)} impossible record(s), not counted: "
                            f"{', '.join(impossible[:5])}{' …' if len(impossible) > 5 else ''}")
    learners: dict[str, Learner] = {}
    for key, learner in by_key.items():
        if len(learner.files) > 1:
            spellings = sorted(set(names[key]))
            warnings.append(f"merged {len(learner.files)} files as one learner {learner.label!r} (names compared "
                            f"without case or spacing: {', '.join(repr(s) for s in spellings)}): "
                            f"{', '.join(learner.files)}")
        label, n = learner.label, 2
        while label in learners:
            label, n = f"{learner.label} [{n}]", n + 1
        learner.label = label
        learners[label] = learner
    return ClassData(learners, skipped, warnings, cat)
