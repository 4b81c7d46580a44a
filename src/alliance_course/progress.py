"""The learner's saved progress: one JSON file per learner, safe with several kernels.

Every quiz answer and exercise check is recorded here (``record``). The file lives in the user data folder
(``%APPDATA%\\alliance-course`` on Windows, ``~/Library/Application Support/alliance-course`` on macOS,
``$XDG_DATA_HOME/alliance-course`` or ``~/.local/share/alliance-course`` elsewhere); the environment variable
``ALLIANCE_COURSE_PROGRESS`` gives another full path.

Safety rules:

- every change is a read-modify-write under a :class:`filelock.FileLock` on ``<file>.lock``, written to a
  temporary file in the same folder and moved into place with ``os.replace`` (atomic on every OS), so two
  kernels recording at once lose nothing;
- a damaged file is moved aside as ``progress.corrupt-<timestamp>.json``, a fresh one is started and the learner
  is told once;
- if the file cannot be written at all (read-only folder, full disk), results are kept in memory for the session
  and the learner is told once; a quiz never crashes because of its progress file.
"""

from __future__ import annotations

import copy
import errno
import json
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import filelock
from ._jsonschema import jsonschema
import pandas as pd

from . import __version__
from .course import LESSONS

ENV_VAR = "ALLIANCE_COURSE_PROGRESS"
APP_NAME = "alliance-course"
FILE_NAME = "progress.json"
FORMAT_VERSION = 1
KINDS = ("quiz", "exercise")
LOCK_TIMEOUT = 10.0  # seconds; a lock held longer means something is stuck

RECORD_FIELDS = ("kind", "notebook", "item", "attempts", "first_try_correct", "ever_correct", "first_time",
                 "last_time")
# The store file and an export share this format; read_export() and the store both validate with it.
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format_version", "records"],
    "properties": {
        "format_version": {"type": "integer", "minimum": 1},
        "learner": {"type": ["string", "null"]},
        "course_version": {"type": ["string", "null"]},
        "created": {"type": "string"},
        "updated": {"type": "string"},
        "exported": {"type": "string"},
        "records": {
            "type": "array",
            "items": {
                "type": "object",
                "required": list(RECORD_FIELDS),
                "properties": {
                    "kind": {"enum": list(KINDS)},
                    "notebook": {"type": "string", "pattern": r"^\d{2}$"},
                    "item": {"type": "string", "minLength": 1},
                    "attempts": {"type": "integer", "minimum": 1},
                    "first_try_correct": {"type": "boolean"},
                    "ever_correct": {"type": "boolean"},
                    "first_time": {"type": "string"},
                    "last_time": {"type": "string"},
                },
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


class ProgressError(ValueError):
    """A progress file (or an export handed in) that cannot be read; the message says which and why."""


class ProgressWarning(UserWarning):
    """Shown once when progress cannot be read or saved normally."""


def default_data_dir() -> Path:
    """The per-user data folder for the course on this operating system."""
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA")
        base = Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / APP_NAME


def progress_path() -> Path:
    """The progress file in use: ``$ALLIANCE_COURSE_PROGRESS`` or ``<user data folder>/progress.json``."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return default_data_dir() / FILE_NAME


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _fresh(learner: str | None = None) -> dict[str, Any]:
    now = _now()
    return {"format_version": FORMAT_VERSION, "learner": learner, "course_version": __version__,
            "created": now, "updated": now, "records": []}


def _schema_problem(data: Any) -> str | None:
    """The first schema problem in ``data`` as ``where: what``, or None if it is a valid progress file."""
    error = next(iter(sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))), None)
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "the file"
    return f"{where}: {error.message}"


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON to a temporary file in the same folder, then move it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.stem}-",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _aside_name(path: Path, tag: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{tag}-{stamp}{path.suffix}")
    counter = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{tag}-{stamp}-{counter}{path.suffix}")
        counter += 1
    return candidate


class _Store:
    """The progress file at one path, with the session's fallback state."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.memory: dict[str, Any] | None = None  # set when the file cannot be used this session
        self.warned: set[str] = set()

    def _warn(self, key: str, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            warnings.warn(message, ProgressWarning, stacklevel=4)

    def _lock(self) -> filelock.FileLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return filelock.FileLock(f"{self.path}.lock", timeout=LOCK_TIMEOUT)

    def _load(self) -> dict[str, Any]:
        """Read the file (the caller holds the lock); move a damaged one aside and start afresh."""
        if self.path.is_dir():  # never move a folder aside: the setting is wrong, not the file damaged
            raise IsADirectoryError(errno.EISDIR, f"{ENV_VAR} or the default path names a folder, not a file")
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _fresh()
        except (OSError, UnicodeDecodeError) as exc:
            return self._set_aside(f"it could not be read ({exc})")
        try:
            data = json.loads(text)
        except ValueError as exc:
            return self._set_aside(f"it is not valid JSON ({exc})")
        problem = _schema_problem(data)
        if problem:
            return self._set_aside(f"it is not in the expected format ({problem})")
        return data

    def _set_aside(self, reason: str) -> dict[str, Any]:
        backup = _aside_name(self.path, "corrupt")
        os.replace(self.path, backup)  # an OSError here sends the caller to the in-memory fallback
        self._warn("corrupt", f"Your progress file {self.path} was damaged: {reason}. It has been moved to "
                              f"{backup.name} in the same folder and a fresh progress file was started.")
        return _fresh()

    def _fall_back(self, exc: BaseException, data: dict[str, Any] | None) -> None:
        self.memory = data if data is not None else self._read_unlocked()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        self._warn("fallback", f"Your progress cannot be saved to {self.path} ({reason}). Results are kept in "
                               f"memory for this session only. To save them, set the environment variable "
                               f"{ENV_VAR} to a file in a folder you can write to, then restart the kernel.")

    def _read_unlocked(self) -> dict[str, Any]:
        """Best effort when the lock cannot be taken: what the file holds, or a fresh start."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return _fresh()
        return data if _schema_problem(data) is None else _fresh()

    def read(self) -> dict[str, Any]:
        """The current data (a copy)."""
        if self.memory is None:
            try:
                with self._lock():
                    return self._load()
            except (OSError, filelock.Timeout) as exc:
                self._fall_back(exc, None)
        return copy.deepcopy(self.memory)

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Apply ``change`` to the data and save it; returns the new data."""
        if self.memory is None:
            data: dict[str, Any] | None = None
            try:
                with self._lock():
                    data = self._load()
                    change(data)
                    data["updated"] = _now()
                    data["course_version"] = __version__
                    _write_atomic(self.path, data)
                    return data
            except (OSError, filelock.Timeout) as exc:
                self._fall_back(exc, data)
                if data is not None:  # ``change`` already ran on it before the write failed
                    return copy.deepcopy(data)
        assert self.memory is not None
        change(self.memory)
        self.memory["updated"] = _now()
        return copy.deepcopy(self.memory)


_stores: dict[Path, _Store] = {}


def _store() -> _Store:
    path = progress_path()
    if path not in _stores:
        _stores[path] = _Store(path)
    return _stores[path]


def _normalize_notebook(notebook: Any) -> str:
    text = str(notebook).strip() if isinstance(notebook, (str, int)) and not isinstance(notebook, bool) else ""
    if text.isdigit() and len(text) <= 2:
        text = text.zfill(2)
    if not re.fullmatch(r"\d{2}", text):
        raise ValueError(f"progress: notebook must be a two-digit number such as \"04\", not {notebook!r}.")
    return text


def record(kind: str, notebook: str, item: str, correct: bool) -> None:
    """Record one attempt: ``record("quiz", "02", "art5-automatic", False)`` or
    ``record("exercise", "04", "04.2", True)``. Keeps attempts, first-try correctness, whether the item was
    ever answered correctly, and the first and last time. Never raises because of the file."""
    if kind not in KINDS:
        raise ValueError(f"progress.record: kind must be 'quiz' or 'exercise', not {kind!r}.")
    number = _normalize_notebook(notebook)
    if not isinstance(item, str) or not item.strip():
        raise ValueError(f"progress.record: item must be a non-empty id such as 'art5-automatic', not {item!r}.")
    if not isinstance(correct, bool):
        raise ValueError(f"progress.record: correct must be True or False, not {correct!r}.")
    now = _now()

    def change(data: dict[str, Any]) -> None:
        for entry in data["records"]:
            if (entry["kind"], entry["notebook"], entry["item"]) == (kind, number, item):
                entry["attempts"] += 1
                entry["ever_correct"] = entry["ever_correct"] or correct
                entry["last_time"] = now
                return
        data["records"].append({"kind": kind, "notebook": number, "item": item, "attempts": 1,
                                "first_try_correct": correct, "ever_correct": correct,
                                "first_time": now, "last_time": now})

    _store().update(change)


def records() -> list[dict[str, Any]]:
    """Every saved record (a copy), in the order first attempted."""
    return _store().read()["records"]


def set_learner(name: str) -> None:
    """Put your name on your progress file (it is included in :func:`export`)."""
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100 or "\n" in name:
        raise ValueError("progress.set_learner: give your name as text on one line, e.g. "
                         "progress.set_learner(\"Ana Novak\").")
    clean = name.strip()

    def change(data: dict[str, Any]) -> None:
        data["learner"] = clean

    _store().update(change)
    print(f"Learner name set to {clean!r}.")


def _bank_sizes() -> dict[str, int]:
    """Questions per notebook from the quiz banks (a broken bank is left out, not an error here)."""
    from .quiz.bank import QuizError, available_banks, load_bank

    sizes = {}
    for number, path in available_banks().items():
        try:
            sizes[number] = len(load_bank(path).scored)  # predictions are never scored
        except QuizError:
            continue
    return sizes


SUMMARY_COLUMNS = ("title", "quiz_questions", "quiz_attempted", "quiz_first_try_correct", "exercises_attempted",
                   "exercises_correct")


def summarize(data: dict[str, Any], bank_sizes: dict[str, int] | None = None) -> pd.DataFrame:
    """The per-notebook table for ``data`` (a progress file's contents); see :func:`summary`."""
    bank_sizes = bank_sizes or {}
    titles = {lesson.number: lesson.title for lesson in LESSONS}
    numbers = list(titles)
    numbers += sorted({entry["notebook"] for entry in data["records"]} - set(numbers))
    rows = []
    for number in numbers:
        mine = [entry for entry in data["records"] if entry["notebook"] == number]
        quiz = [entry for entry in mine if entry["kind"] == "quiz"]
        exercises = [entry for entry in mine if entry["kind"] == "exercise"]
        rows.append({
            "notebook": number,
            "title": titles.get(number, ""),
            "quiz_questions": bank_sizes.get(number, pd.NA),
            "quiz_attempted": len(quiz),
            "quiz_first_try_correct": sum(entry["first_try_correct"] for entry in quiz),
            "exercises_attempted": len(exercises),
            "exercises_correct": sum(entry["ever_correct"] for entry in exercises),
        })
    table = pd.DataFrame(rows).set_index("notebook")
    counts = [column for column in SUMMARY_COLUMNS if column != "title"]
    return table.astype({column: "Int64" for column in counts})


def summary() -> pd.DataFrame:
    """One row per notebook (index ``notebook``): its title, the questions in its quiz, quiz questions
    attempted, right on the first try, exercises attempted and exercises answered correctly."""
    return summarize(_store().read(), _bank_sizes())


def export(path: str | os.PathLike[str] | None = None) -> Path:
    """Write your progress to a file you can hand in; returns its path.

    Without ``path`` the file goes into the current folder (next to the notebook you are running) as
    ``alliance-course-progress-<name>-<date>.json``; a folder as ``path`` gets that name inside it.
    """
    data = _store().read()
    data["exported"] = _now()
    data["format_version"] = FORMAT_VERSION
    data.setdefault("learner", None)
    slug = re.sub(r"[^a-z0-9]+", "-", (data.get("learner") or "learner").lower()).strip("-") or "learner"
    default_name = f"alliance-course-progress-{slug}-{datetime.now().strftime('%Y%m%d')}.json"
    target = Path.cwd() / default_name if path is None else Path(path).expanduser()
    if target.is_dir():
        target = target / default_name
    try:
        _write_atomic(target, data)
    except OSError as exc:
        raise ProgressError(f"Could not write the export to {target}: {exc.strerror or exc}. "
                            "Pass another path, e.g. progress.export(\"my-progress.json\").") from None
    print(f"Progress exported to {target} ({len(data['records'])} records). Hand in this file.")
    return target


def read_export(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a progress export (or progress file); raises :class:`ProgressError` naming the file and the
    problem when it is unreadable, not JSON, or not in the progress format."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ProgressError(f"{source}: cannot read the file ({reason}).") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ProgressError(f"{source}: not a progress file: it is not valid JSON ({exc}).") from None
    if isinstance(data, dict) and isinstance(data.get("format_version"), int) \
            and data["format_version"] > FORMAT_VERSION:
        raise ProgressError(f"{source}: written by a newer version of the course (format "
                            f"{data['format_version']}; this one reads {FORMAT_VERSION}). Update the course.")
    problem = _schema_problem(data)
    if problem:
        raise ProgressError(f"{source}: not a valid progress file: {problem}.")
    return data


def reset(confirm: bool = False) -> None:
    """Delete your saved progress. Without ``confirm=True`` it only says what it would delete.

    A backup copy of the old file is kept next to it; your learner name is kept."""
    store = _store()
    data = store.read()
    count = len(data["records"])
    if not confirm:
        print(f"This would delete {count} saved results from {store.path}. "
              "To do it, run: progress.reset(confirm=True)")
        return
    backup: Path | None = None
    if store.memory is None and store.path.exists():
        try:
            backup = _aside_name(store.path, "reset")
            backup.write_bytes(store.path.read_bytes())
        except OSError:
            backup = None

    def change(current: dict[str, Any]) -> None:
        current["records"] = []

    store.update(change)
    kept = f" A backup copy is in {backup}." if backup else ""
    print(f"Deleted {count} saved results.{kept}")


def _okabe_ito() -> tuple[str, str]:
    return "#0072B2", "#E69F00"  # blue and orange from the Okabe–Ito colour-blind-safe palette


def dashboard_table(table: pd.DataFrame) -> pd.DataFrame:
    """The summary with readable column names and "answered of total" text, for display."""
    def of(done: Any, total: Any) -> str:
        return f"{done} of {total}" if pd.notna(total) else f"{done}"

    return pd.DataFrame({
        "Notebook": [f"{number} · {title}" if title else number for number, title in table["title"].items()],
        "Quiz questions answered": [of(d, t) for d, t in zip(table["quiz_attempted"], table["quiz_questions"])],
        "Right on first try": table["quiz_first_try_correct"].to_list(),
        "Exercises checked": table["exercises_attempted"].to_list(),
        "Exercises correct": table["exercises_correct"].to_list(),
    }).set_index("Notebook")


def dashboard_figure(table: pd.DataFrame) -> Any:
    """A small horizontal bar chart: per notebook, quiz questions answered and right on the first try."""
    from matplotlib.figure import Figure

    active = table[(table["quiz_attempted"] > 0) | (table["quiz_questions"].fillna(0) > 0)]
    labels = list(active.index)
    positions = list(range(len(labels)))
    figure = Figure(figsize=(6.4, 0.45 * len(labels) + 1.6), layout="constrained")
    axes = figure.add_subplot()
    blue, orange = _okabe_ito()
    axes.barh([p - 0.2 for p in positions], active["quiz_attempted"].astype(int), height=0.4, color=blue,
              label="answered")
    axes.barh([p + 0.2 for p in positions], active["quiz_first_try_correct"].astype(int), height=0.4,
              color=orange, hatch="//", edgecolor="black", linewidth=0.5, label="right on first try")
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlabel("Quiz questions (count)")
    axes.set_ylabel("Notebook")
    axes.set_title("Your quiz progress by notebook")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="lower right", frameon=False)
    figure.supxlabel(f"Source: your progress file, as of {datetime.now():%d %B %Y}.", fontsize=8, x=0.01,
                     ha="left")
    return figure


def dashboard() -> None:
    """Show your progress: a table per notebook and a bar chart (text only outside a notebook)."""
    table = summary()
    readable = dashboard_table(table)
    path = _store().path
    answered = int(table["quiz_attempted"].sum()) + int(table["exercises_attempted"].sum())
    shell = _ipython_kernel()
    if shell is None:
        print(readable.to_string())
        print(f"\nSaved in {path}.")
        return
    from IPython.display import Image, Markdown, display

    display(readable)
    if answered == 0:
        display(Markdown("Nothing answered yet: your results appear here as you take the quizzes."))
    elif (table["quiz_attempted"] > 0).any():
        import io

        figure = dashboard_figure(table)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100)
        sentence = ("The chart shows, for each notebook, how many quiz questions you have answered (blue) and "
                    "how many of those you got right on the first try (orange, hatched).")
        display(Image(data=buffer.getvalue(), format="png", alt=sentence))
        display(Markdown(sentence))
    display(Markdown(f"Saved in `{path}`."))


def _ipython_kernel() -> Any:
    """The IPython shell when running in a Jupyter kernel (rich display available), else None."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    shell = ipython.get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    return shell
