"""The progress store: one JSON file per learner, safe with several kernels and on shared homes.

Every quiz answer and exercise check is recorded here (``record``). The file lives in the user data folder that
:mod:`platformdirs` gives (``%APPDATA%\\alliance-course`` on Windows, ``~/Library/Application Support/alliance-course``
on macOS, ``$XDG_DATA_HOME/alliance-course`` or ``~/.local/share/alliance-course`` elsewhere) and is called
``progress.json``, or ``progress-<user>.json`` on a JupyterHub (when ``JUPYTERHUB_USER`` is set), so that a home
folder shared by several hub users never mixes two learners. The environment variable ``ALLIANCE_COURSE_PROGRESS``
gives another full path.

Safety rules:

- every change is a read-modify-write under a :class:`filelock.FileLock` on ``<file>.lock``, written to a
  temporary file in the same folder and moved into place with ``os.replace`` (atomic on every OS), so two
  kernels recording at once lose nothing; temporary files left by a crashed writer are removed by the next write;
- a damaged file is moved aside as ``progress.corrupt-<timestamp>.json``, a fresh one is started and the learner
  is told once;
- if the file cannot be written (lock held too long, read-only folder, full disk), results are kept in memory
  and the learner is told once; every later record tries the file again, and as soon as it can be written the
  results kept in memory are merged into it (never written over it), so nothing recorded is lost. A quiz never
  crashes because of its progress file;
- a progress file that is a symbolic link is written through the link (the link stays); a read-only progress file
  (no write permission bits, e.g. ``chmod a-w``) is never replaced: results stay in memory, as above;
- a new file gets the usual permissions of the learner's umask (0644 with the common umask 022); a rewrite keeps
  the file's permissions. Exports for handing in are always readable by others (0644), so an instructor account can
  read a shared hand-in folder.

On a shared (NFS) home: the lock is ``flock``, which Linux maps onto NFS byte-range locks, so kernels on different
machines exclude each other on NFSv4 and on NFSv3 with ``lockd``. A lock left by a crashed machine lasts until the
server's lease ends (about 90 s on NFSv4): records made meanwhile wait at most ``LOCK_TIMEOUT`` once, then are kept
in memory and saved by the first record after the lease ends. With a ``nolock`` (or ``local_lock=flock`` or
``local_lock=all``) mount, locks are local to one machine: the atomic rename still prevents a torn file, but two
servers of the same learner writing within the same instant on two machines can lose one of the two updates.
"""


from __future__ import annotations

import atexit
import copy
import errno
import json
import os
import re
import warnings
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import filelock
import platformdirs

from .. import __version__
from .._common import normalize_notebook, write_atomic
from .._jsonschema import jsonschema

ENV_VAR = "ALLIANCE_COURSE_PROGRESS"
APP_NAME = "alliance-course"
FILE_NAME = "progress.json"
FORMAT_VERSION = 1
KINDS = ("quiz", "exercise")
LOCK_TIMEOUT = 10.0  # seconds; a lock held longer means something is stuck
RETRY_LOCK_TIMEOUT = 0.5  # seconds; while results wait in memory, each later record tries the lock this long
STALE_TEMP_AGE = 60.0  # seconds; a temporary file this old, seen while holding the lock, was left by a crash
HUB_USER_VAR = "JUPYTERHUB_USER"
EXPORT_MODE = 0o644  # an export is handed in: the instructor's account must be able to read it

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
    """The per-user data folder for the course on this operating system (from :mod:`platformdirs`)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


def _hub_user() -> str | None:
    """``JUPYTERHUB_USER`` made safe for a file name, or None when not on a JupyterHub."""
    user = os.environ.get(HUB_USER_VAR, "").strip()
    slug = re.sub(r"[^A-Za-z0-9_.@+-]+", "-", user).strip(".-")[:100]
    return slug or None


def default_file_name() -> str:
    """``progress-<user>.json`` on a JupyterHub (``JUPYTERHUB_USER`` set), else ``progress.json``."""
    user = _hub_user()
    return f"progress-{user}.json" if user else FILE_NAME


def progress_path() -> Path:
    """The progress file in use: ``$ALLIANCE_COURSE_PROGRESS``, or :func:`default_file_name` in the user data
    folder."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return default_data_dir() / default_file_name()


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


def _write_atomic(path: Path, data: dict[str, Any], mode: int | None = None) -> None:
    """Write JSON to a temporary file in the same folder, then move it over ``path``
    (:func:`alliance_course._common.write_atomic`: the mode given, else the replaced file's, else the umask's)."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1), mode=mode)


def _remove_stale_temporaries(path: Path) -> None:
    """Remove temporary files of ``path`` left by a writer that crashed (the caller holds the lock)."""
    cutoff = datetime.now().timestamp() - STALE_TEMP_AGE
    try:
        # today's temporaries are ``.<name>-*.tmp``; ``.<stem>-*.tmp`` were left by earlier versions
        candidates = set(path.parent.glob(f".{_glob_escape(path.name)}-*.tmp"))
        candidates |= set(path.parent.glob(f".{_glob_escape(path.stem)}-*.tmp"))
    except OSError:
        return
    for candidate in candidates:
        try:
            if candidate.is_file() and not candidate.is_symlink() and candidate.stat().st_mtime < cutoff:
                candidate.unlink()
        except OSError:
            continue


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _aside_name(path: Path, tag: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{tag}-{stamp}{path.suffix}")
    counter = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{tag}-{stamp}-{counter}{path.suffix}")
        counter += 1
    return candidate


class ReadOnlyProgressFile(PermissionError):
    """The progress file has no write permission bits: the learner (or instructor) made it read-only on purpose."""


class _Store:
    """The progress file at one path, with the changes not yet saved to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last: dict[str, Any] | None = None  # what the file held at the last successful read or write
        self.pending: list[Callable[[dict[str, Any]], None]] = []  # changes kept in memory, not yet saved
        self.warned: set[str] = set()
        self.patient = False  # wait the full LOCK_TIMEOUT even while results wait in memory (at exit)

    @property
    def memory(self) -> dict[str, Any] | None:
        """The in-memory view while changes wait to be saved (None when everything is saved)."""
        return self._view() if self.pending else None

    def _warn(self, key: str, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            warnings.warn(message, ProgressWarning, stacklevel=4)

    def _target(self) -> Path:
        """The file actually written: the end of a symbolic link, so the link itself stays."""
        if self.path.is_symlink():
            return Path(os.path.realpath(self.path))
        return self.path

    def _lock(self) -> filelock.FileLock:
        target = self._target()
        target.parent.mkdir(parents=True, exist_ok=True)
        # While results wait in memory (or the last attempt failed), try briefly: a stuck lock must not make every
        # answer wait LOCK_TIMEOUT; the first attempt after a success waits the full LOCK_TIMEOUT.
        hurried = not self.patient and (self.pending[:-1] or "fallback" in self.warned)
        timeout = RETRY_LOCK_TIMEOUT if hurried else LOCK_TIMEOUT
        return filelock.FileLock(f"{target}.lock", timeout=timeout)

    def _load(self) -> dict[str, Any]:
        """Read the file (the caller holds the lock); move a damaged one aside and start afresh."""
        target = self._target()
        if target.is_dir():  # never move a folder aside: the setting is wrong, not the file damaged
            raise IsADirectoryError(errno.EISDIR, f"{ENV_VAR} or the default path names a folder, not a file")
        try:
            text = target.read_text(encoding="utf-8-sig")  # a byte-order mark (some Windows editors) is fine
        except FileNotFoundError:
            return _fresh()
        except (OSError, UnicodeDecodeError) as exc:
            return self._set_aside(f"it could not be read ({exc})")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            return self._set_aside(f"it is not valid JSON ({exc})")
        problem = _schema_problem(data)
        if problem:
            return self._set_aside(f"it is not in the expected format ({problem})")
        return data

    def _set_aside(self, reason: str) -> dict[str, Any]:
        target = self._target()
        backup = _aside_name(target, "corrupt")
        os.replace(target, backup)  # an OSError here sends the caller to the in-memory fallback
        self._warn("corrupt", f"Your progress file {self.path} was damaged: {reason}. It has been moved to "
                              f"{backup.name} in the same folder and a fresh progress file was started.")
        return _fresh()

    def _check_writable(self) -> None:
        target = self._target()
        try:
            mode = target.stat().st_mode
        except FileNotFoundError:
            return
        if not mode & 0o222:
            raise ReadOnlyProgressFile(errno.EACCES, "the file is read-only", str(target))

    def _fall_back(self, exc: BaseException) -> None:
        if isinstance(exc, filelock.Timeout):
            reason = f"another program has held its lock file for over {LOCK_TIMEOUT:g} seconds"
        elif isinstance(exc, OSError) and exc.strerror:
            reason = exc.strerror
        else:
            reason = str(exc) or type(exc).__name__
        self._warn("fallback", f"Your progress cannot be saved to {self.path} right now ({reason}). Results are "
                               "kept in memory for this session and saved as soon as the file can be written "
                               "again (each new answer tries). If this lasts, set the environment variable "
                               f"{ENV_VAR} to a file in a folder you can write to, then restart the kernel.")

    def _read_unlocked(self) -> dict[str, Any]:
        """Best effort when the lock cannot be taken: what the file holds, or a fresh start."""
        try:
            data = json.loads(self._target().read_text(encoding="utf-8-sig"))
        except (OSError, ValueError, RecursionError):
            return _fresh()
        return data if _schema_problem(data) is None else _fresh()

    def _view(self) -> dict[str, Any]:
        """The last known file contents with the unsaved changes applied (a new object)."""
        base = copy.deepcopy(self.last) if self.last is not None else self._read_unlocked()
        for change in self.pending:
            change(base)
        if self.pending:
            base["updated"] = _now()
        return base

    def _save(self) -> dict[str, Any]:
        """Under the lock: read the file, apply every pending change, write it. Raises on any failure."""
        with self._lock():
            data = self._load()
            if self.pending:
                self._check_writable()
                for change in self.pending:
                    change(data)
                data["updated"] = _now()
                data["course_version"] = __version__
                target = self._target()
                _write_atomic(target, data)
                _remove_stale_temporaries(target)
            self.last = copy.deepcopy(data)
            return data

    def _sync(self) -> dict[str, Any]:
        had_failed = "fallback" in self.warned and bool(self.pending)
        try:
            data = self._save()
        except (OSError, filelock.Timeout) as exc:
            self._fall_back(exc)
            return self._view()
        if had_failed:
            count = len(self.pending)
            self.warned.discard("fallback")  # a later failure is reported again
            if not self.patient:
                kept = "1 result kept in memory was" if count == 1 else f"{count} results kept in memory were"
                print(f"Progress saved again to {self.path} ({kept} added to it).")
        self.pending.clear()
        return data

    def read(self) -> dict[str, Any]:
        """The current data (a copy); saves changes waiting in memory if the file can be written again."""
        return copy.deepcopy(self._sync())

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Apply ``change`` to the data and save it (or keep it in memory until the file can be written)."""
        self.pending.append(change)
        return copy.deepcopy(self._sync())


_stores: dict[Path, _Store] = {}


def _save_pending_at_exit() -> None:
    """When the kernel or program ends, one last, patient try to save results still waiting in memory."""
    for store in list(_stores.values()):
        if store.pending:
            store.patient = True
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ProgressWarning)
                    store._sync()
            except Exception:  # never let exiting fail because of progress
                pass


atexit.register(_save_pending_at_exit)


def _store() -> _Store:
    path = progress_path()
    if path not in _stores:
        _stores[path] = _Store(path)
    return _stores[path]


def _normalize_notebook(notebook: Any) -> str:
    return normalize_notebook(notebook, ValueError,
                              message="progress: notebook must be a two-digit number such as \"04\", not {value}.")


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

